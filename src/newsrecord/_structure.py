"""Structuring: the front-matter tree to a typed `Article`, with every error at once.

A valid record is built by `newsrecord._direct.build`, in one walk. When that
answers ``None``, something is wrong, and the converter here finds it all: one
cattrs converter per mode (lax or strict about unknown keys), built by
`make_converter`, with the hooks of `newsrecord._hooks` for each field type.
Hooks raise `Invalid`; cattrs' detailed validation gathers them, with notes that
name the attribute or list index, into exception groups; `structure` walks those
groups and turns each leaf into a `FieldError` positioned through the tree.
"""

from __future__ import annotations

import bisect
import contextvars
import difflib
import functools
import re
import sys
import typing
from typing import Any, Final, Self, get_args

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from ._direct import build, is_valid
from ._errors import (
    QUOTE_LIMIT,
    FieldError,
    KindError,
    ValidationError,
    quoted,
    scrub,
)
from ._hooks import (
    FORMATS,
    SCALARS,
    Invalid,
    describe,
    is_literal,
    is_null_value,
    is_optional,
    is_tuple,
    literal_hook,
    optional_of,
    to_python,
)
from ._limits import DEFAULT_LIMITS
from ._model import (
    FORMAT,
    LINK_KEYS,
    MODELS,
    NOT_FROM_FRONT_MATTER,
    OTHER_KINDS,
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    ReadOnlyMapping,
    RelatedArticle,
    complete,
    file_key,
)
from ._tree import Document, Mapping, Sequence

if typing.TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from cattrs.dispatch import StructureHook

# Line breaks as `newsrecord._tree.position` counts them: LF, CRLF and a lone CR.
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")

_Step: typing.TypeAlias = str | int

#: The most problems an error lists unless `Limits` says otherwise.
DEFAULT_MAX_PROBLEMS: Final = DEFAULT_LIMITS.max_problems


class _KeyNote(str):
    """Names, in the file's spelling, the key an error is about."""

    __slots__ = ("key",)
    key: str

    def __new__(cls, key: str) -> Self:
        note = super().__new__(cls, f"Key {quoted(key)}")
        note.key = key
        return note


def structure(
    document: Document, *, strict: bool, max_problems: int = DEFAULT_MAX_PROBLEMS
) -> Article:
    """Build the `Article` of a read document, or raise `ValidationError`.

    The error lists at most ``max_problems`` problems (see `Limits`).
    """
    article = _structure_root(
        document.root, document, strict=strict, max_problems=max_problems
    )
    complete(article, body=document.body, _source=document)
    return article


def structure_values(root: Mapping, *, body: str, strict: bool) -> Article:
    """Build an `Article` from a tree that was not read from a file.

    The tree holds Python values (quoted text is `str`), as `newsrecord.from_dict`
    and the writer's checks build it; errors carry key paths but no line or column.
    """
    article = _structure_root(
        root, None, strict=strict, max_problems=DEFAULT_MAX_PROBLEMS
    )
    complete(article, body=body)
    return article


def _structure_root(
    root: Mapping, document: Document | None, *, strict: bool, max_problems: int
) -> Article:
    kind = _other_kind(root)
    if kind is not None:
        raise _kind_error(root, document, kind)
    errors: list[tuple[int, FieldError]] = []
    no_links = root.keys().isdisjoint(LINK_KEYS)
    if no_links:
        message = f"a news record needs a link: one of {', '.join(LINK_KEYS)}"
        errors.append(_field_error(root, [], "missing", message, at_key=False))
    else:
        article = build(root, strict=strict)
        if article is not None:
            return article
    budget = _Budget(max_problems - len(errors), strict=strict)
    token = _BUDGET.set(budget)
    try:
        return _converter(strict=strict).structure(root, Article)
    except (ClassValidationError, Invalid) as exc:
        errors.extend(_field_errors(root, exc, no_links=no_links))
        error = _validation_error(document, errors, max_problems, budget.more)
        scrub(exc)  # a dependency's exception may quote a value: even a token
        raise error from exc
    finally:
        _BUDGET.reset(token)


def _validation_error(
    document: Document | None,
    errors: list[tuple[int, FieldError]],
    max_problems: int,
    more: int,
) -> ValidationError:
    """The error listing the first ``max_problems`` problems in file order."""
    errors.sort(key=lambda pair: pair[0])
    more += max(0, len(errors) - max_problems)
    del errors[max_problems:]
    if document is None:  # values not read from a file have no position
        return ValidationError([error for _, error in errors], more=more)
    placed = _placed(document.text, errors)
    return ValidationError(placed, path=document.path, more=more)


# --- a bound on the problems gathered ----------------------------------------------


