"""The fuzz harness in fuzz/: its properties hold on its seeds, and can fail.

The fuzzing itself runs outside the test suite (see fuzz/README.md); these tests
keep the harness honest: every seed passes every property, a quick run of the
random driver finds nothing, and a broken property is caught.
"""

from __future__ import annotations

import importlib
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import newsrecord
from newsrecord._scalars import kind_of
from records import record

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
SEEDS = sorted((FUZZ / "corpus").glob("*.md"))
VALID = ROOT / "tests" / "data" / "valid"
KINDS = ROOT / "tests" / "data" / "kinds"
#: A valid record of a kind other than news.
VIDEO = KINDS / "video" / "valid-with-provider-image.md"


@pytest.fixture(scope="module")
def harness() -> Iterator[Any]:
    """The harness module, imported as the random driver would (no atheris)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(FUZZ))
        module = importlib.import_module("fuzz_loads")
        patch.setattr(module, "_BOTH_LOADERS", True)
        yield module


def valid_fixtures() -> dict[str, Path]:
    """The project's own valid records of every kind, by their names as seeds.

    News from ``tests/data/valid``; every kind's from ``tests/data/kinds/KIND``
    (all but its ``invalid-*`` files), named ``kind-KIND-NAME``.
    """
    found = {path.name: path for path in VALID.glob("*.md")}
    for path in KINDS.glob("*/*.md"):
        if not path.name.startswith("invalid-"):
            found[f"kind-{path.parent.name}-{path.name}"] = path
    return found


class TestSeeds:
    def test_the_seeds_are_the_valid_fixtures(self) -> None:
        """The seed corpus is the project's own valid records, kept in step."""
        fixtures = valid_fixtures()
        assert [path.name for path in SEEDS] == sorted(fixtures)
        for seed in SEEDS:
            assert seed.read_bytes() == fixtures[seed.name].read_bytes(), seed.name

    def test_the_seeds_hold_every_kind(self) -> None:
        """Every kind of record is among the seeds, read as that kind."""
        classes = {type(newsrecord.loads_record(seed.read_bytes())) for seed in SEEDS}
        assert classes == set(newsrecord.KINDS.values())

    @pytest.mark.parametrize("seed", SEEDS, ids=[path.stem for path in SEEDS])
    def test_every_property_holds_on_the_seeds(self, harness: Any, seed: Path) -> None:
        """Each seed loads, round-trips and reads alike with every reader."""
        harness.check(seed.read_bytes())


class TestProperties:
    def test_a_lossy_writer_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `dumps` that changes the text breaks the round-trip property."""
        monkeypatch.setattr(newsrecord, "dumps", lambda _: "changed")
        with pytest.raises(AssertionError, match="dumps"):
            harness.check(record().encode())

    def test_an_edit_that_changes_a_neighbour_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An edit written with a block scalar's neighbour changed is caught."""
        dumps = newsrecord.dumps
        text = record(add="note: |\n  line")

        def lossy(article: newsrecord.Article, **limits: Any) -> str:
            written = dumps(article, **limits)
            if written == text:  # the unchanged record: its own text
                return written
            return written.replace("  line\n", "  line\n    # c\n")

        monkeypatch.setattr(newsrecord, "dumps", lossy)
        with pytest.raises(AssertionError, match="an edit changed another value"):
            harness.check(text.encode())

    def test_a_write_beyond_the_limit_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `dumps` that ignores the caller's limits is caught."""
        dumps = newsrecord.dumps
        monkeypatch.setattr(newsrecord, "dumps", lambda article, **_: dumps(article))
        with pytest.raises(AssertionError, match="beyond its limit"):
            harness.check(record().encode())

    def test_an_escaping_error_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error that is not ours escapes `check`, for the fuzzer to report."""

        def broken(data: bytes) -> None:
            raise KeyError(data[:1])

        monkeypatch.setattr(newsrecord, "loads_record", broken)
        with pytest.raises(KeyError):
            harness.check(record().encode())

    def test_loads_reading_otherwise_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `loads` that gives news otherwise than `loads_record` is caught."""
        loads = newsrecord.loads
        monkeypatch.setattr(
            newsrecord, "loads", lambda data: attrs.evolve(loads(data), heat=1)
        )
        with pytest.raises(AssertionError, match="otherwise than loads_record"):
            harness.check(record().encode())

    def test_loads_refusing_news_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `loads` that takes news for another kind is caught."""
        loads = newsrecord.loads
        monkeypatch.setattr(newsrecord, "loads", lambda _: loads(VIDEO.read_bytes()))
        with pytest.raises(AssertionError, match="loads refuses news"):
            harness.check(record().encode())

    def test_loads_reading_another_kind_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `loads` that reads a record of another kind as news is caught."""
        loads = newsrecord.loads
        monkeypatch.setattr(newsrecord, "loads", lambda _: loads(record().encode()))
        with pytest.raises(AssertionError, match="otherwise than loads_record"):
            harness.check(VIDEO.read_bytes())

    def test_a_fast_reader_reading_otherwise_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A fast reader whose tree differs from the general reader's is caught."""
        fast = importlib.import_module("newsrecord._fastyaml")
        real = fast.read_fast

        def shifted(text: str, start: int, end: int) -> object:
            tree = real(text, start, end)
            tree.start += 1
            return tree

        monkeypatch.setattr(fast, "read_fast", shifted)
        with pytest.raises(AssertionError, match="fast reader"):
            harness.check(record().encode())

    def test_json_with_nan_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A `to_dict` that gives NaN, which is not JSON, breaks a property."""
        monkeypatch.setattr(newsrecord, "to_dict", lambda _: {"x": math.nan})
        with pytest.raises(ValueError, match="JSON"):
            harness.check(record().encode())

    def test_too_many_problems_listed_is_caught(
        self, harness: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error listing more problems than `Limits` allows breaks a property."""
        error = newsrecord.FieldError("heat", "m", "type", 1, 1)
        many = newsrecord.ValidationError([error] * (harness._MAX_PROBLEMS + 1))

        def refuse(_: bytes) -> None:
            raise many

        monkeypatch.setattr(newsrecord, "loads_record", refuse)
        with pytest.raises(AssertionError, match="more problems"):
            harness.check(record().encode())


class TestMutations:
    @pytest.mark.parametrize("seed", range(40))
    def test_numbers_are_number_forms(self, harness: Any, seed: int) -> None:
        """What the number mutation inserts is a number to YAML 1.1, not text."""
        text = harness.number(random.Random(seed)).decode("ascii")  # noqa: S311 (data)
        assert kind_of(text) in {"int", "float"}, text

    def test_repeated_lines_make_large_inputs(self, harness: Any) -> None:
        """Repeating a line makes inputs of hundreds or thousands of lines."""
        chance = random.Random(0)  # noqa: S311 (data, not security)
        seed = record().encode()
        sizes = {
            len(harness._repeat_line(chance, seed, [seed]).splitlines())
            for _ in range(30)
        }
        assert max(sizes) > 1_000


class TestRandomDriver:
    def test_a_quick_run_finds_nothing(self) -> None:
        """A few hundred random mutations of the seeds break no property."""
        command = [
            sys.executable,
            str(FUZZ / "fuzz_loads.py"),
            "--random",
            "300",
            "--seed",
            "0",
            "--both-loaders",
        ]
        result = subprocess.run(  # noqa: S603 (our own script)
            command, capture_output=True, text=True, check=False, timeout=300
        )
        assert result.returncode == 0, result.stderr
        assert "300 inputs from" in result.stdout
        assert ": 0 failed;" in result.stdout
