"""Records between processes: pickled as their attributes, made again as they were.

`load_dir`'s workers send the records they load to the process that asked for
them. A record's own pickle is its file (see `Record.__reduce__`): small to
keep, but as costly to read back as loading the file, which would leave the
receiving process doing all the loading again. Here a record, nested ones
included, travels as the tuple of its attributes in the order of its fields,
and is made again by setting them, through each slot's own descriptor: no key to
write or look up, no check (they are a record's already), no `__setstate__`.

This module is written so that it can also be compiled (see pyproject.toml):
pickling calls `reduce` for every record sent, and unpickling `rebuild` for every
record received.
"""

from __future__ import annotations

import copyreg
import io
import operator
import pickle
import typing
from typing import Any, Final

import attrs

from ._direct import slot_setter
from ._spec import TABLES

if typing.TYPE_CHECKING:
    from collections.abc import Callable


def dumps(value: object) -> bytes:
    """``value`` pickled, each record in it as its attributes (see above)."""
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return stream.getvalue()


def reduce(record: object) -> tuple[Any, ...]:
    """How ``record`` is pickled: `rebuild`, its class and its attributes."""
    model = type(record)
    return (rebuild, (model, _ATTRIBUTES[model](record)))


def rebuild(model: type[Any], values: tuple[Any, ...]) -> Any:
    """The record of ``model`` whose attributes are ``values``, in its fields' order."""
    record = object.__new__(model)
    for set_, value in zip(_SETTERS[model], values, strict=True):
        set_(record, value)
    return record


_NAMES: Final = {
    model: tuple(field.name for field in attrs.fields(model)) for model in TABLES
}
#: The attributes of each model, in the order of its fields, as a tuple.
_ATTRIBUTES: Final[dict[type[Any], Callable[[object], tuple[Any, ...]]]] = {
    model: operator.attrgetter(*names) for model, names in _NAMES.items()
}
#: How each attribute of each model is set, in the same order.
_SETTERS: Final = {
    model: [slot_setter(model, name) for name in names]
    for model, names in _NAMES.items()
}
_DISPATCH: Final = {**copyreg.dispatch_table, **dict.fromkeys(TABLES, reduce)}