class _Budget:
    """How many more problems the converter may gather, and how many it did not.

    Gathering a problem costs the converter an exception with notes in a group:
    far more than finding it. Once the budget is spent, the lists and the unknown
    keys not yet looked at are only checked by the direct builder, which stops at
    a value's first problem: each value with problems counts one more.
    """

    __slots__ = ("left", "more", "strict")

    def __init__(self, left: int, *, strict: bool) -> None:
        self.left = left
        self.more = 0
        self.strict = strict

    def take(self, problems: Iterable[BaseException]) -> None:
        """Count the problems gathered at this level (not in nested groups)."""
        for problem in problems:
            if not isinstance(problem, _GROUPS):
                self.left -= 1

    def spent(self) -> bool:
        return self.left <= 0


_GROUPS: Final = (ClassValidationError, IterableValidationError)
#: The budget of the record being structured (see `_budget`).
_BUDGET: Final[contextvars.ContextVar[_Budget | None]] = contextvars.ContextVar(
    "newsrecord_problem_budget", default=None
)


def _budget() -> _Budget:
    """The budget of the record being structured.

    Outside `structure` (a converter used on its own), one that is never spent.
    """
    budget = _BUDGET.get()
    return _Budget(sys.maxsize, strict=False) if budget is None else budget


def _placed(text: str, errors: list[tuple[int, FieldError]]) -> list[FieldError]:
    """The errors in file order, each with the line and column of its offset.

    One pass over the text for all of them: a record can have many thousands.
    """
    errors.sort(key=lambda pair: pair[0])
    starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
    placed = []
    for offset, error in errors:
        at = max(0, min(offset, len(text)))
        line = bisect.bisect_right(starts, at)
        placed.append(attrs.evolve(error, line=line, column=at - starts[line - 1] + 1))
    return placed


def _other_kind(root: Mapping) -> str | None:
    category, kind = root.get("category"), root.get("type")
    if category == "news" or not isinstance(kind, str):
        return None
    if kind in OTHER_KINDS or (category is None and kind in {"article", "video"}):
        return str(kind)
    return None


def _kind_error(root: Mapping, document: Document | None, kind: str) -> KindError:
    message = f"not a news record: its kind is `{kind}` (from its `type`"
    if kind in OTHER_KINDS:
        message += ")"
    else:
        message += ", and it has no `category: news`)"
    error = _field_error(root, ["type"], "kind", message, at_key=True)
    if document is None:
        return KindError([error[1]], kind=kind)
    return KindError(_placed(document.text, [error]), kind=kind, path=document.path)


# --- from exception groups to FieldErrors -----------------------------------------


def _field_errors(
    root: Mapping, exc: BaseException, *, no_links: bool
) -> Iterator[tuple[int, FieldError]]:
    for path, leaf in _leaves(exc, []):
        if isinstance(leaf, Invalid):
            yield _field_error(root, path, leaf.code, leaf.message, at_key=leaf.at_key)
        elif isinstance(leaf, KeyError):
            message = f"missing required key `{path[-1]}`"
            yield _field_error(root, path, "missing", message, at_key=False)
        elif no_links and not path and isinstance(leaf, ValueError):
            continue  # Article() refusing a record without links: reported already
        else:  # a bug of ours, not a problem of the record: let it be seen
            raise leaf


def _leaves(
    exc: BaseException, path: list[_Step]
) -> Iterator[tuple[list[_Step], BaseException]]:
    if not isinstance(exc, (ClassValidationError, IterableValidationError)):
        yield path, exc
        return
    for sub in exc.exceptions:
        step: _Step | None = None
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                step = file_key(note.name)
            elif isinstance(note, IterableValidationNote):
                step = note.index
            elif isinstance(note, _KeyNote):
                step = note.key
        yield from _leaves(sub, path if step is None else [*path, step])


def _field_error(
    root: Mapping, path: list[_Step], code: str, message: str, *, at_key: bool
) -> tuple[int, FieldError]:
    """An error at the offset of ``path``, to be placed by `_placed`."""
    offset = _offset(root, path, at_key=at_key)
    return offset, FieldError(key_path(path), message, code, None, None)


def _offset(root: Mapping, path: list[_Step], *, at_key: bool) -> int:
    """Where the value at ``path`` stands, or its deepest parent that is there."""
    node: object = root
    offset = root.start
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, Mapping) and isinstance(step, str) and step in node:
            key_start, value_start, _ = node.spans[step]
            offset = key_start if last and at_key else value_start
            node = node[step]
        elif isinstance(node, Sequence) and isinstance(step, int) and step < len(node):
            offset = node.spans[step][0]
            node = node[step]
        else:
            break
    return offset


