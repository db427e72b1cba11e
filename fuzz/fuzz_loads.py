"""Fuzz `newsrecord.loads_record` with bytes: only our errors, exact round trips.

For every input, `check` asserts that:

- `newsrecord.loads_record` returns a record of some kind or raises a
  `newsrecord.NewsRecordError`, never anything else, and a
  `newsrecord.ValidationError` lists no more problems than `newsrecord.Limits`
  allows; `newsrecord.loads` gives the same `Article` for news, and for a record
  of another kind a `newsrecord.KindError`;
- when it returns one, ``dumps(record)`` is the input's text exactly (UTF-8
  decoded, byte-order mark kept), loading that text gives the same record, and
  ``to_dict(record)`` is strict JSON (no NaN or Infinity);
- an edit of one field (a key removed, changed or added) is written so that it
  reads back as the edited record, every other value untouched (block scalars
  beside it included), or is refused; and ``dumps`` with a ``Limits`` smaller
  than the text refuses it rather than giving it;
- the fast line reader (``newsrecord._fastyaml``, where this build has it), when
  it does not decline the front matter, gives the same tree as the general reader:
  the same values of the same types, at the same positions;
- with ``--both-loaders``, the general reader gives the same tree, or the same
  error, with PyYAML's libyaml loader and with its pure-Python one, wherever the
  two loaders themselves agree on reading the front matter.

Run it with atheris (``pip install -e '.[fuzz]'``), which takes libFuzzer's options::

    python fuzz/fuzz_loads.py fuzz/corpus -max_total_time=600

or, where atheris does not install, with random mutations of the seed corpus::

    python fuzz/fuzz_loads.py --random 100000 [--seed N]

An input that breaks a property is written to ``crash-<sha1>`` (atheris) or
``fuzz/crashes/<sha1>`` (the random driver), to be turned into a test.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
CRASHES = HERE / "crashes"


def _import_instrumented() -> None:
    """Import what is fuzzed, instrumented for atheris's coverage feedback."""
    import atheris  # noqa: PLC0415 (optional: the random driver runs without it)

    with atheris.instrument_imports(include=["newsrecord", "yaml", "frontmatter"]):
        import yaml  # noqa: F401, PLC0415

        import newsrecord  # noqa: F401, PLC0415


if __name__ == "__main__" and "--random" not in sys.argv:
    _import_instrumented()

import attrs  # noqa: E402
import yaml  # noqa: E402 (imported, instrumented, above)

import newsrecord  # noqa: E402
from newsrecord import _frontmatter  # noqa: E402
from newsrecord._tree import ListNode, MapNode  # noqa: E402

_FAST = importlib.util.find_spec("newsrecord._fastyaml") is not None
_MAX_PROBLEMS = newsrecord.Limits().max_problems
_BOTH_LOADERS = False


def shape(value: object) -> object:
    """Everything a tree says, types and positions included, as plain data."""
    if isinstance(value, MapNode):
        items = [(key, value.spans[key], shape(item)) for key, item in value.items()]
        return ("mapping", value.start, value.end, items)
    if isinstance(value, ListNode):
        pairs = zip(value.spans, value, strict=True)
        return ("list", value.start, value.end, [(s, shape(i)) for s, i in pairs])
    return (type(value).__name__, value)


def _frame(data: bytes) -> tuple[str, int, int] | None:
    """The text and the front matter's bounds, or `None` if there is no frame."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        start, end, _ = _frontmatter.split(text, None)
    except (UnicodeDecodeError, newsrecord.FrontMatterError):
        return None
    return text, start, end


def _general(text: str, start: int, end: int) -> object:
    """The general reader's tree as `shape`, or its error's code and place."""
    try:
        return shape(_frontmatter.read_yaml(text, start, end, None))
    except newsrecord.FrontMatterError as error:
        return ("error", error.code, error.line, error.column)


class _PythonNodeLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, stopping at the node graph."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


def _with_python_loader(read: Callable[[], object]) -> object:
    """What ``read`` gives with PyYAML's pure-Python loader in the general reader."""
    namespace = vars(_frontmatter)
    saved = namespace["_BaseLoader"], namespace["_NodeLoader"]
    namespace["_BaseLoader"], namespace["_NodeLoader"] = (
        yaml.SafeLoader,
        _PythonNodeLoader,
    )
    try:
        return read()
    finally:
        namespace["_BaseLoader"], namespace["_NodeLoader"] = saved


