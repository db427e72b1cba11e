"""Checking one value: the rule of each field type, from the tree to Python.

Each hook takes a value of the front-matter tree (`newsrecord._tree`) and the type
asked for, and gives the Python value or raises `Invalid` with an error code and
a message that never shows more of the file than `newsrecord._errors.quoted`
allows. The hooks are strict: a string field takes text only (a plain scalar
keeps the text written in the file), an int field an integer only (no bools,
floats or quoted digits), a timestamp must carry a timezone.

`newsrecord._direct` calls them to build a valid record, and
`newsrecord._structure` registers them with its cattrs converter, which reports
the problems of the others: both apply the same rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any, Final, get_args

from ._errors import QUOTE_LIMIT, quoted
from ._model import ReadOnlyMapping, SecuredToken
from ._scalars import (
    NotAScalarOfThatType,
    as_bool,
    as_int,
    as_timestamp,
    is_null,
    resolve,
)
from ._spec import NULL_IS_ABSENT, Rule
from ._tree import ListNode, MapNode, Plain

if TYPE_CHECKING:
    import typing
    from collections.abc import Callable

    from ._spec import Field

    #: A hook: a value of the tree and the type asked for, to the Python value.
    Hook: typing.TypeAlias = Callable[[Any, Any], Any]

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
URL: Final = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.ASCII)
ROOT_PATH: Final = re.compile(r"/(?!/)\S*", re.ASCII)


class Invalid(Exception):  # noqa: N818 (a signal, becomes a FieldError)
    """A value is wrong; ``at_key`` points the error at the key, not the value."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        at_key: bool = False,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.at_key = at_key
        if cause is not None:
            # What `raise ... from cause` does, which compiled code leaves out.
            self.__cause__ = cause


def to_python(value: object) -> object:
    """The value YAML gives for an unknown key's tree, made read-only."""
    if isinstance(value, Plain):
        try:
            return resolve(value)
        except ValueError as exc:
            raise Invalid("value", f"cannot be read as YAML: {exc}", cause=exc)
    if isinstance(value, MapNode):
        return ReadOnlyMapping({key: to_python(item) for key, item in value.items()})
    if isinstance(value, ListNode):
        return tuple(to_python(item) for item in value)
    return value


def describe(value: object) -> str:
    """What ``value`` is, in an error message's words ("a list", "an integer")."""
    if isinstance(value, MapNode):
        return "a mapping"
    if isinstance(value, ListNode):
        return "a list"
    if isinstance(value, Plain):
        try:
            value = resolve(value)
        except ValueError:
            return "text"
        if isinstance(value, str):
            return "text"
    elif isinstance(value, str):
        return "a string"  # quoted, tagged `!!str`, or given as `str`
    return _PYTHON_NAMES.get(type(value), f"a value of type {type(value).__name__}")


def got(value: object) -> str:
    """What a message says it got: ``'hot' (text)``, ``-1 (an integer)``, ``a list``.

    A scalar shows as written (quoted by the rules of `quoted`), then what it is;
    a list, a mapping, null and binary data show as what they are.
    """
    what = describe(value)
    if isinstance(value, (MapNode, ListNode, bytes)) or is_null_value(value):
        return what
    if isinstance(value, str):
        return f"{quoted(value)} ({what})"
    text = str(value)
    shown = text if len(text) <= QUOTE_LIMIT else quoted(text)
    return f"{shown} ({what})"


#: The example a timestamp's message gives of the form expected.
TIMESTAMP_FORM: Final = "2024-03-18T07:30:00Z"
#: What a URL's message says is expected.
URL_FORM: Final = "an absolute http(s) URL (https://...)"


_PYTHON_NAMES: Final[dict[type, str]] = {
    type(None): "nothing (null)",
    bool: "true or false",
    int: "an integer",
    float: "a decimal number",
    dt.datetime: "a timestamp",
    dt.date: "a date",
    bytes: "binary data",
}


#: Plain text up to this long is shared between records: names, domains, topics
#: and kinds repeat across the records of a repository. Shared for as long as it
#: is among the last `_MOST_TEXTS` texts read: a bounded table of our own, not
#: `sys.intern`, whose table (the process's names among them) is made anew
#: larger as texts come and go, and looked up again to drop each one.
SHARED_TEXT: Final = 40
_TEXTS: Final[dict[str, str]] = {}
_MOST_TEXTS: Final = 4096


def structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, Plain):
        text = str(value)
        if len(text) > SHARED_TEXT:
            return text
        shared = _TEXTS.get(text)
        if shared is None:
            if len(_TEXTS) >= _MOST_TEXTS:
                _TEXTS.clear()
            _TEXTS[text] = shared = text
        return shared
    raise Invalid("type", f"expected text, got {got(value)}")


