"""Records as plain mappings: `to_dict` and `from_dict`, with the file's key names.

The mapping is what other services exchange. It is ready for JSON: text, numbers,
booleans, lists and dicts, keys spelled as in the file, in the format's order,
timestamps as the text a file holds, the ``secured`` token as its text. Keys a
record lacks are left out (never ``null``).

`from_dict` reads such a mapping back through the same converter hooks as
loading, so it is exactly as strict, and reports every problem at once with its
key path. `checked` runs a record built in Python through the same hooks before
it is written, so nothing is written that would not load back.
"""

from __future__ import annotations

import datetime as dt
from collections import abc
from typing import Any, Final, overload

from ._errors import FieldError, KindError, ValidationError, shown
from ._json import json_record
from ._kinds import KIND_CLASSES
from ._limits import DEFAULT_LIMITS
from ._model import (
    Article,
    R,
    ReadOnlyMapping,
    Record,
    SecuredToken,
    carried,
    complete,
    edited,
)
from ._render import FIELDS, Shape
from ._spec import TABLES
from ._structure import key_path, source_document, structure_as, structure_values
from ._tree import ListNode, MapNode

#: A mapping nested deeper than this is refused, as in a file (see `Limits`).
MAX_DEPTH: Final = DEFAULT_LIMITS.max_depth

_Path = tuple[str | int, ...]


def to_dict(article: Record, /) -> dict[str, Any]:
    """The record as a JSON-ready mapping with the file's own key names.

    Timestamps are text: for a record read from a file, the exact text the file
    holds for an unchanged value; otherwise the format's ``2019-12-23T00:00:00Z``.
    The ``secured`` token is its text. Values of unknown keys that JSON cannot
    hold become text too (timestamps, dates, infinities and NaN as YAML writes
    them, ``.inf`` and ``.nan``; binary data as base64). The body is not in the
    mapping: it is ``article.body``.

    Raises `ValidationError` (listing every problem) for a record that would not
    load, such as one built with a wrong value, and `TypeError` for anything that
    is not a record.
    """
    record = checked(record_given(article, "to_dict"))
    document = source_document(article)
    root = None if document is None else document.root
    return json_record(record, root)


def record_given(value: object, function: str) -> Record:
    """``value`` if it is a record; `TypeError` for callers that pass another."""
    if isinstance(value, Record) and type(value) in TABLES:
        return value
    message = f"{function}() takes a record, not {type(value).__name__}"
    raise TypeError(message)


def loaded_dict(article: Record, root: MapNode, /) -> dict[str, Any]:
    """`to_dict` of a record as loading built it from the tree ``root``.

    For records fresh from reading, which are valid by construction: exporting
    many of them should pay neither for checking each one again nor for reading
    its text again to find how it spells its timestamps.
    """
    return json_record(article, root)


@overload
def from_dict(
    mapping: abc.Mapping[str, Any], /, *, body: str = "", strict: bool = False
) -> Article: ...
@overload
def from_dict(
    mapping: abc.Mapping[str, Any],
    /,
    *,
    body: str = "",
    strict: bool = False,
    kind: type[R],
) -> R: ...
@overload
def from_dict(
    mapping: abc.Mapping[str, Any],
    /,
    *,
    body: str = "",
    strict: bool = False,
    kind: None,
) -> Record: ...
def from_dict(
    mapping: abc.Mapping[str, Any],
    /,
    *,
    body: str = "",
    strict: bool = False,
    kind: type[Any] | None = Article,
) -> Any:
    """Build a record from a mapping such as `to_dict` gives.

    Every value is checked exactly as when loading a file (a timestamp may be
    given as text or as an aware ``datetime``). With ``strict``, keys the model does
    not know are errors instead of being kept in ``extra``. ``body`` is the text
    after the front matter. ``kind`` is the record's class (`Article`, `Course`,
    ...), or ``None`` for the class of the kind the mapping holds, decided as
    `newsrecord.load_record` decides it.

    Raises `ValidationError` listing every problem with its key path, or
    `KindError` for a record of another kind than ``kind``, or of none.
    """
    if kind is not None and kind not in KIND_CLASSES.values():
        message = f"from_dict() takes a record class as kind, not {kind!r}"
        raise TypeError(message)
    errors: list[FieldError] = []
    tree = _tree(mapping, (), errors, 0)
    if not isinstance(tree, MapNode):
        got = "a list" if isinstance(tree, ListNode) else type(mapping).__name__
        message = f"expected a mapping of keys to values, got {got}"
        errors.append(FieldError("", message, "type", None, None))
        raise ValidationError(errors)
    record = _structure(tree, _body(body, errors), errors, strict=strict, model=kind)
    # The values of unknown keys are kept as given: checked, as the constructor
    # checks them, by making the record's tree (its values are checked already).
    _record_tree(record, type(record), errors, ())
    if errors:
        raise ValidationError(errors)
    return record


