"""Records as Apache Arrow data: the schema of a kind, and tables of its records.

Derived from the model classes and their field tables, as the JSON Schema is: a
kind's attrs fields give the columns (named by the file's keys, as the field
table and `to_dict` name them) and their type hints give the Arrow types:

- text, and the ``type``/``category`` choices: strings;
- integers: 32-bit integers (the format's range); numbers with a fraction (a
  rating's average): 64-bit floats; booleans: booleans;
- timestamps: timestamps in microseconds, timezone-aware, in UTC (the instant is
  kept; the offset the file wrote it with is not);
- a nested record (``provider``, an image, a related article): a struct of its
  own columns; a tuple of them or of strings: a list;
- the keys a record does not know (``extra``, in the record and in each nested
  one): their `to_dict` values as one JSON text, null when there are none;
- the body, and a ``path`` column first: the file the record came from.

A table holds records of one kind: its columns are that kind's.

The ``secured`` token is a column only when asked for: it is a secret.

pyarrow is imported by the functions that need it, never at import time, from
the ``parquet`` extra.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections import abc
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, get_args, get_origin

import attrs

from ._json import (
    AS_IS,
    EXTRA,
    EXTRA_MASKED,
    LIST,
    MICROSECONDS,
    RECORD,
    TEXT,
    Conversion,
    Plan,
    arrow_values,
)
from ._model import Article, Record, SecuredToken, file_key
from ._optional import require
from ._spec import TABLES

if TYPE_CHECKING:
    from types import ModuleType

#: The column of the file a record came from.
PATH: Final = "path"
#: The column of the ``secured`` token, left out unless revealed.
SECURED: Final = "secured"

#: What the ``parquet`` extra is needed for, as errors name it.
PURPOSE: Final = "Parquet export"


def pyarrow() -> ModuleType:
    """The pyarrow module; `ModuleNotFoundError` naming the ``parquet`` extra."""
    return require("pyarrow", extra="parquet", purpose=PURPOSE)


class _Column(NamedTuple):
    """One column of a model: its name, attribute, Arrow field and conversion."""

    name: str
    attribute: str
    field: Any  # a pyarrow.Field
    conversion: Conversion  # how its value is made of the attribute's


@functools.cache
def schema(model: type = Article, *, reveal_secured: bool = False) -> Any:
    """The Arrow schema of exported records of ``model``: ``path``, then its columns."""
    pa = pyarrow()
    columns = _columns(model, reveal_secured=reveal_secured)
    return pa.schema(
        [pa.field(PATH, pa.string(), nullable=False)]
        + [column.field for column in columns]
    )


def row(path: str, record: Record, *, reveal_secured: bool = False) -> dict[str, Any]:
    """A record as a row of its kind's `schema`: plain Python values by column name."""
    model: type = type(record)
    values = arrow_values(record, _plan(model, reveal_secured=reveal_secured))
    values[PATH] = path
    return values


def table(
    rows: list[dict[str, Any]],
    model: type = Article,
    *,
    reveal_secured: bool = False,
) -> Any:
    """A pyarrow table of rows that `row` made of records of ``model``.

    In the `schema` of ``model``.
    """
    return pyarrow().Table.from_pylist(
        rows, schema=schema(model, reveal_secured=reveal_secured)
    )


def table_bytes(table: Any) -> bytes:
    """A pyarrow table as bytes that pickle fast: an Arrow IPC stream.

    A table's own pickle is a buffer an array, nested ones included: seven
    times as long to make and read back, for the tables an export sends.
    """
    pa = pyarrow()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as stream:
        stream.write_table(table)
    return bytes(sink.getvalue())


def bytes_table(data: bytes) -> Any:
    """The pyarrow table of `table_bytes` (its buffers are those of ``data``)."""
    return pyarrow().ipc.open_stream(data).read_all()


@functools.cache
def _columns(model: type, *, reveal_secured: bool) -> tuple[_Column, ...]:
    pa = pyarrow()
    hints = typing.get_type_hints(model)
    columns = []
    table = TABLES[model]
    for field in attrs.fields(model):
        if field.name.startswith("_"):  # the record's own state, not a value
            continue
        # Named by the file's key, as the field table says (`_id` for `id`);
        # `extra` and `body` are no keys of the file.
        entry = table.by_attribute(field.name)
        name = file_key(field.name) if entry is None else entry.key
        if name == SECURED and not reveal_secured:
            continue
        arrow_type, nullable, conversion = _type(
            hints[field.name], pa, reveal_secured=reveal_secured
        )
        columns.append(
            _Column(name, field.name, pa.field(name, arrow_type, nullable), conversion)
        )
    return tuple(columns)


@functools.cache
def _plan(model: type, *, reveal_secured: bool) -> Plan:
    """How the values of a record's columns are made (see `arrow_values`)."""
    return tuple(
        (column.name, column.attribute, column.conversion)
        for column in _columns(model, reveal_secured=reveal_secured)
    )


_Type = tuple[Any, bool, Conversion]
_PLAIN: Final[Conversion] = (AS_IS, None, None)


def _type(  # noqa: PLR0911 (one case per type)
    hint: Any, pa: ModuleType, *, reveal_secured: bool
) -> _Type:
    """An attribute's Arrow type, whether it may be null, and its conversion.

    A ``secured`` key among the keys a model does not know is a token too: its
    value is hidden (see `newsrecord._model.masked`) unless ``reveal_secured``.
    None is null whatever the conversion.
    """
    scalars = {
        str: pa.string(),
        int: pa.int32(),
        float: pa.float64(),
        bool: pa.bool_(),
    }
    if hint in scalars:
        return scalars[hint], False, _PLAIN
    if hint is dt.datetime:
        return pa.timestamp("us", tz="UTC"), False, (MICROSECONDS, None, None)
    if hint is SecuredToken:
        return pa.string(), False, (TEXT, None, None)
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal and all(isinstance(arg, str) for arg in args):
        return pa.string(), False, _PLAIN
    if origin in {typing.Union, types.UnionType} and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        arrow_type, _, conversion = _type(inner, pa, reveal_secured=reveal_secured)
        return arrow_type, True, conversion
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        arrow_type, nullable, items = _type(args[0], pa, reveal_secured=reveal_secured)
        item = pa.field("item", arrow_type, nullable)
        return pa.list_(item), False, (LIST, items, None)
    if origin is abc.Mapping:  # the keys the model does not know
        return (
            pa.string(),
            True,
            (EXTRA if reveal_secured else EXTRA_MASKED, None, None),
        )
    if attrs.has(hint):
        columns = _columns(hint, reveal_secured=reveal_secured)
        arrow_type = pa.struct([column.field for column in columns])
        plan = _plan(hint, reveal_secured=reveal_secured)
        return arrow_type, False, (RECORD, None, plan)
    message = f"no Arrow type for {hint!r}"
    raise TypeError(message)
