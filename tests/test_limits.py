"""Limits: bounds on a record's size and shape, refused early with our errors."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsrecord
from newsrecord import Limits
from records import record
from strategies import limits_around, shaped_texts

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "record.md"


def _refusal(text: str | bytes, limits: Limits) -> newsrecord.FrontMatterError:
    with pytest.raises(newsrecord.FrontMatterError) as caught:
        newsrecord.loads(text, limits=limits)
    return caught.value


class TestLimits:
    @pytest.mark.parametrize(
        "field",
        [
            "max_file_size",
            "max_front_matter_size",
            "max_depth",
            "max_values",
            "max_problems",
        ],
    )
    @pytest.mark.parametrize(
        ("value", "error"),
        [
            (0, ValueError),
            (-1, ValueError),
            (1.5, TypeError),
            (True, TypeError),
            ("8", TypeError),
            (None, TypeError),
        ],
    )
    def test_a_limit_is_a_positive_int(
        self, field: str, value: object, error: type[Exception]
    ) -> None:
        """Every limit must be a positive int; anything else is refused at once.

        A value of another type is a `TypeError`; an int below 1, a `ValueError`.
        """
        with pytest.raises(error, match=f"Limits.{field} must be a positive int"):
            Limits(**{field: value})  # type: ignore[arg-type]

    def test_defaults_leave_real_records_alone(self) -> None:
        """A record of the reference's shape reads with the default limits."""
        assert newsrecord.loads(record(), limits=Limits()) == newsrecord.loads(record())


class TestSizes:
    @pytest.mark.parametrize("as_bytes", [False, True])
    def test_file_larger_than_the_limit(self, *, as_bytes: bool) -> None:
        """A file over max_file_size is `too-large` at its first line."""
        text = record() + "x" * 1000
        data = text.encode() if as_bytes else text
        error = _refusal(data, Limits(max_file_size=len(data) - 1))
        assert (error.code, error.line, error.column) == ("too-large", 1, 1)
        unit = "bytes" if as_bytes else "characters"
        assert f"larger than {len(data) - 1} {unit}" in error.message
        assert newsrecord.loads(data, limits=Limits(max_file_size=len(data))).title

    def test_load_reads_no_more_than_the_limit(self, tmp_path: Path) -> None:
        """`load` refuses a file over the limit, naming it, without reading it all."""
        path = tmp_path / "big.md"
        path.write_text(record() + "x" * 10_000, encoding="utf-8")
        with pytest.raises(newsrecord.FrontMatterError) as caught:
            newsrecord.load(path, limits=Limits(max_file_size=2_000))
        assert (caught.value.code, caught.value.path) == ("too-large", str(path))

    def test_front_matter_larger_than_the_limit(self) -> None:
        """Front matter over max_front_matter_size is `too-large` at its first line."""
        text = record()
        size = text.index("\n---", 4) - 3
        error = _refusal(text, Limits(max_front_matter_size=size - 1))
        assert (error.code, error.line, error.column) == ("too-large", 2, 1)
        limits = Limits(max_front_matter_size=size)
        assert newsrecord.loads(text, limits=limits).title


class TestShape:
    def test_depth_beyond_the_limit(self) -> None:
        """Nesting past max_depth is `too-deep`, even where the fast reader reads."""
        text = EXAMPLE.read_text(encoding="utf-8")
        assert "    images:\n      - url:" in text
        error = _refusal(text, Limits(max_depth=2))
        assert error.code == "too-deep"
        assert "deeper than 2 levels" in error.message
        assert newsrecord.loads(text, limits=Limits(max_depth=10)).related

    def test_values_beyond_the_limit(self) -> None:
        """More values than max_values is `too-many-nodes`."""
        text = record()
        error = _refusal(text, Limits(max_values=10))
        assert error.code == "too-many-nodes"
        assert "more than 10 values" in error.message

    def test_aliases_count_as_they_expand(self) -> None:
        """Aliases count once per use: a small file cannot expand past max_values."""
        laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in range(1, 6):
            previous = f"*a{level - 1}"
            laughs += f"a{level}: &a{level} [{', '.join([previous] * 10)}]\n"
        text = record(add=laughs)
        assert len(text) < 3_000
        error = _refusal(text, Limits())
        assert error.code == "too-many-nodes"


