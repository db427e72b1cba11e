"""What YAML 1.1 makes of a plain scalar, exactly as PyYAML's safe loader does.

The readers keep plain scalars as text (`newsrecord._tree.Plain`); the structuring
layer asks this module for a bool, an int or a timestamp only where a field wants
one. `resolve` gives the value PyYAML would construct for any plain scalar, and is
what unknown keys and the differential tests use.

The common spellings (``27``, ``-1``, ``true``, ``2019-12-23T00:00:00Z``) take a fast
path; everything else goes through the full YAML 1.1 rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from typing import Any, Final, Literal, TypeAlias

from ._syntax import BOOL_WORDS as _BOOLS
from ._syntax import NULL_WORDS as _NULLS

_INT: Final = re.compile(
    r"""[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+""",
    re.VERBOSE,
)
_FLOAT: Final = re.compile(
    r"""[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN)""",
    re.VERBOSE,
)
_TIMESTAMP: Final = re.compile(
    r"""(?P<year>[0-9][0-9][0-9][0-9])
    -(?P<month>[0-9][0-9]?)
    -(?P<day>[0-9][0-9]?)
    (?:(?:[Tt]|[ \t]+)
    (?P<hour>[0-9][0-9]?)
    :(?P<minute>[0-9][0-9])
    :(?P<second>[0-9][0-9])
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)
    (?::(?P<tz_minute>[0-9][0-9]))?))?)?""",
    re.VERBOSE,
)
# The resolver only treats a scalar as a timestamp when it is a bare date or has
# exactly these separators (PyYAML's implicit resolver is stricter than its
# constructor: one- and two-digit months need the long form).
_TIMESTAMP_IMPLICIT: Final = re.compile(
    r"""[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?""",
    re.VERBOSE,
)
# The common timestamps, in UTC or at an offset of less than a day, which
# `datetime.fromisoformat` reads to the same value (and refuses with the same
# errors) as PyYAML's constructor, in a tenth of the time.
_COMMON: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}"
    r"(?:Z|[-+](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


#: The one NaN read, typed as an object so that compiled code keeps one object.
_NAN: Final[object] = math.nan

#: What a plain scalar is read as (see `kind_of`).
ScalarKind: TypeAlias = Literal[
    "null", "bool", "int", "float", "timestamp", "str", "unsupported"
]


class NotAScalarOfThatType(ValueError):  # noqa: N818 (a signal, not a failure)
    """The plain scalar is not of the type that was asked for.

    It carries nothing of the scalar: it becomes the cause of a field error, and
    the scalar may be a misplaced ``secured`` token.
    """


class UnsupportedScalar(ValueError):  # noqa: N818 (mirrors PyYAML's refusal)
    """A plain scalar PyYAML's safe loader refuses to build (``=``, ``<<``, ``*``)."""


def as_bool(text: str) -> bool:
    """The bool a plain scalar stands for; `NotAScalarOfThatType` if none."""
    value = _BOOLS.get(text)
    if value is None:
        raise NotAScalarOfThatType
    return value


def is_null(text: str) -> bool:
    """Whether a plain scalar stands for null (``resolve`` gives ``None``)."""
    return text in _NULLS


def as_int(text: str) -> int:
    """The int a plain scalar stands for; `NotAScalarOfThatType` if none.

    Raises `ValueError` (not `NotAScalarOfThatType`) for an int with more digits
    than Python converts (`sys.get_int_max_str_digits`), as PyYAML does; and for
    a base-60 one (``190:20:30``) with as many, which PyYAML computes, slowly.
    """
    # isdigit() alone would also take digits of other scripts ("١٢", "²").
    if text.isascii() and text.isdigit() and (text[0] != "0" or len(text) == 1):
        return int(text)
    # "0b_" and "0x_" match the pattern but hold no digits (PyYAML fails on them).
    if _INT.fullmatch(text) is None or text.strip("+-_") in {"0b", "0x"}:
        raise NotAScalarOfThatType
    return _construct_int(text)


def as_timestamp(text: str) -> dt.datetime | dt.date:
    """The datetime (or date) a plain scalar stands for; `NotAScalarOfThatType` if none.

    Raises `ValueError` (not `NotAScalarOfThatType`) for a timestamp-shaped scalar
    that names no real moment, such as ``2019-13-45``, as PyYAML does.
    """
    if _COMMON.fullmatch(text) is not None:
        return dt.datetime.fromisoformat(text)
    if _TIMESTAMP_IMPLICIT.fullmatch(text) is None:
        raise NotAScalarOfThatType
    return construct_timestamp(text)


def resolve(text: str) -> object:
    """The value PyYAML's safe loader constructs for the plain scalar ``text``.

    Raises `ValueError` where PyYAML fails to build one: an int of more digits
    than Python converts, a base-60 float too large for a float, a timestamp of
    no real moment, and `UnsupportedScalar` for ``=`` and ``<<``.
    """
    kind = kind_of(text)
    if kind == "str":
        return str(text)  # a str, not the tree's Plain
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOLS[text]
    if kind == "int":
        return _construct_int(text)
    if kind == "float":
        number = _construct_float(text)
        # NaN is unequal to itself: records holding one are equal only when they
        # hold the same object, so every NaN read is this one, compiled too.
        return _NAN if math.isnan(number) else number
    if kind == "timestamp":
        return construct_timestamp(text)
    raise UnsupportedScalar(text)


def kind_of(text: str) -> ScalarKind:  # noqa: PLR0911 (one return per kind)
    """What YAML 1.1 reads the plain scalar ``text`` as, from its spelling alone.

    One of ``"null"``, ``"bool"``, ``"int"``, ``"float"``, ``"timestamp"``,
    ``"str"``, or ``"unsupported"`` (PyYAML's value and merge keys, ``=`` and
    ``<<``, and the tags it keeps for itself). No value is built, so this takes
    time linear in the text whatever number it spells: it is what PyYAML's
    resolver decides, before its constructor runs.
    """
    if text in _NULLS:
        return "null"
    if text in _BOOLS:
        return "bool"
    if text in {"=", "<<", "!", "&", "*"}:  # PyYAML's value, merge and yaml tags
        return "unsupported"
    if text[0] in "-+0123456789.":
        if _INT.fullmatch(text):
            return "int"
        if _FLOAT.fullmatch(text):
            return "float"
        if _TIMESTAMP_IMPLICIT.fullmatch(text):
            return "timestamp"
    return "str"


def is_text(text: str) -> bool:
    """Whether YAML 1.1 reads the plain scalar ``text`` as that very text."""
    return kind_of(text) == "str"


def _construct_int(text: str) -> int:
    value = text.replace("_", "")
    sign = 1
    if value[0] in "+-":
        if value[0] == "-":
            sign = -1
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith(("0b", "0x")):
        number = int(value, 0)
    elif value[0] == "0":
        number = int(value, 8)
    elif ":" in value:
        parts = value.split(":")
        _check_sexagesimal_size(parts)
        number = _base60([int(part) for part in parts])
    else:
        return sign * int(value)  # `int` refuses more digits than it converts
    _check_digits(number)
    return sign * number


def _base60(digits: list[Any]) -> Any:
    """The number base-60 ``digits`` (most significant first) stand for.

    Added up as PyYAML does: from the least significant digit, in their own type
    (ints or floats; typed `Any` so that compiled code keeps Python's arithmetic).
    """
    result = digits[0] * 0
    base = 1
    for digit in digits[::-1]:
        result += digit * base
        base *= 60
    return result


def _check_sexagesimal_size(parts: list[str]) -> None:
    """Refuse a base-60 int surely longer than a decimal one Python would convert.

    Its value takes time quadratic in its length to compute (PyYAML takes minutes
    over a few megabytes of ``1:00:00:...``); a decimal int past the same limit
    (`sys.get_int_max_str_digits`) is refused by `int` itself. The value has at
    least this many digits: those of its first part, and 1.78 for each other.
    """
    limit = sys.get_int_max_str_digits()
    digits = len(parts[0]) + (len(parts) - 1) * _DIGITS_PER_SEXAGESIMAL_PART
    if limit and digits > limit + 1:
        msg = (
            f"a base-60 integer of {len(parts)} parts has more than the {limit} "
            "digits Python converts"
        )
        raise ValueError(msg)


def _check_digits(number: int) -> None:
    """Refuse an int of more decimal digits than Python converts, in any base.

    PyYAML refuses such an int written in decimal (`int` does), but builds one
    written in base 2, 8, 16 or 60; refused here too, every int read can be
    written back and printed (in JSON, too).
    """
    limit = sys.get_int_max_str_digits()
    if (
        limit
        and number.bit_length() > limit * _BITS_PER_DIGIT - 1
        and number >= 10**limit
    ):
        msg = f"an integer of more than the {limit} digits Python converts"
        raise ValueError(msg)


_DIGITS_PER_SEXAGESIMAL_PART: Final = math.log10(60)
_BITS_PER_DIGIT: Final = math.log2(10)


def _construct_float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = 1.0
    if value[0] in "+-":
        if value[0] == "-":
            sign = -1.0
        value = value[1:]
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    if ":" in value:
        parts = value.split(":")
        try:
            number: float = _base60([float(part) for part in parts])
        except OverflowError as exc:  # PyYAML fails alike, with this error
            msg = f"a base-60 float of {len(parts)} parts is too large for a float"
            raise ValueError(msg) from exc
        return sign * number
    return sign * float(value)


def float_text(number: float) -> str:
    """A float as YAML 1.1 writes it, plain, to read back as the same float.

    ``.nan``, ``.inf`` and ``-.inf`` for the values JSON has no words for; a dot
    in every other, as YAML 1.1 wants one: ``1.0e+16``, not ``1e+16``.
    """
    if math.isnan(number):
        return ".nan"
    if math.isinf(number):
        return ".inf" if number > 0 else "-.inf"
    text = repr(number).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


_DAY: Final = dt.timedelta(days=1)


def construct_timestamp(text: str) -> dt.datetime | dt.date:
    """Build the value of a timestamp-shaped scalar, as PyYAML's constructor does."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:  # pragma: no cover (the implicit pattern is narrower)
        raise NotAScalarOfThatType
    values = match.groupdict()
    year, month, day = int(values["year"]), int(values["month"]), int(values["day"])
    if not values["hour"]:
        return dt.date(year, month, day)
    hour, minute = int(values["hour"]), int(values["minute"])
    second = int(values["second"])
    fraction = 0
    if values["fraction"]:
        fraction = int(values["fraction"][:6].ljust(6, "0"))
    tzinfo: dt.tzinfo | None = None
    if values["tz_sign"]:
        delta = dt.timedelta(
            hours=int(values["tz_hour"]), minutes=int(values["tz_minute"] or 0)
        )
        if delta >= _DAY:
            # As datetime refuses it, in the file's words rather than its own.
            offset = text[text.rindex(values["tz_sign"]) :]
            message = f"the timezone offset {offset} is not less than 24 hours"
            raise ValueError(message)
        if values["tz_sign"] == "-":
            delta = -delta
        tzinfo = dt.timezone(delta)
    elif values["tz"]:
        tzinfo = dt.UTC
    return dt.datetime(year, month, day, hour, minute, second, fraction, tzinfo=tzinfo)
