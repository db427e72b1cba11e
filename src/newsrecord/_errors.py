"""The errors newsrecord raises: all of them are `NewsRecordError`, a `ValueError`.

Errors are data. Each carries the file's ``path`` (or ``None``), a 1-based ``line``
and ``column`` in the coordinates of the whole file, and a stable ``code``; field
errors also carry the key path as spelled in the file (``related[0].images[0].width``).
No message ever contains the value of a ``secured`` token, nor quotes more than
`QUOTE_LIMIT` characters of the file at once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

#: A message quotes a piece of the file (a key, a value, a tag) only whole and up
#: to this many characters; a longer one shows as its size. Real keys and the
#: values quoted come nowhere near it, and a ``secured`` token (49 characters at
#: the least) never fits.
QUOTE_LIMIT: Final = 40

_E = TypeVar("_E", bound=BaseException)


def quoted(text: str, *, backticks: bool = False) -> str:
    """``text`` from a record as a message quotes it: whole, or ``<N characters>``.

    Quoted as its repr (``'title'``), or in backticks (```title```).
    """
    if len(text) > QUOTE_LIMIT:
        return f"<{len(text)} characters>"
    return f"`{text}`" if backticks else repr(text)


def shown(value: object) -> str:
    """A value given in Python as a message shows it: its repr, or its size."""
    text = repr(value)
    return text if len(text) <= QUOTE_LIMIT else f"<{len(text)} characters>"


#: A piece a dependency's message quotes that is too long to quote: closed, or cut
#: off at the end of the message (`int` quotes at most 200 characters of its text).
_LONG_QUOTE: Final = re.compile(
    f"'[^'\n]{{{QUOTE_LIMIT + 1},}}'?|\"[^\"\n]{{{QUOTE_LIMIT + 1},}}\"?"
)


def short_quotes(text: str) -> str:
    """A dependency's message with the long pieces it quotes counted (see `quoted`)."""
    return _LONG_QUOTE.sub(lambda found: quoted(_unquoted(found[0])), text)


def _unquoted(piece: str) -> str:
    quote, rest = piece[0], piece[1:]
    return rest[:-1] if rest.endswith(quote) else rest


def scrub(error: BaseException) -> None:
    """Keep the exceptions chained to ``error`` from holding the file's text.

    A dependency's exception may quote a value of the file, and the value may be
    a ``secured`` token: written where it does not belong, tagged ``!!int``,
    lowercased by PyYAML's bool constructor. Every exception in the chain (causes,
    contexts, the members of exception groups) that is not newsrecord's own is
    changed in place: the long pieces its arguments and text attributes quote are
    counted as `quoted` counts them, a key it did not find (`KeyError`) too, and
    a Unicode error keeps of its text only the characters it is about.
    """
    for linked in chain(error):
        if not type(linked).__module__.startswith(__package__ or "newsrecord"):
            _scrub_one(linked)


def chain(error: BaseException, *, contexts: bool = True) -> Iterator[BaseException]:
    """``error`` and every exception chained to it, each once.

    Its causes, its contexts (unless ``contexts`` is false), and the members of
    every exception group among them, and theirs.
    """
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = (current.__cause__, current.__context__ if contexts else None)
        todo.extend(link for link in linked if link is not None)
        todo.extend(getattr(current, "exceptions", ()))


def _scrub_one(error: BaseException) -> None:
    if isinstance(error, (UnicodeDecodeError, UnicodeEncodeError)):
        start, end = error.start, error.end
        error.object = error.object[start:end]
        error.start, error.end = 0, end - start
        error.args = (error.encoding, error.object, 0, end - start, error.reason)
        return
    if isinstance(error, LookupError):  # the key or index itself, unquoted
        error.args = tuple(
            f"<{len(arg)} characters>"
            if isinstance(arg, str) and len(arg) > QUOTE_LIMIT
            else arg
            for arg in error.args
        )
        return
    error.args = tuple(
        short_quotes(arg) if isinstance(arg, str) else arg for arg in error.args
    )
    for name, value in list(getattr(error, "__dict__", {}).items()):
        if isinstance(value, str):
            setattr(error, name, short_quotes(value))