def _pyyaml_reads(block: str) -> tuple[bool, bool] | None:
    """Whether PyYAML's libyaml loader and its pure-Python one read ``block``.

    They do not always agree: the pure-Python scanner refuses a tab inside a
    plain scalar, which libyaml reads, and their errors are not placed alike.
    `None` when the pure-Python composer runs out of recursion.
    """
    outcomes = []
    for loader in (yaml.CSafeLoader, yaml.SafeLoader):
        try:
            yaml.compose(block, Loader=loader)
        except yaml.YAMLError:
            outcomes.append(False)
        except RecursionError:
            return None
        else:
            outcomes.append(True)
    return outcomes[0], outcomes[1]


def _same_with_both_loaders(text: str, start: int, end: int) -> None:
    """The general reader reads alike with both loaders, where PyYAML does."""
    reads = _pyyaml_reads(text[start:end])
    if reads is None or reads[0] != reads[1]:
        return
    general = _general(text, start, end)
    python = _with_python_loader(lambda: _general(text, start, end))
    if reads[0]:
        assert python == general, "PyYAML's two loaders read differently"
    else:  # both refuse it, each in its own words and place
        assert isinstance(python, tuple)
        assert isinstance(general, tuple)
        assert python[:2] == general[:2], "PyYAML's two loaders refuse differently"


def check(data: bytes) -> None:
    """Assert every property for one input; our errors are the only ones expected."""
    problems = 0
    try:
        record = newsrecord.loads_record(data)
    except newsrecord.ValidationError as error:
        problems = len(error.errors)
        record = None
    except newsrecord.NewsRecordError:
        record = None
    assert problems <= _MAX_PROBLEMS, "more problems listed than the limit"
    _loads_agrees(data, record)
    if record is not None:
        text = data.decode("utf-8")
        written = newsrecord.dumps(record)
        assert written == text, "dumps(loads(x)) is not x"
        assert newsrecord.loads_record(written) == record, "loads(dumps(r)) is not r"
        json.dumps(newsrecord.to_dict(record), allow_nan=False)
        _edits_change_only_their_values(record)
        _writes_stay_within_the_limits(record, written)
    framed = _frame(data)
    if framed is None:
        return
    if _FAST:
        fast = importlib.import_module("newsrecord._fastyaml").read_fast(*framed)
        if fast is not None:
            general = _general(*framed)
            assert shape(fast) == general, "the fast reader reads another tree"
    if _BOTH_LOADERS:
        _same_with_both_loaders(*framed)


def _loads_agrees(data: bytes, record: newsrecord.Record | None) -> None:
    """`loads` gives news as `loads_record` does, and a `KindError` for other kinds."""
    try:
        article = newsrecord.loads(data)
    except newsrecord.KindError:
        assert not isinstance(record, newsrecord.Article), "loads refuses news"
        return
    except newsrecord.NewsRecordError:
        assert record is None, "loads refuses what loads_record reads"
        return
    assert article == record, "loads reads otherwise than loads_record"


#: Edits of one field each, on the records that have it: a key removed, a value
#: changed, a key added.
_EDITS: tuple[tuple[str, object], ...] = (
    ("quality", None),
    ("heat", 7),
    ("featured_content", "<p>added</p>"),
    ("title", "Edited"),
    ("name", "Edited"),
    ("excerpt", None),
)


def _edits_change_only_their_values(record: newsrecord.Record) -> None:
    """Each edit written reads back as the edited record: the rest untouched."""
    fields = attrs.fields_dict(type(record))
    for name, value in _EDITS:
        if name not in fields:
            continue
        try:
            edited = _evolve(record, {name: value})
            text = newsrecord.dumps(edited)
        except newsrecord.ValidationError:
            continue  # refused (not a value of that field, or would not read back)
        assert newsrecord.loads_record(text) == edited, "an edit changed another value"


