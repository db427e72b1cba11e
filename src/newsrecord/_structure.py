"""Structuring: the front-matter tree to a typed record, with every error at once.

The kind of record a tree holds is told by `newsrecord._kinds`. A valid record
is built by `newsrecord._direct.build_as`, in one walk. When that
answers ``None``, something is wrong, and the converter here finds it all: one
cattrs converter per mode (lax or strict about unknown keys), built by
`make_converter`, with the hooks of `newsrecord._hooks` for each field type.
Hooks raise `Invalid`; cattrs' detailed validation gathers them, with notes that
name the attribute or list index, into exception groups; `structure` walks those
groups and turns each leaf into a `FieldError` positioned through the tree.
"""

from __future__ import annotations

import contextvars
import difflib
import functools
import sys
import typing
from typing import Any, Final, Self, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from ._direct import build_as
from ._errors import (
    QUOTE_LIMIT,
    FieldError,
    KindError,
    NewsRecordError,
    ValidationError,
    quoted,
    scrub,
)
from ._hooks import Invalid, field_hook, got, is_null_value, to_python
from ._kinds import DECIDING_KEYS, Unknown, evidence, kind_of, lacking, may_be
from ._limits import DEFAULT_LIMITS, Limits
from ._model import (
    NOT_FROM_FRONT_MATTER,
    READING,
    Article,
    R,
    ReadOnlyMapping,
    Record,
    complete,
    file_key,
    source_of,
    unchanged,
    with_source,
)
from ._read import located, read
from ._spec import TABLES, Table
from ._syntax import BOM, Lines
from ._tree import Document, ListNode, MapNode

if typing.TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from cattrs.dispatch import StructureHook


_Step: typing.TypeAlias = str | int
T = TypeVar("T")

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


def structure(  # noqa: PLR0913 (keyword-only options)
    document: Document,
    *,
    strict: bool,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    model: type[Any] | None = Article,
    source: bool = True,
    as_told: bool = False,
) -> Any:
    """Build the record of a read document, or raise `ValidationError`.

    ``model`` is the class asked for (`KindError` for a record of another kind),
    or ``None`` for the class of whatever kind the document holds. A record
    whose kind is told by its keys alone may be of ``model`` if nothing in it
    says otherwise (a challenge with a title alone is one, though its keys are
    as much a form's); with ``as_told``, it must be of the kind told, as a
    filter by kind (``validate --kind``) asks. With
    ``source``, the record holds the document's text up to its body (not its
    tree), to be written back exactly; without, it is written afresh (as a
    record built in Python is) and pickles to its values alone. The body is the
    record's own. The error lists at most ``max_problems`` problems (see
    `Limits`).
    """
    record = _built(document.root, model, strict=strict)
    if record is None:
        document = located(document)
        table = _table_of(document.root, document, model, as_told=as_told)
        record = _structure_root(
            document.root, document, table, strict=strict, max_problems=max_problems
        )
    complete(record, body=document.body)
    if source:
        data = document.head
        if data is None:
            head = document.text[: document.body_start]
            data = (BOM + head if document.bom else head).encode("utf-8")
        with_source(record, data, document.limits)
    return record


#: Bounds for reading a record's own text again: it was read once already, maybe
#: with wider `Limits` than the default ones.
_AGAIN: Final = Limits(
    max_file_size=2**62,
    max_front_matter_size=2**62,
    max_depth=2**31,
    max_values=2**62,
)


def source_document(article: Record) -> Document | None:
    """The document ``article`` was read from, with ``article``'s body.

    Read again from the text the record holds; ``None`` for a record built in
    Python, or one whose body UTF-8 cannot hold (such a record is refused when
    it is written).
    """
    data = _file(article)
    if data is None:
        return None
    try:
        return read(data, None, _AGAIN)
    except NewsRecordError:  # pragma: no cover (it was read from this very text)
        return None


def unchanged_file(article: Record) -> bytes | None:
    """``article``'s file in UTF-8, if it holds the very values read from it.

    With its own body; ``None`` for any other record.
    """
    return _file(article) if unchanged(article) else None


def record_of_file(data: bytes, model: type[R], limits: Limits | None = None) -> R:
    """The record of ``model`` in a file's UTF-8 text that was read once already.

    Read within the ``limits`` it was read within then, or, if they are not
    known, within any.
    """
    document = read(data, None, limits or _AGAIN)
    record: R = structure(document, strict=False, model=model)
    return record