def key_path(path: Iterable[_Step]) -> str:
    """The key path as spelled in the file; a key too long to quote as its size."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
            continue
        key = step if len(step) <= QUOTE_LIMIT else quoted(step)
        parts.append(f".{key}" if parts else key)
    return "".join(parts)


# --- the converter ---------------------------------------------------------------


@functools.cache
def _converter(*, strict: bool) -> cattrs.Converter:
    return make_converter(strict=strict)


def make_converter(*, strict: bool) -> cattrs.Converter:
    """A converter from the front-matter tree to the model classes.

    With ``strict``, keys the model does not know are errors; without, they are
    kept in each record's ``extra``.
    """
    converter = cattrs.Converter(detailed_validation=True)
    for type_, hook in SCALARS.items():
        converter.register_structure_hook(type_, hook)
    converter.register_structure_hook_factory(is_literal, literal_hook)
    converter.register_structure_hook_factory(
        is_optional, functools.partial(_optional_hook, converter)
    )
    converter.register_structure_hook_factory(
        is_tuple, functools.partial(_tuple_hook, converter)
    )
    for model in MODELS:
        converter.register_structure_hook(
            model, _model_hook(converter, model, strict=strict)
        )
    return converter


def _optional_hook(converter: cattrs.Converter, type_: Any) -> StructureHook:
    inner_type, null_is_none = optional_of(type_)
    inner = converter.get_structure_hook(inner_type)
    if not null_is_none:
        return inner

    def structure_optional(value: Any, _: Any) -> Any:
        return None if is_null_value(value) else inner(value, inner_type)

    return structure_optional


def _tuple_hook(converter: cattrs.Converter, type_: Any) -> StructureHook:
    item_type = get_args(type_)[0]
    item = converter.get_structure_hook(item_type)

    def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, Sequence):
            raise Invalid("type", f"expected a list, got {describe(value)}")
        budget = _budget()
        left, more = budget.left, budget.more
        try:
            return tuple([item(element, item_type) for element in value])
        except Exception as exc:  # gathered again, one by one, and counted once
            budget.left, budget.more = left, more
            errors = _item_errors(value, item, item_type)
            raise IterableValidationError("invalid list", errors, type_) from exc

    return structure_tuple


def _item_errors(
    items: Sequence, item: StructureHook, item_type: Any
) -> list[Exception]:
    errors: list[Exception] = []
    budget = _budget()
    for index, element in enumerate(items):
        if budget.spent():
            budget.more += sum(
                not is_valid(rest, item_type, strict=budget.strict)
                for rest in items[index:]
            )
            break
        try:
            item(element, item_type)
        except Exception as exc:  # noqa: BLE001 (every failure is reported)
            note = IterableValidationNote(f"Structuring item {index}", index, item_type)
            exc.__notes__ = [*getattr(exc, "__notes__", ()), note]
            errors.append(exc)
            budget.take([exc])
    return errors


def _model_hook(
    converter: cattrs.Converter, model: type[Any], *, strict: bool
) -> Callable[[Any, Any], Any]:
    overrides: dict[str, Any] = {}
    known: list[str] = []
    for field in attrs.fields(model):
        if field.name in NOT_FROM_FRONT_MATTER:
            overrides[field.name] = override(omit=True)
            continue
        key = file_key(field.name)
        known.append(key)
        check = FORMATS.get(field.metadata.get(FORMAT, ""))
        overrides[field.name] = override(rename=key, struct_hook=check)
    inner = make_dict_structure_fn(
        model, converter, _cattrs_detailed_validation=True, **overrides
    )
    known_keys = frozenset(known)

    def structure_model(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise Invalid("type", f"expected a mapping, got {describe(value)}")
        if known_keys.issuperset(value):
            try:
                return inner(value, model)
            except ClassValidationError as exc:
                _budget().take(exc.exceptions)
                raise
        return _with_unknown_keys(value, model, inner, known_keys, strict=strict)

    return structure_model


def _with_unknown_keys(
    value: Mapping,
    model: type[Any],
    inner: Callable[[Any, Any], Any],
    known: frozenset[str],
    *,
    strict: bool,
) -> Any:
    """Structure a mapping that has keys the model does not know."""
    unknown = value.keys() - known
    errors: list[Exception] = []
    record = None
    budget = _budget()
    try:
        record = inner(value, model)
    except ClassValidationError as exc:
        errors.extend(exc.exceptions)
        budget.take(exc.exceptions)
    extra: dict[str, Any] = {}
    for key in value:
        if key not in unknown:
            continue
        if strict and budget.spent():  # each is a problem, not worth describing
            budget.more += 1
            continue
        try:
            if strict:
                raise _unknown_key(key, known, model)
            extra[key] = to_python(value[key])
        except Invalid as exc:
            if budget.spent():
                budget.more += 1
                continue
            budget.take([exc])
            exc.__notes__ = [_KeyNote(key)]
            errors.append(exc)
    if errors:
        raise ClassValidationError(f"invalid {model.__name__}", errors, model)
    complete(record, extra=ReadOnlyMapping(extra))
    return record


_PLACES: Final[dict[type, str]] = {
    Article: "the record",
    RelatedArticle: "a related article",
    Provider: "a provider",
    Image: "an image",
    Author: "an author",
    Publisher: "a publisher",
}


def _unknown_key(key: str, known: frozenset[str], model: type[Any]) -> Invalid:
    message = f"unknown key {quoted(key, backticks=True)} in {_PLACES[model]}"
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean `{close[0]}`?"
    return Invalid("unknown-key", message, at_key=True)
