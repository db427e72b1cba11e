"""Structuring the common case directly: a record with nothing wrong in it.

`build_as` makes the record of a front-matter tree in one walk, with a plan per
model class read from its field table (`newsrecord._spec`): for each key of the
file, the attribute it fills and the hook of `newsrecord._hooks` that checks and
converts its value by the key's rule. It stops at the first
problem and answers ``None``; the cattrs converter of `newsrecord._structure` then
structures the tree again and reports every problem with its key path. Both use
the same hooks, so they agree on what is valid, and the tests check that they
build equal records.

A valid record never reaches cattrs. That is the point: cattrs' detailed
validation, with its error groups and notes, costs more than the work itself, and
this module is written so that it can also be compiled (see pyproject.toml).
"""

from __future__ import annotations

import functools
import typing
from typing import Any, Final

import attrs

from ._hooks import (
    Invalid,
    field_hook,
    is_null_value,
    structure_datetime,
    structure_int,
    structure_size,
    structure_str,
    structure_url,
    to_python,
)
from ._model import EMPTY, Author, Provider, Publisher, ReadOnlyMapping
from ._spec import TABLES
from ._tree import ListNode, MapNode

if typing.TYPE_CHECKING:
    from collections.abc import Callable

    from ._hooks import Hook
    from ._spec import Field, Table

#: Stands for a required argument not given yet.
_REQUIRED: Final = object()


class _Stop(Exception):  # noqa: N818 (a signal: the converter takes over)
    """The tree is not a valid record as it stands."""


def build_as(root: MapNode, model: Any, *, strict: bool) -> Any:
    """The record of ``model`` that ``root`` holds, or ``None``.

    ``None`` if anything in it is wrong, or unknown with ``strict``; without, a
    key the model does not know goes to its record's ``extra``, as the converter
    would put it.
    """
    try:
        return _plan(model, strict=strict)(root, model)
    except (Invalid, _Stop):
        return None


class _Model:
    """Builds the records of one model class from mappings, by its field table."""

    def __init__(self, table: Table, *, strict: bool) -> None:
        model = table.model
        self.model = model
        self.strict = strict
        defaults_of = attrs.fields_dict(model)
        # file key -> (argument index, hook code, hook, type the hook is asked for)
        self.fields: dict[str, tuple[int, int, Hook, Any]] = {}
        # The arguments as they are when no key is given: each field's default, or
        # _REQUIRED; and the attribute each one sets.
        self.defaults: list[object] = []
        self.names: list[str] = []
        for index, field in enumerate(table.fields):
            hook = _hook(field, strict)
            self.fields[field.key] = (index, _code(hook), hook, field.type)
            default = defaults_of[field.attribute].default
            self.defaults.append(_REQUIRED if field.required else default)
            self.names.append(field.attribute)
        self.required = self.defaults.count(_REQUIRED)
        # The arguments of which a record needs one at least (an Article's links).
        self.one_of = [
            self.names.index(table.field(key).attribute) for key in table.needs_one_of
        ]
        self.body = "body" in defaults_of
        # How each attribute is set: through its slot's own descriptor, which
        # costs less than `object.__setattr__` (frozen records refuse `setattr`).
        self.setters: list[Callable[[object, object], None]] = [
            slot_setter(model, name) for name in self.names
        ]
        self.set_extra = slot_setter(model, "extra")
        self.set_body = slot_setter(model, "body") if self.body else None
        # Records of plain values a model's records share (see `_SHARED`).
        self.shared: dict[tuple[object, ...], Any] | None = (
            {} if model in _SHARED else None
        )

    def __call__(self, value: Any, _: Any) -> Any:
        if not isinstance(value, MapNode):
            raise _Stop
        fields = self.fields
        arguments = self.defaults.copy()
        required = self.required
        extra: dict[str, Any] | None = None
        for key, item in value.items():
            field = fields.get(key)
            if field is not None:
                index, code, hook, type_ = field
                if arguments[index] is _REQUIRED:
                    required -= 1
                if code == _OTHER:
                    arguments[index] = hook(item, type_)
                else:
                    arguments[index] = _apply(code, hook, item, type_)
            elif self.strict:
                raise _Stop
            else:
                if extra is None:
                    extra = {}
                extra[key] = to_python(item)
        if required:
            raise _Stop  # a required key is missing
        return self.make(arguments, extra)

    def make(self, arguments: list[object], extra: dict[str, Any] | None) -> Any:
        """The record of checked values, made without the constructor's checks."""
        if self.one_of and all(arguments[index] is None for index in self.one_of):
            raise _Stop  # none of the keys of which one is needed
        shared = self.shared
        if shared is None or extra is not None or not _plain(arguments):
            return self._new(arguments, extra)
        key = tuple(arguments)
        record = shared.get(key)
        if record is None:
            record = self._new(arguments, None)
            if len(shared) >= _MOST_SHARED:
                shared.clear()
            shared[key] = record
        return record

    def _new(self, arguments: list[object], extra: dict[str, Any] | None) -> Any:
        record = object.__new__(self.model)
        for set_, argument in zip(self.setters, arguments, strict=True):
            set_(record, argument)
        self.set_extra(record, EMPTY if extra is None else ReadOnlyMapping(extra))
        if self.set_body is not None:
            self.set_body(record, "")
        return record