def checked(article: R) -> R:
    """``article`` rebuilt through the loading hooks, or `ValidationError`.

    The result has the canonical types (tuples, read-only mappings, tokens) and
    no source document.
    """
    errors: list[FieldError] = []
    model = type(article)
    tree = _record_tree(article, model, errors, ())
    body = _body(article.body, errors)
    assert isinstance(tree, MapNode)  # noqa: S101 (a record gives a mapping)
    record: R = _structure(tree, body, errors, strict=False, model=model)
    return record


def check(record: object) -> None:
    """Raise `ValidationError` if ``record``, made in Python, would not load.

    Every field is checked by the hooks that loading uses, the record's nested
    ones included; the errors name each bad field by its key path. A valid
    record given its ``extra`` as a mapping of its own (a `dict`, say) holds a
    read-only copy instead, as a loaded record does: it cannot change behind
    the record's back, and it pickles.
    """
    model = type(record)
    if model not in FIELDS:
        raise TypeError(_subclassed(model))
    if isinstance(record, Record):
        _keep_checked(record, checked(record))
        return
    errors: list[FieldError] = []
    tree = _record_tree(record, model, errors, ())
    assert isinstance(tree, MapNode)  # noqa: S101 (a record gives a mapping)
    try:
        made = structure_as(tree, model)
    except ValidationError as exc:
        raise ValidationError([*errors, *exc.errors]) from exc
    if errors:
        raise ValidationError(errors)
    _keep_checked(record, made)


def _subclassed(model: type) -> str:
    """Why a record of a subclass of one of newsrecord's classes cannot be made."""
    base = next((cls for cls in model.__mro__ if cls in FIELDS), None)
    name = "a newsrecord class" if base is None else f"newsrecord.{base.__name__}"
    return (
        f"{model.__name__} subclasses {name}, which cannot be subclassed: its "
        "field table says how its records are read, checked and written"
    )


def _keep_checked(record: Any, made: Any) -> None:
    """Give ``record`` the canonical values of ``made``, the same record checked.

    A value given in another type than a loaded record holds becomes that
    record's: a list the tuple, a timestamp's text the `datetime`, a token's
    text the `SecuredToken`. An ``extra`` that holds the values read from the
    record's file is kept as it is; one edited from it (``extra | {...}``)
    holds its file's text still, with the items made read-only (see
    `newsrecord._model.ReadOnlyMapping`); any other mapping becomes a
    read-only copy.
    """
    for field in FIELDS[type(record)]:
        if field.form is Shape.EXTRA:
            continue
        value = getattr(made, field.attr)
        if type(getattr(record, field.attr)) is not type(value):
            complete(record, **{field.attr: value})
    extra = record.extra
    if not isinstance(extra, ReadOnlyMapping):
        complete(record, extra=made.extra)
    elif edited(extra):
        complete(record, extra=carried(extra, made.extra))


def _body(body: object, errors: list[FieldError]) -> str:
    """The body, if it is text UTF-8 can encode; else "" and a `FieldError`."""
    if not isinstance(body, str):
        message = f"the body must be text, not {type(body).__name__}"
        errors.append(FieldError("", message, "type", None, None))
        return ""
    if not _encodable(body):
        message = "the body holds a lone surrogate, which UTF-8 cannot encode"
        errors.append(FieldError("", message, "value", None, None))
    return body


def _structure(
    tree: MapNode,
    body: str,
    errors: list[FieldError],
    *,
    strict: bool,
    model: type[Any] | None,
) -> Any:
    try:
        article = structure_values(tree, body=body, strict=strict, model=model)
    except KindError:
        raise
    except ValidationError as exc:
        raise ValidationError([*errors, *exc.errors]) from exc
    if errors:
        raise ValidationError(errors)
    return article


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _tree(value: object, path: _Path, errors: list[FieldError], depth: int) -> object:
    """Plain Python values as the front-matter tree the converter reads."""
    nested = isinstance(value, (abc.Mapping, list, tuple))
    if nested and depth > MAX_DEPTH:
        message = f"nests deeper than {MAX_DEPTH} levels"
        errors.append(FieldError(key_path(path), message, "value", None, None))
        return MapNode(0) if isinstance(value, abc.Mapping) else ListNode(0)
    if isinstance(value, abc.Mapping):
        mapping = MapNode(0)
        for key, item in value.items():
            if not isinstance(key, str):
                message = f"keys must be text, not {type(key).__name__} ({shown(key)})"
                errors.append(FieldError(key_path(path), message, "type", None, None))
                continue
            mapping[key] = _tree(item, (*path, key), errors, depth + 1)
            mapping.spans[key] = (0, 0, 0)
        return mapping
    if isinstance(value, (list, tuple)):
        sequence = ListNode(0)
        for index, item in enumerate(value):
            sequence.append(_tree(item, (*path, index), errors, depth + 1))
            sequence.spans.append((0, 0))
        return sequence
    return value


#: The Python types a value of an unknown key can have and still be written.
_WRITABLE: Final = (str, int, float, type(None), dt.date, bytes)
_NO_SPAN: Final = (0, 0, 0)
_NO_ITEM_SPAN: Final = (0, 0)