def _where(path: str | None, line: int | None, column: int | None) -> str:
    parts = [path or "<string>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)


class NewsRecordError(ValueError):
    """Base class of every error newsrecord raises about a record.

    ``path`` names the file (``None`` for text without one), ``line`` and ``column``
    are 1-based and count characters of the whole file, ``code`` is stable.
    """

    code: str
    path: str | None
    line: int | None
    column: int | None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


def detached(error: _E) -> _E:
    """``error`` without its traceback and the exceptions it came from.

    For an error kept as a value or sent to another process: it keeps all it
    says (message, path, codes, positions), and holds no frame or file text.
    Pickling the exceptions a field error came from can also fail where another
    library changes how exceptions pickle (Dask's does, through tblib).
    """
    error.__cause__ = None
    error.__context__ = None
    return error.with_traceback(None)


def _rebuild(
    cls: type[NewsRecordError], args: tuple[Any, ...], state: dict[str, Any]
) -> NewsRecordError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class FrontMatterError(NewsRecordError):
    """The file's frame or its YAML is broken: nothing could be read as fields.

    Codes: ``encoding``, ``no-front-matter``, ``text-before-front-matter``,
    ``unclosed-front-matter``, ``yaml-syntax``, ``yaml-unsupported``,
    ``not-a-mapping``, ``duplicate-key``, ``key-not-a-string``, ``too-large``,
    ``too-deep``, ``too-many-nodes`` (the last three: see `Limits`).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{_where(self.path, self.line, self.column)}: {self.message}"


@attrs.frozen
class FieldError:
    """One problem with one field of a record.

    ``key_path`` is spelled as in the file (``provider.images[0].url``); the empty
    string stands for the record as a whole.
    """

    key_path: str
    message: str
    code: str
    line: int | None
    column: int | None

    def format(self, path: str | None) -> str:
        """``path:line:column: key.path: message``, the form editors and CI read."""
        where = _where(path, self.line, self.column)
        if self.key_path:
            return f"{where}: {self.key_path}: {self.message}"
        return f"{where}: {self.message}"


class ValidationError(NewsRecordError):
    """The front matter was read, but some fields are wrong: every problem at once.

    ``errors`` lists them in file order; ``line`` and ``column`` are those of the
    first. ``more`` counts the problems found past `Limits.max_problems` and not
    listed (at the least: one for each value with any problem), 0 when all are
    listed. Codes of the field errors: ``missing``, ``type``, ``value``, ``url``,
    ``timestamp``, ``timezone``, ``range``, ``token``, ``unknown-key``, ``kind``.
    """

    code = "validation"
    #: The kind of record (``news``, ``course``, ...) whose fields are wrong, when
    #: known.
    kind: str | None = None

    def __init__(
        self, errors: Iterable[FieldError], *, path: str | None = None, more: int = 0
    ) -> None:
        self.errors = tuple(errors)
        if not self.errors:
            msg = "a ValidationError needs at least one FieldError"
            raise ValueError(msg)
        self.more = more
        self.path = path
        self.line = self.errors[0].line
        self.column = self.errors[0].column
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.errors) == 1 and not self.more:
            return self.errors[0].format(self.path)
        where = self.path or "<string>"
        lines = [f"{where}: {len(self.errors)} problems"]
        if self.more:
            lines[0] += f" listed, and at least {self.more} more"
        lines.extend(error.format(self.path) for error in self.errors)
        if self.more:
            lines.append(f"{where}: and at least {self.more} more problems")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._message()


class KindError(ValidationError):
    """The file is not a record of the kind asked for, or of any kind known.

    ``kind`` names the kind the file holds (``course``, ``profile``, ...), as
    `newsrecord.load_record` reads it, or is ``None`` when no kind fits; then
    ``close`` names the kinds that came closest, closest first.
    """

    code = "kind"

    def __init__(
        self,
        errors: Iterable[FieldError],
        *,
        kind: str | None,
        close: tuple[str, ...] = (),
        path: str | None = None,
    ) -> None:
        super().__init__(errors, path=path)
        self.kind = kind
        self.close = close