def _file(article: Record) -> bytes | None:
    """The file ``article`` was read from, with its own body, if it can be had.

    A body after a closing line that had no line ending starts on a line of its
    own, as writing puts it.
    """
    data = source_of(article)
    body = article.body
    if data is None or not isinstance(body, str):
        return None
    try:
        encoded = body.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if encoded and not data.endswith((b"\n", b"\r")):
        data += b"\r\n" if b"\r\n" in data else b"\n"
    return data + encoded


def structure_values(
    root: MapNode, *, body: str, strict: bool, model: type[Any] | None = Article
) -> Any:
    """Build a record from a tree that was not read from a file.

    The tree holds Python values (quoted text is `str`), as `newsrecord.from_dict`
    and the writer's checks build it; errors carry key paths but no line or column.
    ``model`` is as for `structure`.
    """
    table = _table_of(root, None, model)
    record = _structure_root(
        root, None, table, strict=strict, max_problems=DEFAULT_MAX_PROBLEMS
    )
    complete(record, body=body)
    return record


def _built(root: MapNode, model: type[Any] | None, *, strict: bool) -> Any:
    """The record of ``root``, if it is plainly of ``model`` and valid; or ``None``.

    Plainly: of the kind ``root`` holds, which is ``model``'s (any, for
    ``None``). Anything else, `_structure_root` looks at with the tree's spans,
    to build what may be built and to place every error.
    """
    found = kind_of(root)
    if not isinstance(found, Table) or (model is not None and found.model is not model):
        return None
    return build_as(root, found.model, strict=strict)


def _table_of(
    root: MapNode,
    document: Document | None,
    model: type[Any] | None,
    *,
    as_told: bool = False,
) -> Table:
    """The table of the record ``root`` holds: of ``model``, else `KindError`.

    With no ``model``, of the kind ``root`` holds, or `KindError` if none fits.
    A record that is no kind at all is checked as ``model``: its errors say
    what is wrong with it as such. ``as_told`` is as for `structure`.
    """
    found = kind_of(root)
    if model is None:
        if isinstance(found, Unknown):
            raise _unknown_kind(root, document, found)
        return found
    table = TABLES[model]
    if (
        isinstance(found, Table)
        and found is not table
        and (as_told or not _may_be(found, table, root))
    ):
        raise _other_kind(root, document, found, table)
    return table


def _may_be(found: Table, asked: Table, root: MapNode) -> bool:
    """Whether a record told to be of ``found`` by its keys alone may be ``asked``."""
    return not evidence(found, root)[1] and may_be(asked, root)


def _structure_root(
    root: MapNode,
    document: Document | None,
    table: Table,
    *,
    strict: bool,
    max_problems: int,
) -> Any:
    model = table.model
    errors: list[tuple[int, FieldError]] = []
    needed = table.needs_one_of
    if needed and root.keys().isdisjoint(needed):
        message = (
            f"a {table.kind} record needs {table.needs}: one of {', '.join(needed)}"
        )
        errors.append(_field_error(root, [], "missing", message, at_key=False))
    else:
        record = build_as(root, model, strict=strict)
        if record is not None:
            return record
    budget = _Budget(max_problems - len(errors), strict=strict)
    token = _BUDGET.set(budget)
    try:
        record = _converted(root, model, strict=strict)
    except (ClassValidationError, Invalid) as exc:
        errors.extend(_field_errors(root, exc, model))
        error = _validation_error(document, errors, max_problems, budget.more)
        error.kind = table.kind
        scrub(exc)  # a dependency's exception may quote a value: even a token
        raise error from exc
    finally:
        _BUDGET.reset(token)
    if errors:  # only the missing link
        error = _validation_error(document, errors, max_problems, 0)
        error.kind = table.kind
        raise error
    return record


def _converted(root: MapNode, model: type[T], *, strict: bool) -> T:
    """The converter's record of ``model``, built without the models' own checks.

    The converter checks every value itself, and only builds a record of valid
    ones; a model's constructor would check them all over again.
    """
    reading = READING.set(True)
    try:
        return _converter(strict=strict).structure(root, model)
    finally:
        READING.reset(reading)


