"""Plain scalars read by YAML 1.1's rules, exactly as PyYAML's safe loader does."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from typing import TYPE_CHECKING, cast

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

import newsrecord
from newsrecord._scalars import (
    NotAScalarOfThatType,
    as_bool,
    as_int,
    as_timestamp,
    construct_timestamp,
    is_null,
    is_text,
    kind_of,
    resolve,
)
from records import record
from strategies import NUMBER_FORMS, number_forms, plain_scalars

if TYPE_CHECKING:
    from collections.abc import Callable

#: Line breaks, for YAML: a plain scalar never holds one.
_BREAKS = "\n\r\x85\u2028\u2029"


def pyyaml(text: str) -> object:
    """What PyYAML's safe loader makes of ``text`` as a plain scalar value.

    Raises `LookupError` when ``text`` is not one plain scalar in YAML's eyes.
    """
    try:
        node = yaml.compose(f"key: {text}\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise LookupError(text) from exc
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        raise LookupError(text)
    value = node.value[0][1]
    if not isinstance(value, yaml.ScalarNode) or value.style or value.value != text:
        raise LookupError(text)
    return yaml.safe_load(f"key: {text}\n")["key"]


def same(left: object, right: object) -> bool:
    """Equal values of the same type (NaN equals NaN)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float) and math.isnan(left):
        return isinstance(right, float) and math.isnan(right)
    return left == right


def pyyaml_or_error(text: str) -> object:
    """PyYAML's value, or the error it raises; `assume` it is one plain scalar."""
    try:
        return pyyaml(text)
    except LookupError:
        assume(condition=False)
        raise
    except (ValueError, ArithmeticError, yaml.YAMLError) as exc:
        return exc


class TestResolve:
    @given(plain_scalars())
    def test_same_as_pyyaml(self, text: str) -> None:
        """`resolve` gives PyYAML's value, of PyYAML's type, or fails where it does."""
        expected = pyyaml_or_error(text)
        if isinstance(expected, Exception):
            with pytest.raises(ValueError):  # noqa: PT011 (any ValueError of ours)
                resolve(text)
        else:
            assert same(resolve(text), expected)

    def test_text_is_a_plain_str(self) -> None:
        """Text comes back as an exact `str`, whatever subclass went in."""

        class Text(str):
            __slots__ = ()

        value = resolve(Text("hello"))
        assert type(value) is str
        assert value == "hello"


class TestAsType:
    @given(plain_scalars())
    def test_as_int_agrees_with_resolve(self, text: str) -> None:
        """`as_int` gives the int `resolve` gives, and refuses everything else."""
        expected = pyyaml_or_error(text)
        if type(expected) is int:
            assert same(as_int(text), expected)
        else:
            with pytest.raises(NotAScalarOfThatType):
                as_int(text)

    @given(plain_scalars())
    def test_as_bool_agrees_with_resolve(self, text: str) -> None:
        """`as_bool` gives the bool `resolve` gives, and refuses everything else."""
        expected = pyyaml_or_error(text)
        if type(expected) is bool:
            assert as_bool(text) is expected
        else:
            with pytest.raises(NotAScalarOfThatType):
                as_bool(text)

    @given(plain_scalars())
    def test_as_timestamp_agrees_with_resolve(self, text: str) -> None:
        """`as_timestamp` gives PyYAML's date or datetime, and refuses the rest."""
        expected = pyyaml_or_error(text)
        if isinstance(expected, dt.date):
            assert same(as_timestamp(text), expected)
        elif isinstance(expected, ValueError) and text[:4].isdigit():
            with pytest.raises(ValueError):  # noqa: PT011 (PyYAML's own complaint)
                as_timestamp(text)
        else:
            with pytest.raises(NotAScalarOfThatType):
                as_timestamp(text)

    @pytest.mark.parametrize("text", ["١٢", "²", "0b_", "0x_", "-0x_", "+0b"])
    def test_as_int_refuses_what_pyyaml_cannot_read(self, text: str) -> None:
        """Digits of other scripts and prefixes without digits are not integers."""
        with pytest.raises(NotAScalarOfThatType):
            as_int(text)


def resolver_or_error(text: str) -> object:
    """The value of ``text`` as an untagged plain scalar, by PyYAML's own resolver.

    No scanning: the resolver and the safe constructor see the text as it is, so
    this covers text that could never stand in a file as a plain scalar, too.
    """
    loader = yaml.SafeLoader("")
    try:
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        return loader.construct_object(yaml.ScalarNode(tag, text), deep=True)
    except (ValueError, ArithmeticError, yaml.YAMLError) as exc:
        return exc
    finally:
        loader.dispose()


#: `kind_of`'s names for the tags PyYAML's resolver gives a plain scalar.
_KINDS = {"value": "unsupported", "merge": "unsupported", "yaml": "unsupported"}