def slot_setter(model: type[Any], name: str) -> Callable[[object, object], None]:
    """The function that sets attribute ``name`` of a ``model`` record: its slot's."""
    setter: Callable[[object, object], None] = getattr(model, name).__set__
    return setter


#: The models whose records repeat from one file to the next: who published an
#: article. A record of one of them made of plain values only (see `_plain`) is
#: made once and shared, frozen as it is, by every record that holds an equal
#: one, for as long as it is among the last `_MOST_SHARED` made.
_SHARED: Final = frozenset({Provider, Author, Publisher})
_MOST_SHARED: Final = 1024
#: Values whose equality is identity of meaning (the empty tuple aside).
_PLAIN: Final = frozenset({str, int, bool, type(None)})


def _plain(arguments: list[object]) -> bool:
    """Whether every value is text, a number, a bool, null or an empty list.

    Equal values of these are the same value (a field takes one type), so one
    record may stand for all records equal to it; an equal timestamp or mapping
    may differ in what it shows.
    """
    for argument in arguments:
        if type(argument) not in _PLAIN and argument != ():
            return False
    return True


class _Tuple:
    """Builds a tuple from a list, each item with one hook."""

    def __init__(self, item: Hook, item_type: Any) -> None:
        self.item = item
        self.code = _code(item)
        self.item_type = item_type

    def __call__(self, value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, ListNode):
            raise _Stop
        code, item, item_type = self.code, self.item, self.item_type
        if code == _OTHER:
            return tuple([item(element, item_type) for element in value])
        return tuple([_apply(code, item, element, item_type) for element in value])


class _Optional:
    """An int or a bool that may be null: ``None`` for null, else the inner hook's."""

    def __init__(self, inner: Hook, inner_type: Any) -> None:
        self.inner = inner
        self.code = _code(inner)
        self.inner_type = inner_type

    def __call__(self, value: Any, _: Any) -> Any:
        if is_null_value(value):
            return None
        if self.code == _OTHER:
            return self.inner(value, self.inner_type)
        return _apply(self.code, self.inner, value, self.inner_type)


# The hooks most fields have, called by code rather than through the hook object:
# compiled, that is a direct call instead of a call through Python's protocol.
# Interpreted, it is a call more than calling the hook: every hook has `_OTHER`.
_OTHER: Final = 0
_STR: Final = 1
_URL: Final = 2
_INT: Final = 3
_SIZE: Final = 4
_DATETIME: Final = 5


_CODES: Final[dict[Hook, int]] = {
    structure_str: _STR,
    structure_url: _URL,
    structure_int: _INT,
    structure_size: _SIZE,
    structure_datetime: _DATETIME,
}


#: Whether this module runs compiled (see `newsrecord._version.build`).
_COMPILED: Final = not __file__.endswith(".py")


def _code(hook: Hook) -> int:
    return _CODES.get(hook, _OTHER) if _COMPILED else _OTHER


def _apply(code: int, hook: Hook, value: Any, type_: Any) -> Any:
    """``hook(value, type_)``, the hook being the one ``code`` names, if any."""
    if code == _STR:
        return structure_str(value, type_)
    if code == _URL:
        return structure_url(value, type_)
    if code == _INT:
        return structure_int(value, type_)
    if code == _SIZE:
        return structure_size(value, type_)
    if code == _DATETIME:
        return structure_datetime(value, type_)
    return hook(value, type_)


@functools.cache
def _plan(model: type[Any], *, strict: bool) -> _Model:
    return _Model(TABLES[model], strict=strict)


def _hook(field: Field, strict: bool) -> Hook:  # noqa: FBT001 (private, positional)
    def record(model: Any) -> Hook:
        return _plan(model, strict=strict)

    return field_hook(field, record=record, listing=_Tuple, absent=_Optional)
