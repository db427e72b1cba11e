"""Records as plain mappings, checked by the same converter hooks as loading.

`checked` runs a record built in Python through those hooks before it is
written, so nothing is written that would not load back, and every problem is
reported at once with its key path.
"""

from __future__ import annotations

import datetime as dt
from collections import abc
from types import MappingProxyType
from typing import Any, Final

from ._errors import FieldError, KindError, ValidationError
from ._model import Article, SecuredToken
from ._structure import structure_values
from ._tree import Mapping, Sequence
from ._write import EXTRA, FIELDS, Kind

#: A mapping nested deeper than this is refused (real records nest four levels).
MAX_DEPTH: Final = 100

_Path = tuple[str | int, ...]


def checked(article: Article) -> Article:
    """``article`` rebuilt through the loading hooks, or `ValidationError`.

    The result has the canonical types (tuples, read-only mappings, tokens) and
    no source document.
    """
    errors: list[FieldError] = []
    tree = _record_tree(article, Article, errors, ())
    body = _body(article.body, errors)
    assert isinstance(tree, Mapping)  # noqa: S101 (an Article gives a mapping)
    return _structure(tree, body, errors, strict=False)


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
    tree: Mapping, body: str, errors: list[FieldError], *, strict: bool
) -> Article:
    try:
        article = structure_values(tree, body=body, strict=strict)
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


def _key_path(path: _Path) -> str:
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


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
    tree = Mapping(0)
    spans = tree.spans
    for field in FIELDS[model]:
        kind = field.kind
        if kind is Kind.EXTRA:
            _extra_tree(record.extra, model, tree, errors, path)
            continue
        value = getattr(record, field.attr)
        if value is None or value == ():
            continue
        key = field.key
        if kind is Kind.RECORD:
            value = _record_tree(value, field.model, errors, (*path, key))  # type: ignore[arg-type]
        elif kind is Kind.RECORDS and isinstance(value, (tuple, list)):
            items = Sequence(0)
            for index, item in enumerate(value):
                where = (*path, key, index)
                items.append(_record_tree(item, field.model, errors, where))  # type: ignore[arg-type]
                items.spans.append(_NO_ITEM_SPAN)
            value = items
        elif kind is Kind.STRINGS and isinstance(value, (tuple, list)):
            items = Sequence(0)
            items.extend(value)
            items.spans.extend([_NO_ITEM_SPAN] * len(value))
            value = items
        elif kind is Kind.TOKEN and isinstance(value, SecuredToken):
            value = _token(value)
        tree[key] = value
        spans[key] = _NO_SPAN
    return tree


def _extra_tree(
    extra: object,
    model: type[Any],
    tree: Mapping,
    errors: list[FieldError],
    path: _Path,
) -> None:
    if not isinstance(extra, abc.Mapping):
        message = f"`extra` must be a mapping, not {type(extra).__name__}"
        errors.append(FieldError(_key_path(path), message, "type", None, None))
        return
    for key, value in extra.items():
        if not isinstance(key, str):
            message = f"keys must be text, not {type(key).__name__} ({key!r})"
            errors.append(FieldError(_key_path(path), message, "type", None, None))
            continue
        where = (*path, key)
        if key in _KNOWN[model]:
            message = f"`{key}` is a key of the record: it cannot also be in `extra`"
            errors.append(FieldError(_key_path(where), message, "value", None, None))
        else:
            try:
                tree[key] = _extra_value(value, where, errors, 0)
            except _Unwritable:
                continue
            tree.spans[key] = _NO_SPAN


_KNOWN: Final = {
    model: frozenset(field.key for field in fields if field is not EXTRA)
    for model, fields in FIELDS.items()
}


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
    errors.append(FieldError(_key_path(path), problem, "value", None, None))
    raise _Unwritable


def _extra_mapping(
    value: abc.Mapping[object, object],
    path: _Path,
    errors: list[FieldError],
    depth: int,
) -> MappingProxyType[str, object]:
    result: dict[str, object] = {}
    failed = False
    for key, item in value.items():
        if not isinstance(key, str):
            message = f"keys must be text, not {type(key).__name__} ({key!r})"
            errors.append(FieldError(_key_path(path), message, "type", None, None))
            failed = True
            continue
        try:
            result[key] = _extra_value(item, (*path, key), errors, depth + 1)
        except _Unwritable:
            failed = True
    if failed:
        raise _Unwritable
    return MappingProxyType(result)


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