def resolver_kind(text: str) -> str:
    """The kind PyYAML's resolver gives ``text`` as an untagged plain scalar."""
    loader = yaml.SafeLoader("")
    try:
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    finally:
        loader.dispose()
    name = str(tag).rsplit(":", 1)[-1]
    return _KINDS.get(name, name)


class TestAgainstTheResolver:
    @given(
        st.one_of(plain_scalars(), st.text(st.characters(exclude_characters=_BREAKS)))
    )
    def test_resolve(self, text: str) -> None:
        """`resolve` agrees with PyYAML's resolver and constructor on any line."""
        expected = resolver_or_error(text)
        if isinstance(expected, Exception):
            with pytest.raises(ValueError):  # noqa: PT011 (any ValueError of ours)
                resolve(text)
        else:
            assert same(resolve(text), expected)

    @given(
        st.one_of(
            plain_scalars(),
            number_forms(max_size=300),
            st.text(st.characters(exclude_characters=_BREAKS)),
        )
    )
    def test_kind_of(self, text: str) -> None:
        """`kind_of` names the tag PyYAML's resolver gives, and `is_text` the str."""
        assert kind_of(text) == resolver_kind(text)
        assert is_text(text) is (resolver_kind(text) == "str")

    @given(
        st.one_of(plain_scalars(), st.text(st.characters(exclude_characters=_BREAKS)))
    )
    def test_as_types(self, text: str) -> None:
        """`as_int`, `as_bool`, `as_timestamp`, `is_null` take exactly their type."""
        expected = resolver_or_error(text)
        assert is_null(text) is (expected is None)
        checks = [(int, as_int), (bool, as_bool), (dt.date, as_timestamp)]
        for kind, convert in checks:
            if type(expected) is kind or (
                kind is dt.date and isinstance(expected, kind)
            ):
                assert same(convert(text), expected)
            elif kind is not bool and isinstance(expected, ValueError):
                # An impossible date, or an int past Python's digit limit: PyYAML
                # fails, and so must the function (any ValueError will do).
                with pytest.raises(ValueError):  # noqa: PT011 (PyYAML's complaint)
                    convert(text)
            else:
                with pytest.raises(NotAScalarOfThatType):
                    convert(text)


_MINUS_FIVE = dt.timezone(dt.timedelta(hours=-5))


class TestKnownValues:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("+1.5", 1.5),
            ("-1_000.25", -1000.25),
            ("190:20:30.15", 685230.15),
            ("-1:30.5", -90.5),
            ("+.inf", math.inf),
            ("-.Inf", -math.inf),
            (".NaN", math.nan),
            ("190:20:30", 685230),
            ("-0b1_0", -2),
            ("+0x_1F", 31),
            ("0o17", "0o17"),
            ("017", 15),
            ("~", None),
            ("", None),
            ("2019-12-23", dt.date(2019, 12, 23)),
            ("2019-12-23 01:02:03.4 -5", dt.datetime(
                2019, 12, 23, 1, 2, 3, 400000, tzinfo=_MINUS_FIVE
            )),
        ],
    )  # fmt: skip
    def test_value_and_type(self, text: str, expected: object) -> None:
        """Spellings YAML 1.1 gives a meaning to, checked against PyYAML too."""
        assert same(resolve(text), expected)
        if text:
            assert same(pyyaml(text), expected)

    @pytest.mark.parametrize(
        ("text", "offset"),
        [
            ("2024-04-02T10:00:00+25:00", "+25:00"),
            ("2024-04-02 10:00:00 -24", "-24"),
            ("2024-04-02T10:00:00.5+99:30", "+99:30"),
        ],
    )
    def test_an_offset_of_a_day_or_more_is_a_value_error(
        self, text: str, offset: str
    ) -> None:
        """PyYAML refuses it too; the message names the offset as written."""
        message = f"the timezone offset {offset} is not less than 24 hours"
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$") as caught:
            as_timestamp(text)
        assert not isinstance(caught.value, NotAScalarOfThatType)
        with pytest.raises(ValueError, match="offset must be a timedelta"):
            pyyaml(text)
        late = as_timestamp("2024-04-02T10:00:00-23:59")
        assert isinstance(late, dt.datetime)
        assert late.utcoffset() == -dt.timedelta(hours=23, minutes=59)

    @pytest.mark.parametrize("sign", ["", "-", "+"])
    def test_as_int_too_long_for_python_is_a_value_error(self, sign: str) -> None:
        """An int past Python's digit limit fails as in PyYAML, as no other type."""
        text = sign + "9" * (sys.get_int_max_str_digits() + 1)
        with pytest.raises(ValueError, match="digits") as caught:
            as_int(text)
        assert not isinstance(caught.value, NotAScalarOfThatType)
        with pytest.raises(ValueError, match="digits"):
            pyyaml(text)

    @pytest.mark.parametrize("sign", ["", "-", "+"])
    def test_base_60_int_too_long_for_python_is_a_value_error(self, sign: str) -> None:
        """A base-60 int with more digits than Python converts is refused too.

        PyYAML computes it, in time quadratic in its length: minutes for a few
        megabytes of front matter.
        """
        text = sign + "1" + ":00" * 100_000
        with pytest.raises(ValueError, match="base-60 integer of 100001 parts"):
            as_int(text)
        with pytest.raises(ValueError, match="base-60 integer of 100001 parts"):
            resolve(text)

    def test_base_60_int_as_long_as_python_converts(self) -> None:
        """A base-60 int just within the digit limit is read, as PyYAML reads it."""
        parts = int(sys.get_int_max_str_digits() / math.log10(60)) + 1
        text = "1" + ":00" * (parts - 1)
        assert as_int(text) == 60 ** (parts - 1) == pyyaml(text)