def structure_as(root: MapNode, model: type[T]) -> T:
    """A record of ``model`` from a tree not read from a file (see `structure_values`).

    Raises `ValidationError` listing every problem, with key paths.
    """
    record: T | None = build_as(root, model, strict=False)
    if record is not None:
        return record
    budget = _Budget(DEFAULT_MAX_PROBLEMS, strict=False)
    token = _BUDGET.set(budget)
    try:
        return _converted(root, model, strict=False)
    except (ClassValidationError, Invalid) as exc:
        errors = list(_field_errors(root, exc, model))
        error = _validation_error(None, errors, DEFAULT_MAX_PROBLEMS, budget.more)
        scrub(exc)
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
            if not isinstance(problem, _NOT_PROBLEMS):
                self.left -= 1

    def spent(self) -> bool:
        return self.left <= 0


class _Unlisted(Exception):  # noqa: N818 (a signal, not an error of the record)
    """A value whose problems were all found past the budget.

    They are counted in `_Budget.more`; the value fails, with none to list.
    """


#: What a group of problems holds that is not a problem to list itself.
_NOT_PROBLEMS: Final = (ClassValidationError, IterableValidationError, _Unlisted)
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
    lines = Lines(text)
    placed = []
    for offset, error in errors:
        line, column = lines.position(offset)
        placed.append(attrs.evolve(error, line=line, column=column))
    return placed


def _other_kind(
    root: MapNode, document: Document | None, found: Table, asked: Table
) -> KindError:
    """The error of a record of another kind than the one asked for."""
    deciding = [key for key in root if key in DECIDING_KEYS]
    kind = found.kind or found.model.__name__
    said, decisive = evidence(found, root)
    missing = "" if decisive else lacking(asked, root)
    message = (
        f"not a {asked.kind} record{f' (it has no {missing})' if missing else ''}: "
        f"its kind is `{kind}` (from {said}); newsrecord.load_record reads every kind"
    )
    path: list[_Step] = [deciding[0]] if deciding else []
    error = _field_error(root, path, "kind", message, at_key=True)
    return KindError(_kind_errors(document, error), kind=kind, path=_path(document))


def _unknown_kind(
    root: MapNode, document: Document | None, found: Unknown
) -> KindError:
    """The error of a front matter that is no kind of record known."""
    message = f"no kind of record has {found.seen}"
    if found.close:
        message += f"; the closest kinds: {', '.join(found.close)}"
    path: list[_Step] = [found.key] if found.key is not None else []
    error = _field_error(root, path, "kind", message, at_key=True)
    return KindError(
        _kind_errors(document, error),
        kind=None,
        close=found.close,
        path=_path(document),
    )


def _kind_errors(
    document: Document | None, error: tuple[int, FieldError]
) -> list[FieldError]:
    if document is None:
        return [error[1]]
    return _placed(document.text, [error])


def _path(document: Document | None) -> str | None:
    return None if document is None else document.path


# --- from exception groups to FieldErrors -----------------------------------------


def _field_errors(
    root: MapNode, exc: BaseException, model: type[Any]
) -> Iterator[tuple[int, FieldError]]:
    for path, leaf in _leaves(exc, [], model):
        if isinstance(leaf, Invalid):
            yield _field_error(root, path, leaf.code, leaf.message, at_key=leaf.at_key)
        elif isinstance(leaf, KeyError):
            message = f"missing required key `{path[-1]}`"
            yield _field_error(root, path, "missing", message, at_key=False)
        elif isinstance(leaf, _Unlisted):  # counted in the budget's `more`
            continue
        else:  # a bug of ours, not a problem of the record: let it be seen
            raise leaf


def _leaves(
    exc: BaseException, path: list[_Step], model: type[Any] | None
) -> Iterator[tuple[list[_Step], BaseException]]:
    """Each problem in ``exc``, with its key path; ``model`` is the record's there."""
    if not isinstance(exc, (ClassValidationError, IterableValidationError)):
        yield path, exc
        return
    for sub in exc.exceptions:
        step: _Step | None = None
        inner = model
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                field = TABLES[model].by_attribute(note.name) if model else None
                step = file_key(note.name) if field is None else field.key
                inner = None if field is None else field.model
            elif isinstance(note, IterableValidationNote):
                step = note.index
            elif isinstance(note, _KeyNote):
                step = note.key
        yield from _leaves(sub, path if step is None else [*path, step], inner)