def _evolve(record: newsrecord.Record, changes: dict[str, object]) -> Any:
    """``record`` with ``changes``: every record is an attrs instance."""
    return attrs.evolve(cast("Any", record), **changes)


def _writes_stay_within_the_limits(record: newsrecord.Record, written: str) -> None:
    """A text larger than the caller's limit is refused, never given."""
    size = len(written.encode("utf-8"))
    tight = newsrecord.Limits(max_file_size=max(1, size - 1))
    fields = attrs.fields_dict(type(record))
    edits: list[dict[str, object]] = [
        {},
        *({name: value} for name, value in _EDITS[:2] if name in fields),
    ]
    for edit in edits:
        try:
            text = newsrecord.dumps(_evolve(record, edit), limits=tight)
        except newsrecord.ValidationError:
            continue
        assert len(text.encode("utf-8")) < size, "dumps gave text beyond its limit"


# --- the random driver ---------------------------------------------------------------

#: Pieces of YAML and of the frame that mutations insert.
_TOKENS = [
    b"---\n", b"---", b"\n", b"\r\n", b"\r", b"\t", b" ", b"  ", b"- ", b": ", b":",
    b"#", b"&a ", b"*a", b"<<: ", b"!!str ", b"!!int ", b"!!binary ", b"!x ", b"? ",
    b"[", b"]", b"{", b"}", b",", b'"', b"'", b"\\", b"\\u00e9", b"|", b">", b"%",
    b"@", b"`", b"\x00", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xe2\x80\xa8", b"\xff",
    b"~", b"null", b"yes", b"NO", b"0x1F", b"0o17", b"1_000", b"1:30", b".inf",
    b"2019-12-23", b"2019-12-23T00:00:00Z", b"2019-13-45T00:00:00Z", b"=",
    b"secured: ", b"title: ", b"heat: ", b"images:\n  - url: /a.png\n",
    b"-.Inf", b".NaN", b"1.0e+999", b"0b1_0", b"017", b"190:20:30.5", b"- {}\n",
    b"related:\n", b"x: !!int ", b"x: !!bool ", b"note: |\n  line\n", b"    # c\n",
    b"note: >+\n  a\n\n", b"|+\n", b">-\n", b"quality: 1\n",
    # What tells the kinds apart, and keys of kinds other than news.
    b"category: news\n", b"type: ", b"type: course\n", b'type: "profile"\n',
    b"type: webinar\n", b"taxonomy: organization\n", b"_id: ", b"name: ",
    b"items:\n  - courses/x\n", b"startDateTime: ", b"levels:\n  - Beginner\n",
    b"ratings:\n  count: 3\n  average: 4.5\n", b'actions:\n  - url: "/a"\n',
    b"twitter:\n  followers: ", b"related:\n  - slug\n", b"category: ",
    b"taxonomy: ", b"category:\n  - news\n", b"type: [video]\n", b"type:\n  a: b\n",
]  # fmt: skip