class TestNotANumber:
    @pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
    def test_every_nan_is_one_object(self, text: str) -> None:
        """Every NaN read is one object, compiled too: NaN is unequal to itself, so
        records holding one are equal only when they hold the same object."""
        assert math.isnan(cast("float", resolve(text)))
        assert resolve(text) is resolve(".nan")
        nan = record(add=f"x: {text}")
        assert newsrecord.loads(nan) == newsrecord.loads(nan)


class TestNumberFormsPyYAMLCannotBuild:
    @pytest.mark.parametrize("parts", [175, 1000, 100_000])
    @pytest.mark.parametrize("sign", ["", "-", "+"])
    def test_base_60_float_too_large_is_a_value_error(
        self, parts: int, sign: str
    ) -> None:
        """A base-60 float past a float's range fails as a `ValueError` of ours.

        PyYAML raises `OverflowError` for it, whatever the digits are.
        """
        text = sign + "1" + ":0" * (parts - 1) + ".0"
        with pytest.raises(ValueError, match=f"base-60 float of {parts} parts"):
            resolve(text)
        assert kind_of(text) == "float"
        with pytest.raises(OverflowError):
            pyyaml(text)

    @pytest.mark.parametrize(
        "text",
        [
            "0x" + "f" * 4000,
            "-0b" + "1" * 15_000,
            "0" + "7" * 5000,
            "+0x_" + "ff_" * 2000,
            "9" * 4299 + ":00:00:00:00",
        ],
    )
    def test_int_of_more_digits_than_python_prints(self, text: str) -> None:
        """An int of more decimal digits than Python converts is refused, in any base.

        PyYAML builds these, but no one could print them: not in a record, not in
        JSON.
        """
        with pytest.raises(ValueError, match="digits Python converts") as caught:
            resolve(text)
        assert not isinstance(caught.value, NotAScalarOfThatType)
        with pytest.raises(ValueError, match="digits Python converts"):
            as_int(text)
        assert kind_of(text) == "int"

    @pytest.mark.parametrize("size", [1, 100, 4000])
    @pytest.mark.parametrize(("name", "form"), NUMBER_FORMS)
    def test_resolve_builds_or_refuses(
        self, name: str, form: Callable[[int], str], size: int
    ) -> None:
        """Every number form resolves to a printable value or a `ValueError`."""
        text = form(size)
        try:
            value = resolve(text)
        except ValueError:
            return
        assert kind_of(text) != "str", name
        str(value)  # every value built prints


class TestCommonTimestamp:
    @given(
        st.tuples(
            st.integers(0, 9999),
            st.integers(0, 13),  # months, and one on each side
            st.integers(0, 32),
            st.integers(0, 25),
            st.integers(0, 61),
            st.integers(0, 61),
        ),
        st.one_of(
            st.just("Z"),
            st.tuples(
                st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 61)
            ).map(lambda offset: "{}{:02}:{:02}".format(*offset)),
        ),
    )
    def test_same_as_the_general_path(
        self, parts: tuple[int, int, int, int, int, int], zone: str
    ) -> None:
        """``YYYY-MM-DDTHH:MM:SS`` with ``Z`` or an offset, which
        `datetime.fromisoformat` reads when it can, gives what the general
        construction gives: the same value and offset, or the same error message."""
        text = "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}".format(*parts) + zone
        outcomes: list[tuple[object, ...]] = []
        for read in (as_timestamp, construct_timestamp):
            try:
                value = read(text)
            except ValueError as exc:
                outcomes.append(("error", str(exc)))
            else:
                assert isinstance(value, dt.datetime)
                outcomes.append(("value", value, value.utcoffset()))
        assert outcomes[0] == outcomes[1]
