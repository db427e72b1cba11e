"""Structuring the common case directly: a record with nothing wrong in it.

`build` makes the `Article` of a front-matter tree in one walk, with a plan per
model class: for each key of the file, the attribute it fills and the hook of
`newsrecord._hooks` that checks and converts its value. It stops at the first
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
from typing import Any, Final, get_args

import attrs

from ._hooks import (
    FORMATS,
    SCALARS,
    Invalid,
    is_literal,
    is_null_value,
    is_optional,
    is_tuple,
    literal_hook,
    optional_of,
    structure_datetime,
    structure_int,
    structure_size,
    structure_str,
    structure_url,
    to_python,
)
from ._model import (
    FORMAT,
    MODELS,
    NOT_FROM_FRONT_MATTER,
    Article,
    ReadOnlyMapping,
    complete,
    file_key,
)
from ._tree import Mapping, Sequence

if typing.TYPE_CHECKING:
    from ._hooks import Hook

#: Stands for a required argument not given yet.
_REQUIRED: Final = object()


class _Stop(Exception):  # noqa: N818 (a signal: the converter takes over)
    """The tree is not a valid record as it stands."""


def build(root: Mapping, *, strict: bool) -> Article | None:
    """The `Article` of ``root``, or ``None`` if anything in it is wrong or unknown.

    With ``strict``, a key the model does not know is wrong; without, it goes to
    its record's ``extra``, as the converter would put it.
    """
    try:
        article: Article = _plan(Article, strict=strict)(root, Article)
    except (Invalid, _Stop):
        return None
    return article


def is_valid(value: Any, type_: Any, *, strict: bool) -> bool:
    """Whether ``value`` is a valid value of ``type_`` (a model, a list, a scalar).

    Checked as `build` checks, up to the first problem: the cheap way to tell
    whether there is any.
    """
    try:
        _hook(type_, strict)(value, type_)
    except (Invalid, _Stop):
        return False
    return True


class _Model:
    """Builds one model class from a mapping, calling its constructor positionally."""

    def __init__(
        self,
        model: type[Any],
        fields: dict[str, tuple[int, int, Hook, Any]],
        defaults: list[object],
        *,
        strict: bool,
    ) -> None:
        self.model = model
        # file key -> (argument index, hook code, hook, type the hook is asked for)
        self.fields = fields
        # The constructor's positional arguments as they are when no key is given:
        # each field's default, or _REQUIRED.
        self.defaults = defaults
        self.required = defaults.count(_REQUIRED)
        self.strict = strict

    def __call__(self, value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
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
                arguments[index] = _apply(code, hook, item, type_)
            elif self.strict:
                raise _Stop
            else:
                if extra is None:
                    extra = {}
                extra[key] = to_python(item)
        if required:
            raise _Stop  # a required key is missing
        try:
            record = self.model(*arguments)
        except ValueError as exc:  # a check of the model itself (an Article's links)
            raise _Stop from exc
        if extra is not None:
            complete(record, extra=ReadOnlyMapping(extra))
        return record


class _Tuple:
    """Builds a tuple from a list, each item with one hook."""

    def __init__(self, item: Hook, item_type: Any) -> None:
        self.item = item
        self.code = _code(item)
        self.item_type = item_type

    def __call__(self, value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, Sequence):
            raise _Stop
        code, item, item_type = self.code, self.item, self.item_type
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
        return _apply(self.code, self.inner, value, self.inner_type)


# The hooks most fields have, called by code rather than through the hook object:
# compiled, that is a direct call instead of a call through Python's protocol.
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


def _code(hook: Hook) -> int:
    return _CODES.get(hook, _OTHER)


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
    hints = typing.get_type_hints(model)
    fields: dict[str, tuple[int, int, Hook, Any]] = {}
    defaults: list[object] = []
    for field in attrs.fields(model):
        if field.name in NOT_FROM_FRONT_MATTER:
            continue
        if field.kw_only or isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            message = f"{model.__name__}.{field.name} cannot be given positionally"
            raise TypeError(message)
        type_ = hints[field.name]
        hook = FORMATS.get(field.metadata.get(FORMAT, "")) or _hook(type_, strict)
        fields[file_key(field.name)] = (len(defaults), _code(hook), hook, type_)
        defaults.append(_REQUIRED if field.default is attrs.NOTHING else field.default)
    return _Model(model, fields, defaults, strict=strict)


def _hook(type_: Any, strict: bool) -> Hook:  # noqa: FBT001 (private, positional)
    if type_ in MODELS:
        return _plan(type_, strict=strict)
    if is_tuple(type_):
        item_type = get_args(type_)[0]
        return _Tuple(_hook(item_type, strict), item_type)
    if is_literal(type_):
        return literal_hook(type_)
    if is_optional(type_):
        inner_type, null_is_none = optional_of(type_)
        inner = _hook(inner_type, strict)
        return _Optional(inner, inner_type) if null_is_none else inner
    return SCALARS[type_]