def _insert_piece(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    at = chance.randint(0, len(data))
    return data[:at] + chance.choice(_TOKENS) + data[at:]


def number(chance: random.Random) -> bytes:
    """A YAML 1.1 number form, of a few characters to a few thousand.

    Base 60, exponents, other bases, underscores, infinities, with or without a
    sign.
    """
    size = chance.choice([1, 3, 30, 200, 2_000, 6_000])
    digits = "".join(chance.choice("0123456789") for _ in range(min(size, 40)))
    digits = (digits * (size // len(digits) + 1))[:size]
    sign = chance.choice(["", "-", "+"])
    body = chance.choice(
        [
            "1" + ":0" * size + chance.choice(["", ".0", ".5"]),
            f"1.{digits}e{chance.choice('+-')}{digits}",
            f"0x{digits}",
            f"0b{digits.translate(str.maketrans('23456789', '10101010'))}",
            f"0{digits.translate(str.maketrans('89', '77'))}",
            f"{digits}_" * 2 + "0",
            chance.choice([".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"]),
        ]
    )
    if body.lower() == ".nan":  # YAML's NaN takes no sign
        sign = ""
    return (sign + body).encode("ascii")


def _insert_number(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    at = chance.randint(0, len(data))
    return data[:at] + number(chance) + data[at:]


def _repeat_line(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    """Repeat a line hundreds or thousands of times: many values, many problems."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    line = chance.randrange(len(lines))
    times = min(chance.choice([100, 1_000, 3_000]), 200_000 // (len(lines[line]) + 1))
    lines[line:line] = [lines[line]] * times
    return b"".join(lines)


def _replace_byte(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    if not data:
        return data
    at = chance.randrange(len(data))
    return data[:at] + bytes([chance.randrange(256)]) + data[at + 1 :]


def _delete_run(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    at = chance.randint(0, len(data))
    return data[:at] + data[at + chance.randint(1, 16) :]


def _splice(chance: random.Random, data: bytes, seeds: Sequence[bytes]) -> bytes:
    other = chance.choice(seeds)
    begin, at = chance.randint(0, len(other)), chance.randint(0, len(data))
    return data[:at] + other[begin : begin + chance.randint(1, 64)] + data[at:]


def _edit_lines(chance: random.Random, data: bytes, _: Sequence[bytes]) -> bytes:
    """Repeat, swap, indent or unindent a line."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    line = chance.randrange(len(lines))
    edit = chance.randrange(4)
    if edit == 0:
        lines.insert(line, lines[line])
    elif edit == 1:
        other = chance.randrange(len(lines))
        lines[line], lines[other] = lines[other], lines[line]
    elif edit == 2:
        lines[line] = b"  " + lines[line]
    else:
        lines[line] = lines[line][1:]
    return b"".join(lines)


_Mutation = Callable[[random.Random, bytes, Sequence[bytes]], bytes]
#: The mutations, the likelier ones more than once.
_MUTATIONS: tuple[_Mutation, ...] = (
    _insert_piece,
    _insert_piece,
    _insert_number,
    _replace_byte,
    _delete_run,
    _splice,
    _edit_lines,
    _edit_lines,
    _repeat_line,
)


def mutate(chance: random.Random, seeds: Sequence[bytes]) -> bytes:
    """A seed with a few random edits: bytes, YAML pieces, lines, splices."""
    data = chance.choice(seeds)
    for _ in range(chance.randint(1, 4)):
        data = chance.choice(_MUTATIONS)(chance, data, seeds)
    return data


def run_random(count: int, seed: int, corpus: Path) -> int:
    """Check ``count`` random mutations of the seed corpus; the number that failed."""
    seeds = [path.read_bytes() for path in sorted(corpus.iterdir()) if path.is_file()]
    chance = random.Random(seed)
    failed = 0
    started = time.perf_counter()
    for _ in range(count):
        data = mutate(chance, seeds)
        try:
            check(data)
        except Exception as exc:  # noqa: BLE001 (every failure is reported)
            failed += 1
            name = hashlib.sha1(data).hexdigest()  # noqa: S324 (a name, not security)
            CRASHES.mkdir(exist_ok=True)
            (CRASHES / name).write_bytes(data)
            print(f"FAILED {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    seconds = time.perf_counter() - started
    print(
        f"{count} inputs from {len(seeds)} seeds (seed {seed}) in {seconds:.1f} s: "
        f"{failed} failed; fast reader {'checked' if _FAST else 'not in this build'}"
    )
    return failed


def main(argv: list[str]) -> int:
    """Run the atheris fuzzer, or the random driver with ``--random N``."""
    global _BOTH_LOADERS  # noqa: PLW0603 (a switch of this script, set once)
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--random", type=int, metavar="N", help="random inputs")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--both-loaders", action="store_true")
    options, rest = parser.parse_known_args(argv[1:])
    _BOTH_LOADERS = options.both_loaders
    if options.random is not None:
        seed = options.seed if options.seed is not None else random.randrange(2**32)
        return 1 if run_random(options.random, seed, options.corpus) else 0
    import atheris  # noqa: PLC0415 (needed only here)

    atheris.Setup([argv[0], *rest], check)
    atheris.Fuzz()
    return 0  # pragma: no cover (atheris.Fuzz exits the process)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