class TestProblems:
    @pytest.mark.parametrize("limit", [1, 3, 50])
    def test_problems_beyond_the_limit_are_counted(self, limit: int) -> None:
        """An error lists max_problems problems, the first in the file, and counts
        the others."""
        text = record({"topics": "topics:\n" + "  - [x]\n" * 60})
        with pytest.raises(newsrecord.ValidationError) as everything:
            newsrecord.loads(text, limits=Limits(max_problems=1_000))
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, limits=Limits(max_problems=limit))
        assert caught.value.errors == everything.value.errors[:limit]
        assert caught.value.more == 60 - limit
        assert f"and at least {60 - limit} more problems" in str(caught.value)

    @pytest.mark.parametrize("limit", [1, 3])
    def test_a_list_whose_problems_all_come_past_the_limit(self, limit: int) -> None:
        """A bad list met once the limit is reached is counted, with none listed.

        The topics' problems fill the list; the image's come after them.
        """
        text = record(
            {"topics": "topics:\n" + "  - [x]\n" * 3}, add="images:\n  - {url: 1}\n"
        )
        with pytest.raises(newsrecord.ValidationError) as everything:
            newsrecord.loads(text)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, limits=Limits(max_problems=limit))
        assert [error.key_path for error in everything.value.errors][:4] == [
            "topics[0]",
            "topics[1]",
            "topics[2]",
            "images[0].width",
        ]
        assert caught.value.errors == everything.value.errors[:limit]
        # The image counts once: a value with problems, not each of them.
        assert caught.value.more == 3 - limit + 1

    def test_list_items_past_the_limit_that_are_not_mappings(self) -> None:
        """Items of a list of records met past the limit are counted, whatever
        they are: a mapping, text or a list where a mapping belongs."""
        text = record(
            {"topics": "topics:\n" + "  - [x]\n" * 3},
            add="images:\n  - {url: /a.png}\n  - just text\n  - [a, list]\n",
        )
        with pytest.raises(newsrecord.ValidationError) as everything:
            newsrecord.loads(text)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, limits=Limits(max_problems=1))
        assert [error.key_path for error in everything.value.errors][3:] == [
            "images[0].width",
            "images[0].height",
            "images[1]",
            "images[2]",
        ]
        assert caught.value.errors == everything.value.errors[:1]
        # Two topics, and each of the three images once.
        assert caught.value.more == 2 + 3

    def test_as_many_problems_as_the_limit(self) -> None:
        """A record with exactly max_problems problems lists them all, no more."""
        text = record({"topics": "topics:\n" + "  - [x]\n" * 5})
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, limits=Limits(max_problems=5))
        assert (len(caught.value.errors), caught.value.more) == (5, 0)
        assert "more" not in str(caught.value)


#: Limits far beyond those of any text here: records are read within them.
LOOSE = Limits(
    max_file_size=2**40,
    max_front_matter_size=2**40,
    max_depth=10_000,
    max_values=10**9,
)


def _pickled(article: newsrecord.Article) -> newsrecord.Article:
    loaded: newsrecord.Article = pickle.loads(pickle.dumps(article))  # noqa: S301 (our own)
    return loaded


def _equal_values(article: newsrecord.Article) -> newsrecord.Article:
    """The record with equal values that are not the very objects read."""
    return attrs.evolve(article, topics=(*article.topics,))


#: What a user may do to a record read within looser limits before writing it.
CHANGES: dict[str, Callable[[newsrecord.Article], newsrecord.Article]] = {
    "unchanged": lambda article: article,
    "body": lambda article: attrs.evolve(article, body=article.body + "More.\n"),
    "equal-values": _equal_values,
    "pickled": _pickled,
    "pickled-equal-values": lambda article: _pickled(_equal_values(article)),
    "edited": lambda article: attrs.evolve(article, quality=1),
}


def _deep(levels: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(levels)) + (
        "  " * levels + "leaf: x\n"
    )


