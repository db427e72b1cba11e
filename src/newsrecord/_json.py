"""Records as plain values: what `to_dict`, JSON Lines rows and Arrow rows are made of.

JSON (`json_record`): a field's value is taken as it is where JSON holds it (text,
numbers, booleans); a timestamp becomes text (the file's own, where the tree the
record was read from still says the same moment; else the format's), the
``secured`` token its text, a nested record a dict, a tuple a list. Keys a record
lacks are left out. Values of unknown keys that JSON cannot hold become text (see
`json_value`). Each model's plan (its keys, attributes and what to do with each)
is read once from its writer's fields (`newsrecord._render.FIELDS`).

Arrow (`arrow_values`): the values of a record's columns, by a plan that
`newsrecord._arrow` derives from the model's type hints with its schema; a
timestamp becomes microseconds since the epoch, the keys the record does not know
one JSON text.

This module is written so that it can also be compiled (see pyproject.toml): an
export calls `json_record` or `arrow_values` for every record.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections import abc
from typing import Any, Final, TypeAlias

from ._model import masked
from ._render import FIELDS, Shape, timestamp_text
from ._scalars import float_text
from ._tree import ListNode, MapNode

# What a field's value becomes, by how it is written.
_AS_IS: Final = 0
_TIME: Final = 1
_TOKEN: Final = 2
_RECORD: Final = 3
_RECORDS: Final = 4
_STRINGS: Final = 5
_EXTRA: Final = 6

_STEPS: Final = {
    Shape.QUOTED: _AS_IS,
    Shape.PLAIN: _AS_IS,
    Shape.URL: _AS_IS,
    Shape.INT: _AS_IS,
    Shape.NUMBER: _AS_IS,
    Shape.BOOL: _AS_IS,
    Shape.TIME: _TIME,
    Shape.TOKEN: _TOKEN,
    Shape.RECORD: _RECORD,
    Shape.RECORDS: _RECORDS,
    Shape.STRINGS: _STRINGS,
    Shape.EXTRA: _EXTRA,
}

#: Per model: each field's key, attribute and step, in writing order.
_PLANS: Final[dict[type[Any], tuple[tuple[str, str, int], ...]]] = {
    model: tuple((field.key, field.attr, _STEPS[field.form]) for field in fields)
    for model, fields in FIELDS.items()
}


def json_record(record: Any, source: object) -> dict[str, Any]:
    """A valid record as JSON-ready values, by the file's key names, in its order.

    ``source`` is the tree the record was read from (a `MapNode`), if any: its
    timestamps keep their text.
    """
    result: dict[str, Any] = {}
    mapping = source if isinstance(source, MapNode) else None
    for key, attr, step in _PLANS[type(record)]:
        if step == _EXTRA:
            extra = record.extra
            if extra:
                for name, item in extra.items():
                    result[name] = json_value(item)
            continue
        value = getattr(record, attr)
        if value is None:
            continue
        if step == _AS_IS:
            result[key] = value
        elif value != ():
            child = None if mapping is None else mapping.get(key)
            result[key] = _json_field(value, step, child)
    return result


def _json_field(value: Any, step: int, source: object) -> Any:
    """The JSON-ready value of a field whose value JSON does not hold as it is."""
    if step == _TIME:
        return _timestamp(value, source)
    if step == _TOKEN:
        return str(value)
    if step == _RECORD:
        return json_record(value, source)
    if step == _RECORDS:
        items: abc.Sequence[object] = source if isinstance(source, ListNode) else ()
        return [
            json_record(item, items[index] if index < len(items) else None)
            for index, item in enumerate(value)
        ]
    return list(value)  # _STRINGS


def json_value(value: Any) -> Any:  # noqa: PLR0911 (one return per kind)
    """A value of an unknown key as JSON holds it, as `to_dict` gives it."""
    if isinstance(value, abc.Mapping):
        return {key: json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return float_text(value)
    return value


def _timestamp(moment: dt.datetime, source: object) -> str:
    """The text of a timestamp: the file's own when it still says the same."""
    if isinstance(source, str):
        try:
            written = dt.datetime.fromisoformat(source)
        except ValueError:
            pass
        else:
            if written == moment and written.utcoffset() == moment.utcoffset():
                return str(source)
    return timestamp_text(moment)


# What an Arrow column's value is made of (see `Conversion`).
AS_IS: Final = 0
MICROSECONDS: Final = 1  #: a timestamp: microseconds since the epoch
TEXT: Final = 2  #: the value's text (the ``secured`` token)
RECORD: Final = 3  #: a nested record: its own columns' values, by its plan
LIST: Final = 4  #: a tuple: a list, each item by the conversion of items
EXTRA: Final = 5  #: the keys a record does not know: one JSON text, or None
EXTRA_MASKED: Final = 6  #: the same, every ``secured`` value hidden

#: How an Arrow value is made of an attribute's: a step; for ``LIST``, the
#: conversion of its items; for ``RECORD``, the nested record's `Plan`. (Not
#: spelled as the recursive type it is: mypyc does not compile that.)
Conversion: TypeAlias = tuple[int, Any, Any]
#: A model's columns: each one's name, attribute and conversion.
Plan: TypeAlias = tuple[tuple[str, str, Conversion], ...]

#: The instant Arrow counts timestamps from.
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)


def arrow_values(record: Any, plan: Plan) -> dict[str, Any]:
    """The values of ``record``'s columns, by their names, as ``plan`` says."""
    values: dict[str, Any] = {}
    for name, attribute, conversion in plan:
        values[name] = _arrow_value(getattr(record, attribute), conversion)
    return values


def _arrow_value(value: Any, conversion: Conversion) -> Any:  # noqa: PLR0911 (a step each)
    step, items, plan = conversion
    if value is None or step == AS_IS:
        return value
    if step == MICROSECONDS:
        # Arrow converts a number far faster than a datetime with its offset.
        moment: dt.datetime = value
        return (moment - _EPOCH) // _MICROSECOND
    if step == TEXT:
        return str(value)
    if step == RECORD:
        return arrow_values(value, plan)
    if step == LIST:
        return [_arrow_value(item, items) for item in value]
    if not value:  # EXTRA, EXTRA_MASKED
        return None
    plain = json_value(value)
    return json.dumps(plain if step == EXTRA else masked(plain), ensure_ascii=False)