def structure_int(value: Any, _: Any) -> int:
    if isinstance(value, Plain):
        try:
            number = as_int(value)
        except NotAScalarOfThatType as other:
            message = f"expected an integer, got {got(value)}"
            raise Invalid("type", message, cause=other)
        except ValueError as exc:  # more digits than Python converts
            message = "an integer of thousands of digits is outside the 32-bit range"
            raise Invalid("range", message, cause=exc)
    elif type(value) is int:
        number = value
    else:
        raise Invalid("type", f"expected an integer, got {got(value)}")
    if not INT32_MIN <= number <= INT32_MAX:
        raise Invalid("range", _out_of_range(number))
    return number


def _out_of_range(number: int) -> str:
    if number.bit_length() <= 64:  # shown in full up to 20 digits
        return f"{number} is outside the 32-bit range [{INT32_MIN}, {INT32_MAX}]"
    try:
        digits = str(len(str(abs(number))))
    except ValueError:  # more digits than Python prints
        digits = "thousands of"
    return f"an integer of {digits} digits is outside the 32-bit range"


def structure_size(value: Any, type_: Any) -> Any:
    """A size: an int that is not negative, shared when small (see `SHARED_SIZES`).

    Typed `Any`: compiled, a function typed to give an `int` would make a new int
    object of it for every caller.
    """
    number = structure_int(value, type_)
    if number < 0:
        raise Invalid("range", f"a size cannot be negative ({number})")
    if number < SHARED_SIZES:  # sizes of images repeat: 1200 by 675, 50 by 50
        return _SIZES.setdefault(number, number)
    return number


#: Sizes up to this are shared between records, as Python shares ints to 256.
SHARED_SIZES: Final = 8192
#: Typed `object` so that, compiled, the very int objects are kept and given.
_SIZES: Final[dict[object, object]] = {}


def structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, Plain):
        try:
            return as_bool(value)
        except NotAScalarOfThatType:
            pass
    elif type(value) is bool:
        return value
    raise Invalid("type", f"expected true or false, got {got(value)}")


def structure_datetime(value: Any, _: Any) -> dt.datetime:
    if isinstance(value, Plain):
        try:
            moment = as_timestamp(value)
        except NotAScalarOfThatType as other:
            message = f"expected a timestamp such as {TIMESTAMP_FORM}, got {got(value)}"
            raise Invalid("timestamp", message, cause=other)
        except ValueError as exc:
            message = f"not a real date and time: {quoted(value)} ({exc})"
            raise Invalid("timestamp", message, cause=exc)
    elif type(value) is str:
        try:
            moment = _from_iso(value)
        except ValueError as exc:
            message = (
                f"expected an ISO 8601 timestamp such as {TIMESTAMP_FORM}, "
                f"got {got(value)}"
            )
            raise Invalid("timestamp", message, cause=exc)
    elif isinstance(value, dt.date):
        moment = value
    else:
        message = f"expected a timestamp such as {TIMESTAMP_FORM}, got {got(value)}"
        raise Invalid("timestamp", message)
    if not isinstance(moment, dt.datetime):
        message = (
            f"{_written(value, moment)} is a date without a time: expected a date "
            f"and time with a timezone, such as {TIMESTAMP_FORM}"
        )
        raise Invalid("timestamp", message)
    if moment.utcoffset() is None:
        message = (
            f"{_written(value, moment)} has no timezone: add Z or an offset "
            "such as +00:00"
        )
        raise Invalid("timezone", message)
    return moment


def _written(value: object, moment: dt.date) -> str:
    """A timestamp's value as a message quotes it: as written, if it was text."""
    if isinstance(value, str):
        return quoted(value)
    return moment.isoformat()


def _from_iso(text: str) -> dt.date:
    """Quoted ISO 8601 text as a date alone or as a date and time.

    A date alone is read first: `datetime.fromisoformat` would make it midnight.
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromisoformat(text)


def choices(type_: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` type, or of an optional one."""
    args = get_args(type_)
    if args and not isinstance(args[0], str):  # Literal[...] | None
        return get_args(args[0])
    return args


def literal_hook(type_: Any) -> Callable[[Any, Any], str]:
    """The hook of a ``Literal`` type: text that is one of its values."""
    allowed = choices(type_)
    # An empty choice is a key written with nothing after it (``type:``).
    words = " or ".join(f"`{choice}`" if choice else "nothing" for choice in allowed)
    # Each choice as one shared string: a record keeps no copy of its own.
    shared: dict[str, str] = {choice: choice for choice in allowed}

    def structure_literal(value: Any, _: Any) -> str:
        text = structure_str(value, type_)
        choice = shared.get(text)
        if choice is not None:
            return choice
        message = f"must be {words}, not {quoted(text, backticks=True)}"
        raise Invalid("value", message)

    return structure_literal