#: Texts beyond a bound of tighter limits than they are read within, each with
#: those limits and the code of the refusal.
BEYOND = {
    "front-matter-size": (
        record(add="pad: " + "p" * 5_000),
        Limits(max_front_matter_size=4_000),
        "too-large",
    ),
    "front-matter-size-in-a-list": (
        record(add="pads:\n" + f"  - {'p' * 100}\n" * 50),
        Limits(max_front_matter_size=4_000),
        "too-large",
    ),
    "depth": (record(add=_deep(30)), Limits(max_depth=20), "too-deep"),
    "depth-of-lists": (
        record(add="deep:\n" + "".join(f"{'  ' * i}- \n" for i in range(30))),
        Limits(max_depth=20),
        "too-deep",
    ),
    "values": (
        record(add="many:\n" + "  - x\n" * 1_000),
        Limits(max_values=500),
        "too-many-nodes",
    ),
    "values-in-mappings": (
        record(add="many:\n" + "".join(f"  k{i}: x\n" for i in range(1_000))),
        Limits(max_values=500),
        "too-many-nodes",
    ),
    "file-size": (record() + "b" * 10_000, Limits(max_file_size=5_000), "too-large"),
}


#: Each text of `BEYOND`, with each change of `CHANGES`.
every_case = pytest.mark.parametrize(
    ("name", "change"), [(name, change) for name in BEYOND for change in CHANGES]
)


class TestKeptLimits:
    @every_case
    def test_tighter_limits_refuse_a_record_read_within_looser_ones(
        self, name: str, change: str
    ) -> None:
        """A record read within looser limits is not written beyond tighter ones."""
        text, tight, code = BEYOND[name]
        article = CHANGES[change](newsrecord.loads(text, limits=LOOSE))
        written = newsrecord.dumps(article, limits=LOOSE)
        with pytest.raises(newsrecord.FrontMatterError) as loading:
            newsrecord.loads(written.encode("utf-8"), limits=tight)
        assert loading.value.code == code
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(article, limits=tight)
        assert [error.code for error in caught.value.errors] == [code]

    @every_case
    def test_limits_as_loose_as_when_read_write_it(
        self, name: str, change: str
    ) -> None:
        """Within limits as loose as those it was read within, it is written."""
        text = BEYOND[name][0]
        article = CHANGES[change](newsrecord.loads(text, limits=Limits()))
        assert newsrecord.loads(newsrecord.dumps(article)) == article

    def test_an_edit_beyond_a_bound_is_refused_for_that_bound(self) -> None:
        """An edited record whose edited text is beyond a bound is refused for that
        bound, not for another that rewriting its front matter would break.

        Rewritten, this front matter is longer (its plain title with a trailing
        space is quoted, the token moves to the end with a blank line before
        it), so within a file size that the edited text just fits, the rewrite
        would be refused as too large.
        """
        text = record({"title": "title: Title "}, add="many:\n" + "  - x\n" * 30)
        article = attrs.evolve(newsrecord.loads(text, limits=LOOSE), quality=1)
        written = newsrecord.dumps(article, limits=LOOSE).encode("utf-8")
        assert written.count(b"\n") == text.count("\n")  # only its line edited
        tight = Limits(max_file_size=len(written), max_values=40)
        assert _refusal(written, tight).code == "too-many-nodes"
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(article, limits=tight)
        assert [error.code for error in caught.value.errors] == ["too-many-nodes"]

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), text=shaped_texts(), change=st.sampled_from(sorted(CHANGES)))
    def test_dumps_refuses_what_loads_refuses(
        self, data: st.DataObject, text: str, change: str
    ) -> None:
        """Whatever the limits and the change, `dumps` refuses the text it would give
        exactly when loading it within those limits would, for the same reason."""
        limits = data.draw(limits_around(text))
        article = CHANGES[change](newsrecord.loads(text, limits=LOOSE))
        written = newsrecord.dumps(article, limits=LOOSE)
        code = None
        try:
            newsrecord.loads(written.encode("utf-8"), limits=limits)
        except newsrecord.FrontMatterError as exc:
            code = exc.code
        if code is None:
            assert newsrecord.dumps(article, limits=limits) == written
        else:
            with pytest.raises(newsrecord.ValidationError) as caught:
                newsrecord.dumps(article, limits=limits)
            assert [error.code for error in caught.value.errors] == [code]