def _record_tree(
    record: Any, model: type[Any], errors: list[FieldError], path: _Path
) -> object:
    """A record as the tree the converter reads, checking its unknown keys."""
    if not isinstance(record, model):
        return record  # the converter says what is wrong with it
    tree = MapNode(0)
    spans = tree.spans
    for field in FIELDS[model]:
        form = field.form
        if form is Shape.EXTRA:
            _extra_tree(record.extra, model, tree, errors, path)
            continue
        value = getattr(record, field.attr)
        if _absent(form, value):
            continue
        key = field.key
        if form is Shape.RECORD:
            value = _record_tree(value, field.model, errors, (*path, key))  # type: ignore[arg-type]
        elif form is Shape.RECORDS and isinstance(value, (tuple, list)):
            items = ListNode(0)
            for index, item in enumerate(value):
                where = (*path, key, index)
                items.append(_record_tree(item, field.model, errors, where))  # type: ignore[arg-type]
                items.spans.append(_NO_ITEM_SPAN)
            value = items
        elif form is Shape.STRINGS and isinstance(value, (tuple, list)):
            items = ListNode(0)
            items.extend(value)
            items.spans.extend([_NO_ITEM_SPAN] * len(value))
            value = items
        elif form is Shape.TOKEN and isinstance(value, SecuredToken):
            value = _token(value)
        tree[key] = value
        spans[key] = _NO_SPAN
    return tree


#: The forms of the fields that hold lists.
_LISTS: Final = frozenset({Shape.STRINGS, Shape.RECORDS})


def _absent(form: Shape, value: object) -> bool:
    """Whether ``value`` is what a field of ``form`` holds for a key not written.

    That is ``None``, or the empty tuple for a list. Anything else (``None`` for
    a list, a tuple for a number) is for the converter to judge, as a file's
    value would be.
    """
    if form in _LISTS:
        return type(value) is tuple and not value
    return value is None


def _extra_tree(
    extra: object,
    model: type[Any],
    tree: MapNode,
    errors: list[FieldError],
    path: _Path,
) -> None:
    if not isinstance(extra, abc.Mapping):
        message = f"`extra` must be a mapping, not {type(extra).__name__}"
        errors.append(FieldError(key_path(path), message, "type", None, None))
        return
    for key, value in extra.items():
        if not isinstance(key, str):
            message = f"keys must be text, not {type(key).__name__} ({shown(key)})"
            errors.append(FieldError(key_path(path), message, "type", None, None))
            continue
        where = (*path, key)
        if key in _KNOWN[model]:
            message = f"`{key}` is a key of the record: it cannot also be in `extra`"
            errors.append(FieldError(key_path(where), message, "value", None, None))
        else:
            try:
                tree[key] = _extra_value(value, where, errors, 0)
            except _Unwritable:
                continue
            tree.spans[key] = _NO_SPAN


_KNOWN: Final = {model: table.keys for model, table in TABLES.items()}


class _Unwritable(Exception):  # noqa: N818 (internal signal, becomes a FieldError)
    """An unknown key's value that cannot be written; its errors are recorded."""


def _extra_value(
    value: object, path: _Path, errors: list[FieldError], depth: int
) -> object:
    """An unknown key's value, read-only, if it can be written as YAML and read back.

    Records a `FieldError` for each problem and then raises `_Unwritable`.
    """
    if depth > MAX_DEPTH:
        problem = f"nests deeper than {MAX_DEPTH} levels"
    elif isinstance(value, abc.Mapping):
        return _extra_mapping(value, path, errors, depth)
    elif isinstance(value, (list, tuple)):
        items: list[object] = []
        failed = False
        for index, item in enumerate(value):
            try:
                items.append(_extra_value(item, (*path, index), errors, depth + 1))
            except _Unwritable:
                failed = True
        if failed:
            raise _Unwritable
        return tuple(items)
    else:
        found = _scalar_problem(value)
        if found is None:
            return str(value) if isinstance(value, str) else value
        problem = found
    errors.append(FieldError(key_path(path), problem, "value", None, None))
    raise _Unwritable


def _extra_mapping(
    value: abc.Mapping[object, object],
    path: _Path,
    errors: list[FieldError],
    depth: int,
) -> ReadOnlyMapping:
    result: dict[str, object] = {}
    failed = False
    for key, item in value.items():
        if not isinstance(key, str):
            message = f"keys must be text, not {type(key).__name__} ({shown(key)})"
            errors.append(FieldError(key_path(path), message, "type", None, None))
            failed = True
            continue
        try:
            result[key] = _extra_value(item, (*path, key), errors, depth + 1)
        except _Unwritable:
            failed = True
    if failed:
        raise _Unwritable
    return ReadOnlyMapping(result)


def _scalar_problem(value: object) -> str | None:
    """What keeps a scalar of an unknown key from being written, if anything."""
    if not isinstance(value, _WRITABLE):
        return f"cannot be written as YAML: a value of type {type(value).__name__}"
    if isinstance(value, str) and not _encodable(value):
        return "holds a lone surrogate, which UTF-8 cannot encode"
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            str(value)
        except ValueError:
            return "an integer with too many digits to write"
    return None


def _token(token: SecuredToken) -> object:
    """The token's text; a token that cannot give it is left for the converter."""
    try:
        return str(token)
    except (TypeError, ValueError):
        return token