def structure_number(value: Any, _: Any) -> Any:
    """An integer or a finite decimal number, kept as the one it is written as.

    Typed `Any`: compiled, a function typed to give a `float` turns an int into
    a float.
    """
    number: object = value
    if isinstance(value, Plain):
        try:
            number = resolve(value)
        except ValueError as exc:
            message = f"expected a number, got {got(value)}"
            raise Invalid("type", message, cause=exc)
    if type(number) is int:
        return structure_int(number, int)  # in the 32-bit range, as integers are
    if type(number) is float:
        if not math.isfinite(number):
            raise Invalid("value", f"expected a finite number, got {got(value)}")
        return number
    raise Invalid("type", f"expected a number, got {got(value)}")


def structure_token(value: Any, _: Any) -> SecuredToken:
    if not isinstance(value, str):
        raise Invalid("type", f"expected the token as text, got {describe(value)}")
    try:
        return SecuredToken.parse(value)
    except ValueError as exc:  # its message gives lengths, never the token
        raise Invalid("token", f"malformed token: {exc}", cause=exc)


def is_url(text: str) -> bool:
    r"""Whether `URL` matches ``text``, seen without the pattern for the common URL.

    In text `_spaceless` every character is one ``\S`` matches, so what is left
    to check is the scheme and the first character of the host.
    """
    if _spaceless(text):
        if text.startswith("https://"):
            host = 8
        elif text.startswith("http://"):
            host = 7
        else:
            return False
        return len(text) > host and text[host] not in "/?#"
    return URL.fullmatch(text) is not None


def is_root_path(text: str) -> bool:
    """Whether `ROOT_PATH` matches ``text``, seen as `is_url` sees a URL."""
    if _spaceless(text):
        return text[:1] == "/" and text[1:2] != "/"
    return ROOT_PATH.fullmatch(text) is not None


def _spaceless(text: str) -> bool:
    r"""Whether ``text`` is ASCII without a character ``\s`` stands for.

    Under ``re.ASCII``, those are space, tab, and the line and page breaks. Each
    is looked for on its own: a search for one character is a scan of memory,
    where `str.isprintable` would look each character up in Unicode's tables.
    """
    return (
        text.isascii()
        and " " not in text
        and "\t" not in text
        and "\n" not in text
        and "\r" not in text
        and "\f" not in text
        and "\v" not in text
    )


def structure_url(value: Any, type_: Any) -> str:
    text = structure_str(value, type_)
    if not is_url(text):
        raise Invalid("url", f"expected {URL_FORM}, got {_link_got(value, text)}")
    return text


def structure_image_url(value: Any, type_: Any) -> str:
    text = structure_str(value, type_)
    # A path on the site starts with /, a URL never does: one check, not both.
    if not (is_root_path(text) if text[:1] == "/" else is_url(text)):
        message = (
            f"expected {URL_FORM} or a path starting with / (/assets/...), "
            f"got {_link_got(value, text)}"
        )
        raise Invalid("url", message)
    return text


def _link_got(value: object, text: str) -> str:
    """What a link's message says it got: the text, or nothing for a null."""
    return got(value) if is_null_value(value) else quoted(text)


#: The hook of each rule of a single value (`newsrecord._spec.Rule`); a choice's
#: hook is made for its values by `literal_hook`.
RULES: Final[dict[Rule, Hook]] = {
    Rule.TEXT: structure_str,
    Rule.LINK: structure_url,
    Rule.IMAGE_LINK: structure_image_url,
    Rule.INT32: structure_int,
    Rule.NUMBER: structure_number,
    Rule.SIZE: structure_size,
    Rule.BOOL: structure_bool,
    Rule.TIMESTAMP: structure_datetime,
    Rule.TOKEN: structure_token,
}


def field_hook(
    field: Field,
    *,
    record: Callable[[Any], Hook],
    listing: Callable[[Hook, Any], Hook],
    absent: Callable[[Hook, Any], Hook],
) -> Hook:
    """The hook of a field, by its rule in the field table.

    The builder and the converter wrap hooks their own way: ``record`` gives the
    hook of a nested model, ``listing`` makes a list's hook of its item's hook and
    type, ``absent`` makes a hook that reads YAML's null as ``None``.
    """
    rule = field.rule
    if rule is Rule.RECORD:
        return record(field.model)
    if rule is Rule.RECORDS:
        return listing(record(field.model), field.model)
    if rule is Rule.TEXTS:
        return listing(structure_str, str)
    if rule is Rule.CHOICE:
        return literal_hook(field.type)
    hook = RULES[rule]
    if not field.required and rule in NULL_IS_ABSENT:
        return absent(hook, field.type)
    return hook


def is_null_value(value: object) -> bool:
    """Whether a value of the tree is YAML's null."""
    return value is None or (isinstance(value, Plain) and is_null(value))
