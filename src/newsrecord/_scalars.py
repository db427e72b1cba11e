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
from typing import Any, Final

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
# The common timestamp, which `datetime.fromisoformat` reads to the same value (and
# refuses with the same errors) as PyYAML's constructor.
_COMMON_UTC: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
)


class NotAScalarOfThatType(ValueError):  # noqa: N818 (a signal, not a failure)
    """The plain scalar is not of the type that was asked for."""


class UnsupportedScalar(ValueError):  # noqa: N818 (mirrors PyYAML's refusal)
    """A plain scalar PyYAML's safe loader refuses to build (``=``, ``<<``, ``*``)."""


def as_bool(text: str) -> bool:
    """The bool a plain scalar stands for; `NotAScalarOfThatType` if none."""
    value = _BOOLS.get(text)
    if value is None:
        raise NotAScalarOfThatType(text)
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
        raise NotAScalarOfThatType(text)
    return _construct_int(text)


def as_timestamp(text: str) -> dt.datetime | dt.date:
    """The datetime (or date) a plain scalar stands for; `NotAScalarOfThatType` if none.

    Raises `ValueError` (not `NotAScalarOfThatType`) for a timestamp-shaped scalar
    that names no real moment, such as ``2019-13-45``, as PyYAML does.
    """
    if _COMMON_UTC.fullmatch(text) is not None:
        return dt.datetime.fromisoformat(text)
    if _TIMESTAMP_IMPLICIT.fullmatch(text) is None:
        raise NotAScalarOfThatType(text)
    return construct_timestamp(text)


def resolve(text: str) -> object:
    """The value PyYAML's safe loader constructs for the plain scalar ``text``."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text in {"=", "<<", "!", "&", "*"}:  # PyYAML's value, merge and yaml tags
        raise UnsupportedScalar(text)
    first = text[0]
    if first in "-+0123456789.":
        if _INT.fullmatch(text):
            return _construct_int(text)
        if _FLOAT.fullmatch(text):
            return _construct_float(text)
        if _TIMESTAMP_IMPLICIT.fullmatch(text):
            return construct_timestamp(text)
    return str(text)  # a str, not the tree's Plain


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
        return sign * int(value, 0)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        digits = [int(part) for part in value.split(":")]
        _check_sexagesimal_size(len(digits))
        number: int = _base60(digits)
        return sign * number
    return sign * int(value)


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


def _check_sexagesimal_size(parts: int) -> None:
    """Refuse a base-60 int longer than a decimal one Python would convert.

    Its value takes time quadratic in its length to compute (PyYAML takes minutes
    over a few megabytes of ``1:00:00:...``); a decimal int past the same limit
    (`sys.get_int_max_str_digits`) is refused by `int` itself.
    """
    limit = sys.get_int_max_str_digits()
    if limit and (parts - 1) * _DIGITS_PER_SEXAGESIMAL_PART > limit:
        msg = (
            f"a base-60 integer of {parts} parts has more than the {limit} digits "
            "Python converts"
        )
        raise ValueError(msg)


_DIGITS_PER_SEXAGESIMAL_PART: Final = math.log10(60)


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
        number: float = _base60([float(part) for part in value.split(":")])
        return sign * number
    return sign * float(value)


def construct_timestamp(text: str) -> dt.datetime | dt.date:
    """Build the value of a timestamp-shaped scalar, as PyYAML's constructor does."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:  # pragma: no cover (the implicit pattern is narrower)
        raise NotAScalarOfThatType(text)
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
        if values["tz_sign"] == "-":
            delta = -delta
        tzinfo = dt.timezone(delta)
    elif values["tz"]:
        tzinfo = dt.UTC
    return dt.datetime(year, month, day, hour, minute, second, fraction, tzinfo=tzinfo)