def _field_error(
    root: MapNode, path: list[_Step], code: str, message: str, *, at_key: bool
) -> tuple[int, FieldError]:
    """An error at the offset of ``path``, to be placed by `_placed`."""
    offset = _offset(root, path, at_key=at_key)
    return offset, FieldError(key_path(path), message, code, None, None)


def _offset(root: MapNode, path: list[_Step], *, at_key: bool) -> int:
    """Where the value at ``path`` stands, or its deepest parent that is there."""
    node: object = root
    offset = root.start
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, MapNode) and isinstance(step, str) and step in node:
            key_start, value_start, _ = node.spans[step]
            offset = key_start if last and at_key else value_start
            node = node[step]
        elif isinstance(node, ListNode) and isinstance(step, int) and step < len(node):
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
    kept in each record's ``extra``. Each field's hook comes from its rule in the
    field table; a nested model's table comes before the tables that hold it.
    """
    converter = cattrs.Converter(detailed_validation=True)
    for table in TABLES.values():
        converter.register_structure_hook(
            table.model, _model_hook(converter, table, strict=strict)
        )
    return converter


def _optional_hook(inner: StructureHook, inner_type: Any) -> StructureHook:
    def structure_optional(value: Any, _: Any) -> Any:
        return None if is_null_value(value) else inner(value, inner_type)

    return structure_optional


def _tuple_hook(item: StructureHook, item_type: Any) -> StructureHook:
    def structure_tuple(value: Any, type_: Any) -> tuple[Any, ...]:
        if not isinstance(value, ListNode):
            raise Invalid("type", f"expected a list, got {got(value)}")
        budget = _budget()
        left, more = budget.left, budget.more
        try:
            return tuple([item(element, item_type) for element in value])
        except Exception as exc:  # gathered again, one by one, and counted once
            budget.left, budget.more = left, more
            errors = _item_errors(value, item, item_type)
            if not errors:  # all found past the budget: counted, none to list
                raise _Unlisted from exc
            raise IterableValidationError("invalid list", errors, type_) from exc

    return structure_tuple


def _valid(value: Any, item: StructureHook, item_type: Any, *, strict: bool) -> bool:
    """Whether a list item is valid, found cheaply.

    A record by the direct builder, which stops at its first problem (an item
    that is no mapping is none); a scalar by its own hook.
    """
    if attrs.has(item_type):
        return (
            isinstance(value, MapNode)
            and build_as(value, item_type, strict=strict) is not None
        )
    try:
        item(value, item_type)
    except Exception:  # noqa: BLE001 (any problem is one)
        return False
    return True


def _item_errors(
    items: ListNode, item: StructureHook, item_type: Any
) -> list[Exception]:
    errors: list[Exception] = []
    budget = _budget()
    for index, element in enumerate(items):
        if budget.spent():
            budget.more += sum(
                not _valid(rest, item, item_type, strict=budget.strict)
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
    converter: cattrs.Converter, table: Table, *, strict: bool
) -> Callable[[Any, Any], Any]:
    model = table.model
    overrides: dict[str, Any] = {
        name: override(omit=True) for name in NOT_FROM_FRONT_MATTER
    }
    for field in table.fields:
        hook = field_hook(
            field,
            record=converter.get_structure_hook,
            listing=_tuple_hook,
            absent=_optional_hook,
        )
        overrides[field.attribute] = override(rename=field.key, struct_hook=hook)
    inner = make_dict_structure_fn(
        model, converter, _cattrs_detailed_validation=True, **overrides
    )
    known_keys = table.keys

    def structure_model(value: Any, _: Any) -> Any:
        if not isinstance(value, MapNode):
            raise Invalid("type", f"expected a mapping, got {got(value)}")
        if known_keys.issuperset(value):
            try:
                return inner(value, model)
            except ClassValidationError as exc:
                _budget().take(exc.exceptions)
                raise
        return _with_unknown_keys(value, table, inner, strict=strict)

    return structure_model


def _with_unknown_keys(
    value: MapNode, table: Table, inner: Callable[[Any, Any], Any], *, strict: bool
) -> Any:
    """Structure a mapping that has keys the model does not know."""
    model, known = table.model, table.keys
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
                raise _unknown_key(key, table)
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


def _unknown_key(key: str, table: Table) -> Invalid:
    message = f"unknown key {quoted(key, backticks=True)} in {table.place}"
    close = difflib.get_close_matches(key, sorted(table.keys), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean `{close[0]}`?"
    return Invalid("unknown-key", message, at_key=True)
