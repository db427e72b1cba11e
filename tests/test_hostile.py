"""Hostile and broken input: each is refused with an error of ours, nothing runs.

The catalogue is one parametrized test, a row per input: the error class, its code
(for a `ValidationError`, the code of its first field error), where it points in
the file and what its message says. Every row runs with PyYAML's libyaml loader
and with its pure-Python one, under a guard against hanging; rows whose danger is
memory (alias expansion, sheer size) are also guarded against blowing it up. The
guards' bounds are far above what any row takes and far below what an unbounded
expansion would (a billion laughs stands for 10**10 values).
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import sys
import time
import tracemalloc
from typing import TYPE_CHECKING

import attrs
import pytest
import yaml
from hypothesis import given

import newsrecord
from newsrecord.__main__ import main
from newsrecord._limits import DEFAULT_LIMITS
from records import CIPHERTEXT, IV, TOKEN, record
from strategies import NUMBER_FORMS, number_forms

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

pytestmark = pytest.mark.usefixtures("yaml_loader")

#: Bounds of the guard: far above any row (also beside busy test workers), far
#: below an unbounded expansion.
HANG_SECONDS = 30.0
MEMORY_PER_INPUT_BYTE = 4
MEMORY_OVERHEAD = 128 * 2**20

MEGABYTE = 2**20
MAX_DEPTH = DEFAULT_LIMITS.max_depth

Where = tuple[int, int] | str | None


@attrs.frozen
class Case:
    """One hostile input and how it must be refused.

    ``at`` is where the error points: a ``(line, column)``; or a piece of the
    file's text, found from the end, with ``|`` marking the spot (its start when
    there is no ``|``); or `None` for anywhere in the file. ``memory`` watches
    the memory the row takes too (tracing every allocation slows the pure-Python
    loader's deep scans twenty-fold, so only where memory is the danger).
    """

    data: Callable[[], str | bytes]  # made when the row runs: some are 100 MB
    error: type[newsrecord.NewsRecordError]
    code: str
    at: Where
    says: str
    strict: bool = False
    memory: bool = False


LOADERS = ("libyaml", "python")


def case(  # noqa: PLR0913, PLR0917 (a row of the catalogue, spelled out)
    name: str,
    data: str | bytes | Callable[[], str | bytes],
    error: type[newsrecord.NewsRecordError],
    code: str,
    at: Where,
    says: str,
    *,
    strict: bool = False,
    memory: bool = False,
    loaders: tuple[str, ...] = LOADERS,
    marks: tuple[pytest.MarkDecorator, ...] = (),
) -> list[object]:
    """A row of the catalogue, as a pytest parameter per PyYAML loader."""
    make = data if callable(data) else (lambda: data)
    row = Case(make, error, code, at, says, strict=strict, memory=memory)
    return [
        pytest.param(loader, row, id=f"{loader}-{name}", marks=marks)
        for loader in loaders
    ]


FME = newsrecord.FrontMatterError
VE = newsrecord.ValidationError

CIPHERTEXT_B64, IV_B64 = TOKEN.split(";")


def token(text: str) -> str:
    """The record with ``text`` as its quoted ``secured`` token."""
    return record({"secured": f'secured: "{text}"'})


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def nested_block(depth: int) -> str:
    """Front matter of block mappings nested ``depth`` deep: ``a:`` in ``a:``..."""
    return "---\n" + "".join(" " * level + "a:\n" for level in range(depth)) + "---\n"


def laughs(levels: int) -> str:
    """A billion laughs: each level a list of ten aliases of the level before."""
    lines = ["lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [
        f"lol{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]"
        for level in range(1, levels)
    ]
    return record(add="\n".join(lines))


RELATED = """\
related:
  - title: "Older news"
    excerpt: ""
    publishedDateTime: {when}
    sourceUrl: https://rail.example.com/older
    type: article
    provider:
      name: Example Rail Desk
      domain: rail.example.com
"""

IMAGE = """\
provider:
  name: Example Rail Desk
  domain: rail.example.com
  images:
    - url: /logo.png
      width: {width}
      height: 50
"""

# Where the first value nested too deep starts (see `newsrecord._frontmatter`): a
# value inside MAX_DEPTH + 2 collections, the root mapping included.
INSIDE = MAX_DEPTH + 2

CATALOGUE: list[list[object]] = [
    # --- the frame --------------------------------------------------------------------
    case("empty-file", "", FME, "no-front-matter", (1, 1), "the file is empty"),
    case("only-opening-delimiter", "---\n", FME, "unclosed-front-matter", (1, 1),
         "never closed"),
    case("only-delimiter-no-newline", "---", FME, "unclosed-front-matter", (1, 1),
         "never closed"),
    case("only-delimiters", "---\n---\n", FME, "not-a-mapping", (2, 1),
         "the front matter is empty"),
    case("text-before-delimiter", "Breaking news\n" + record(), FME,
         "text-before-front-matter", (1, 1), "text before the opening '---' line"),
    case("blank-line-before-delimiter", "\n" + record(), FME,
         "text-before-front-matter", (1, 1), "text before the opening '---' line"),
    case("unclosed", record().removesuffix("---\n"), FME, "unclosed-front-matter",
         (1, 1), "opened on line 1 is never closed"),
    case("lone-cr-line-endings", record().replace("\n", "\r"), FME,
         "no-front-matter", (1, 1), "the lines end with a lone CR"),
    case("front-matter-is-a-list", "---\n- news\n- article\n---\n", FME,
         "not-a-mapping", (2, 1), "must be a mapping of keys to values, not a list"),
    case("front-matter-is-a-flow-list", "---\n[news, article]\n---\n", FME,
         "not-a-mapping", (2, 1), "not a list"),
    case("front-matter-is-a-scalar", "---\nnews\n---\n", FME, "not-a-mapping",
         (2, 1), "not a scalar"),
    case("front-matter-is-a-quoted-scalar", '---\n"news"\n---\n', FME,
         "not-a-mapping", (2, 1), "not a scalar"),
    # --- duplicate keys ---------------------------------------------------------------
    case("duplicate-key-top-level", record(add='title: "Again"'), FME,
         "duplicate-key", 'title: "Again"', "duplicate key 'title'"),
    case("duplicate-key-quoted-and-plain", record(add='"title": "Again"'), FME,
         "duplicate-key", '"title": "Again"', "duplicate key 'title'"),
    case("duplicate-key-nested",
         record({"provider": "provider:\n  name: A\n  name: B\n  domain: a.com"}),
         FME, "duplicate-key", "name: B", "duplicate key 'name'"),
    case("duplicate-key-in-list-item",
         record({"provider": IMAGE.format(width=50) + "      width: 60"}),
         FME, "duplicate-key", "width: 60", "duplicate key 'width'"),
    case("duplicate-key-in-flow-mapping", record(add="x: {a: 1, a: 2}"), FME,
         "duplicate-key", "a: 2", "duplicate key 'a'"),
    # --- keys that are not strings ----------------------------------------------------
    case("key-int", record(add="2024: archived"), FME, "key-not-a-string",
         "2024: archived", "'2024' is read as int"),
    case("key-bool", record(add="yes: archived"), FME, "key-not-a-string",
         "yes: archived", "'yes' is read as bool"),
    case("key-null", record(add="~: archived"), FME, "key-not-a-string",
         "~: archived", "'~' is read as null"),
    case("key-float", record(add="1.5: archived"), FME, "key-not-a-string",
         "1.5: archived", "'1.5' is read as float"),
    case("key-date", record(add="2019-12-23: archived"), FME, "key-not-a-string",
         "2019-12-23: archived", "'2019-12-23' is read as timestamp"),
    case("key-list", record(add="? [a, b]\n: archived"), FME, "key-not-a-string",
         "[a, b]", "keys must be strings, not a list"),
    case("key-mapping", record(add="? {a: b}\n: archived"), FME,
         "key-not-a-string", "{a: b}", "keys must be strings, not a mapping"),
    # An alias is the node it names: the error points at that node.
    case("key-alias-of-a-mapping", record(add="x: &m {a: 1}\n*m : archived"), FME,
         "key-not-a-string", "&m {a: 1}", "keys must be strings, not a mapping"),
    case("key-nested-int",
         record({"provider": "provider:\n  name: A\n  domain: a.com\n  7: x"}),
         FME, "key-not-a-string", "7: x", "'7' is read as int"),
    case("key-tagged", record(add="!!python/name:os.system : x"), FME,
         "key-not-a-string", "!!python/name:os.system : x",
         "not a scalar tagged '!!python/name:os.system'"),
    # --- keys named like Python's internals (kept in `extra` unless strict) -----------
    *(
        case(f"strict-key-{name}", record(add=f"{name}: x"), VE, "unknown-key",
             f"\n|{name}: x", f"unknown key `{name}` in the record", strict=True)
        for name in ("content", "handler", "__class__", "__init__", "__dict__",
                     "_source", "body", "extra", "metadata")
    ),
    # --- YAML tags --------------------------------------------------------------------
    case("tag-python-apply", record(add='x: !!python/object/apply:os.system ["true"]'),
         FME, "yaml-unsupported", "!!python/object/apply",
         "cannot read the list tagged '!!python/object/apply:os.system'"),
    case("tag-python-name", record(add="x: !!python/name:os.system"), FME,
         "yaml-unsupported", "!!python/name",
         "cannot read the scalar tagged '!!python/name:os.system'"),
    case("tag-python-new", record(add='x: !!python/object/new:os.system ["true"]'),
         FME, "yaml-unsupported", "!!python/object/new", "cannot read the list tagged"),
    case("tag-python-object", record(add="x: !!python/object:os.stat_result {}"),
         FME, "yaml-unsupported", "!!python/object", "cannot read the mapping tagged"),
    case("tag-python-module", record(add="x: !!python/module:os"), FME,
         "yaml-unsupported", "!!python/module", "cannot read the scalar tagged"),
    case("tag-python-str-on-a-field", record({"title": "title: !!python/str Hi"}),
         FME, "yaml-unsupported", "!!python/str", "cannot read the scalar tagged"),
    case("tag-verbatim",
         record(add='x: !<tag:yaml.org,2002:python/object/apply:os.system> ["true"]'),
         FME, "yaml-unsupported", "!<tag:", "cannot read the list tagged"),
    case("tag-directive",
         "---\n%TAG !py! tag:yaml.org,2002:python/\n"
         '--- {x: !py!object/apply:os.system ["true"]}\n---\n',
         FME, "yaml-unsupported", "!py!object",
         "tagged '!!python/object/apply:os.system'"),
    case("tag-on-the-root", "---\n!!python/object/new:os.system\nargs: [true]\n---\n",
         FME, "yaml-unsupported", (2, 1), "cannot read the mapping tagged"),
    case("tag-binary-on-a-text-field", record({"title": "title: !!binary SGk="}), VE,
         "type", "!!binary", "title: expected text, got binary data"),
    case("tag-binary-on-the-token", record({"secured": "secured: !!binary SGk="}),
         VE, "type", "!!binary", "expected the token as text, got binary data"),
    case("tag-custom-scalar", record(add="x: !tag value"), FME, "yaml-unsupported",
         "!tag", "cannot read the scalar tagged '!tag'"),
    case("tag-custom-mapping", record(add="x: !tag {a: 1}"), FME, "yaml-unsupported",
         "!tag", "cannot read the mapping tagged '!tag'"),
    case("tag-custom-list", record({"topics": "topics: !tag [a]"}), FME,
         "yaml-unsupported", "!tag", "cannot read the list tagged '!tag'"),
    case("tag-set", record(add="x: !!set {a, b}"), FME, "yaml-unsupported", "!!set",
         "cannot read the mapping tagged '!!set'"),
    # --- anchors and aliases ----------------------------------------------------------
    case("alias-undefined", record(add="x: *nowhere"), FME, "yaml-syntax",
         "*nowhere", "found undefined alias"),
    case("alias-recursive-list", record(add="x: &a [*a]"), FME, "too-deep", "&a [",
         f"nests deeper than {MAX_DEPTH} levels", memory=True),
    case("alias-recursive-mapping", record(add="x: &a {y: *a}"), FME, "too-deep",
         "&a {", f"nests deeper than {MAX_DEPTH} levels", memory=True),
    # The value being expanded when the count passed the limit: one of lol0's.
    case("alias-billion-laughs", laughs(10), FME, "too-many-nodes",
         "&a0 [lol, lol, lol, lol, |lol, lol, lol, lol, lol, lol]",
         "more than 100000 values (after expanding aliases)", memory=True),
    case("alias-repeating-a-long-value",
         lambda: record(add='x: &x "' + "y" * 100_000 + '"\n'
                        + "z: [" + ", ".join(["*x"] * 20) + "]"),
         FME, "too-large", "x: |&x", "values hold more than 1048576 characters",
         memory=True),
    case("alias-repeating-a-block-scalar",
         lambda: record(add="x: &x |\n" + ("  " + "y" * 999 + "\n") * 500
                        + "z: &z [" + ", ".join(["*x"] * 10) + "]\n"
                        + "w: [" + ", ".join(["*z"] * 10) + "]"),
         FME, "too-large", "x: |&x", "(after expanding aliases)", memory=True),
    # --- nesting ----------------------------------------------------------------------
    # Indented 10,000 levels deep (50 million characters), the file is far over
    # its size limit before its depth is looked at; 200 levels are too deep.
    case("nesting-10000-block-mappings", nested_block(10_000), FME, "too-large",
         (1, 1), "the file is larger than 16777216 characters"),
    case("nesting-200-block-mappings", nested_block(200), FME, "too-deep",
         (INSIDE + 2, INSIDE + 1), f"nests deeper than {MAX_DEPTH} levels"),
    case("nesting-10000-block-lists", "---\nx:\n" + "- " * 10_000 + "1\n---\n", FME,
         "too-deep", (3, 2 * (INSIDE - 1) + 1), "nests deeper"),
    case("nesting-10000-flow-lists",
         "---\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\n", FME, "too-deep",
         (2, len("x: ") + INSIDE), "nests deeper"),
    case("nesting-10000-flow-mappings",
         "---\nx: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n---\n", FME,
         "too-deep", (2, len("x: ") + len("{a: ") * (INSIDE - 1) + 1),
         "nests deeper"),
    case("nesting-10000-unclosed-flow-lists", "---\nx: " + "[" * 10_000 + "\n---\n",
         FME, "too-deep", (2, len("x: ") + INSIDE), "nests deeper"),
    # --- tabs -------------------------------------------------------------------------
    case("tab-indenting-a-key", record().replace("  name:", "\tname:"), FME,
         "yaml-syntax", "\n|\tname:", "a tab indents this line"),
    case("tab-indenting-a-list-item",
         record().replace("  - Transport", "\t- Transport"), FME, "yaml-syntax",
         "\n|\t- Transport", "a tab indents this line"),
    case("tab-after-spaces", record().replace("  name:", "  \tname:"), FME,
         "yaml-syntax", "\tname:", "a tab indents this line"),
    # --- encodings --------------------------------------------------------------------
    case("not-utf8-latin-1", record({"title": 'title: "Café"'}).encode("latin-1"),
         FME, "encoding", (3, 12), "not UTF-8: byte 0xe9 at offset 30"),
    case("not-utf8-overlong", record().encode().replace(b"Night", b"Nig\xc0\xaft"),
         FME, "encoding", (3, 12), "not UTF-8: byte 0xc0"),
    case("not-utf8-encoded-surrogate",
         record().encode().replace(b"Night", b"\xed\xa0\x80Night"), FME, "encoding",
         (3, 9), "not UTF-8: byte 0xed"),
    case("not-utf8-truncated-at-the-end", record().encode() + b"<p>\xe2\x82", FME,
         "encoding", (23, 4), "not UTF-8: byte 0xe2"),
    case("not-utf8-utf-16", record().encode("utf-16"), FME, "encoding", (1, 1),
         "not UTF-8: byte 0xff at offset 0"),
    case("lone-surrogate-in-text", record({"title": 'title: "\ud800"'}), FME,
         "encoding", (3, 9), "lone surrogate U+D800"),
    # --- NUL --------------------------------------------------------------------------
    case("nul-in-a-quoted-value", record({"title": 'title: "a\x00b"'}), FME,
         "yaml-syntax", "\x00", "the character U+0000 is not allowed in YAML"),
    case("nul-in-a-plain-value", record({"title": "title: a\x00b"}), FME,
         "yaml-syntax", "\x00", "U+0000"),
    case("nul-in-a-key", record(add="ti\x00tle: x"), FME, "yaml-syntax", "\x00",
         "U+0000"),
    case("nul-as-bytes", record({"title": 'title: "a\x00b"'}).encode(), FME,
         "yaml-syntax", (3, 10), "U+0000"),
    case("nul-before-the-delimiter", "\x00" + record(), FME,
         "text-before-front-matter", (1, 1), "text before"),
    case("nul-only", b"\x00" * 1024, FME, "no-front-matter", (1, 1),
         "no front matter"),
    # --- impossible timestamps --------------------------------------------------------
    *(
        case(f"timestamp-{name}",
             record({"publishedDateTime": f"publishedDateTime: {written}"}), VE,
             "timestamp", f"publishedDateTime: |{written}", says)
        for name, written, says in [
            ("month-13-day-45", "2019-13-45T00:00:00Z", "month must be in 1..12"),
            ("all-zero", "0000-00-00", "year 0 is out of range"),
            ("all-zero-with-time", "0000-00-00T00:00:00Z", "year 0 is out of range"),
            ("february-30", "2019-02-30T00:00:00Z", "day is out of range for month"),
            ("hour-25", "2019-12-23T25:00:00Z", "hour must be in 0..23"),
            ("leap-second", "2016-12-31T23:59:60Z", "second must be in 0..59"),
            ("offset-25-hours", "2019-12-23T00:00:00+25:00", "+25:00 is not less"),
            ("quoted", '"2019-13-45T00:00:00Z"', "expected an ISO 8601 timestamp"),
        ]
    ),
    case("timestamp-impossible-in-related",
         record(add=RELATED.format(when="2019-13-45T00:00:00Z")), VE, "timestamp",
         "publishedDateTime: |2019-13-45", "related[0].publishedDateTime: not a real"),
    case("timestamp-impossible-in-an-unknown-key", record(add="x: 2019-13-45"), VE,
         "value", "x: |2019-13-45", "x: cannot be read as YAML: month must be"),
    # --- integers beyond 64 bits ------------------------------------------------------
    *(
        case(f"int-{name}", record({"heat": f"heat: {written}"}), VE, "range",
             f"heat: |{written[:10]}", says)
        for name, written, says in [
            ("2-to-the-64", str(2**64), "an integer of 20 digits is outside"),
            ("minus-2-to-the-63-minus-1", str(-(2**63) - 1),
             "-9223372036854775809 is outside the 32-bit range"),
            ("128-bits", str(2**128), "an integer of 39 digits is outside"),
            ("5000-digits", "9" * 5000, "an integer of thousands of digits"),
            ("base-60-100000-parts", "1" + ":00" * 100_000, "thousands of digits"),
            ("hexadecimal", "0x1_0000_0000_0000_0000", "20 digits"),
            ("binary", "0b1" + "0" * 70, "22 digits"),
            ("octal", "0" + "7" * 30, "28 digits"),
            ("base-60", "1" + ":00" * 3000, "an integer of thousands of digits"),
        ]
    ),
    case("int-beyond-64-bits-in-an-image",
         record({"provider": IMAGE.format(width=2**70)}), VE, "range",
         f"width: |{2**70}", "provider.images[0].width: an integer of 22 digits"),
    case("int-5000-digits-in-an-unknown-key", record(add="x: " + "9" * 5000), VE,
         "value", "x: |999", "x: cannot be read as YAML"),
    # --- the secured token ------------------------------------------------------------
    *(
        case(f"token-{name}", token(text), VE, "token", 'secured: |"', says)
        for name, text, says in [
            ("empty", "", "two base64 parts joined by ';' (found 1 part(s) in 0"),
            ("one-part", CIPHERTEXT_B64, "(found 1 part(s) in 300 characters)"),
            ("three-parts", TOKEN + ";" + IV_B64, "(found 3 part(s)"),
            ("halves-swapped", IV_B64 + ";" + CIPHERTEXT_B64,
             "the IV must be 16 bytes, not 224"),
            ("not-base64", "!!!!;" + IV_B64, "the ciphertext (4 characters) is not"),
            ("url-safe-base64", TOKEN.replace("+", "-").replace("/", "_"),
             "is not standard base64"),
            ("iv-unpadded", CIPHERTEXT_B64 + ";" + IV_B64.rstrip("="),
             "the IV (22 characters) is not standard base64"),
            ("iv-not-canonical", CIPHERTEXT_B64 + ";" + IV_B64[:-3] + "h==",
             "the IV (24 characters) is not canonically padded base64"),
            ("iv-8-bytes", CIPHERTEXT_B64 + ";" + b64(IV[:8]),
             "the IV must be 16 bytes, not 8"),
            ("iv-32-bytes", CIPHERTEXT_B64 + ";" + b64(IV * 2),
             "the IV must be 16 bytes, not 32"),
            ("ciphertext-empty", ";" + IV_B64, "non-empty multiple of 16 bytes, not 0"),
            ("ciphertext-not-blocks", b64(CIPHERTEXT + b"x") + ";" + IV_B64,
             "non-empty multiple of 16 bytes, not 225"),
            ("spaces-around", f" {TOKEN} ", "is not standard base64"),
            ("space-after-semicolon", TOKEN.replace(";", "; "), "the IV (25 char"),
            ("escaped-newline-inside", TOKEN[:100] + "\\n" + TOKEN[100:],
             "the ciphertext (301 characters) is not standard base64"),
            ("non-ascii", "é" + TOKEN[1:], "is not standard base64"),
        ]
    ),
    *(
        case(f"token-{name}", record({"secured": f"secured: {written}"}), VE, code,
             "secured: |" + written[:1] if written else "secured:|", says)
        for name, written, code, says in [
            ("plain-null", "~", "token", "(found 1 part(s) in 1 characters)"),
            ("nothing", "", "token", "(found 1 part(s) in 0 characters)"),
            ("number", "12", "token", "(found 1 part(s) in 2 characters)"),
            ("list", "[a, b]", "type", "expected the token as text, got a list"),
            ("mapping", "{a: b}", "type", "expected the token as text, got a mapping"),
        ]
    ),
    # --- sizes (the limits are configurable) ------------------------------------------
    case("body-100-megabytes",
         lambda: record() + ("<p>" + "x" * 1000 + "</p>\n") * (100 * MEGABYTE // 1008),
         FME, "too-large", None, "", memory=True),
    # The size is checked before any YAML is read: one loader is enough (the
    # pure-Python one takes a while over 10 MB when there is no limit).
    case("front-matter-10-megabytes",
         lambda: record(add='x: "' + "y" * (10 * MEGABYTE) + '"'),
         FME, "too-large", None, "", memory=True, loaders=("libyaml",)),
]  # fmt: skip


def _offset(text: str, at: str) -> int:
    """The offset ``at`` points to: its ``|``, or its start, found from the end."""
    needle = at.replace("|", "", 1)
    found = text.rfind(needle)
    assert found != -1, f"{needle!r} is not in the text"
    return found + max(at.find("|"), 0)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _expected_place(data: str | bytes, at: Where) -> tuple[int, int] | None:
    if at is None or isinstance(at, tuple):
        return at
    text = data if isinstance(data, str) else data.decode("utf-8", "surrogateescape")
    return _line_column(text, _offset(text, at))


def _guarded(
    call: Callable[[], object], *, size: int, memory: bool
) -> BaseException | None:
    """Run ``call`` under the guards; give what it raised."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    raised: BaseException | None = None
    try:
        call()
    except Exception as exc:  # noqa: BLE001 (the caller checks what it is)
        raised = exc
    finally:
        seconds = time.perf_counter() - started
        peak = 0
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert seconds < HANG_SECONDS, "it hangs"
    assert peak < MEMORY_PER_INPUT_BYTE * size + MEMORY_OVERHEAD, "it blows up"
    return raised


class TestCatalogue:
    @pytest.mark.parametrize(
        ("yaml_loader", "row"),
        [param for row in CATALOGUE for param in row],
        indirect=["yaml_loader"],
    )
    def test_refused_with_our_error(self, yaml_loader: str, row: Case) -> None:
        """The input is refused with its error, code, place and message, bounded."""
        assert yaml_loader in LOADERS
        data = row.data()
        raised = _guarded(
            lambda: newsrecord.loads(data, path="hostile.md", strict=row.strict),
            size=len(data),
            memory=row.memory,
        )
        assert raised is not None, "loaded without an error"
        assert isinstance(raised, newsrecord.NewsRecordError), repr(raised)
        assert type(raised) is row.error
        if isinstance(raised, newsrecord.ValidationError):
            first = raised.errors[0]
            code, message = first.code, first.message
        else:
            assert isinstance(raised, newsrecord.FrontMatterError)
            code, message = raised.code, raised.message
        assert code == row.code
        assert row.says in str(raised)
        assert message
        line, column = raised.line, raised.column
        assert line is not None
        assert column is not None
        expected = _expected_place(data, row.at)
        if expected is None:
            assert line >= 1
            assert column >= 1
        else:
            assert (line, column) == expected
            assert f"hostile.md:{line}:{column}: " in str(raised)


@pytest.fixture
def trap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A module that leaves a file behind when imported, called or instantiated.

    Gives the directory where the file would appear.
    """
    module = tmp_path / "hostile_trap.py"
    module.write_text(
        "from pathlib import Path\n"
        "HERE = Path(__file__).parent\n"
        "(HERE / 'imported').touch()\n"
        "def fire(*args, **kwargs):\n"
        "    (HERE / 'called').touch()\n"
        "class Trap:\n"
        "    def __new__(cls, *args, **kwargs):\n"
        "        (HERE / 'constructed').touch()\n"
        "        return super().__new__(cls)\n"
        "    def __setstate__(self, state):\n"
        "        (HERE / 'constructed').touch()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("hostile_trap", None)


_TRAPPED = [
    "!!python/module:hostile_trap",
    "!!python/name:hostile_trap.fire",
    "!!python/object/apply:hostile_trap.fire [1]",
    "!!python/object/apply:hostile_trap.fire {args: [1], kwds: {a: 1}}",
    "!!python/object/new:hostile_trap.Trap [1]",
    "!!python/object:hostile_trap.Trap {a: 1}",
    "!<tag:yaml.org,2002:python/object/apply:hostile_trap.fire> [1]",
]
_PLACES: dict[str, Callable[[str], str]] = {
    "unknown-key": lambda tag: record(add=f"x: {tag}"),
    "title": lambda tag: record({"title": f"title: {tag}"}),
    "list-item": lambda tag: record({"topics": f"topics:\n  - {tag}"}),
    "flow-list": lambda tag: record(add=f"x: [a, {tag}]"),
    "flow-mapping": lambda tag: record(add=f"x: {{a: {tag}}}"),
    "anchored": lambda tag: record(add=f"x: &anchor {tag}\ny: *anchor"),
    "merged": lambda tag: record(add=f"x:\n  <<: {tag}"),
    "merged-in-a-list": lambda tag: record(add=f"x:\n  <<: [{{a: 1}}, {tag}]"),
    "key": lambda tag: record(add=f"? {tag}\n: x"),
}


class TestNothingRuns:
    @pytest.mark.parametrize("tag", _TRAPPED)
    def test_the_trap_fires_under_an_unsafe_loader(self, trap: Path, tag: str) -> None:
        """The traps work: PyYAML's unsafe loader imports, calls or builds them."""
        yaml.unsafe_load(f"x: {tag}\n")
        assert {path.name for path in trap.iterdir()} & {
            "imported",
            "called",
            "constructed",
        }
        assert "hostile_trap" in sys.modules

    @pytest.mark.parametrize("place", _PLACES)
    @pytest.mark.parametrize("tag", _TRAPPED)
    def test_nothing_is_imported_called_or_built(
        self, trap: Path, tag: str, place: str
    ) -> None:
        """A Python tag anywhere is our error; its module is not even imported."""
        text = _PLACES[place](tag)
        with pytest.raises(newsrecord.NewsRecordError):
            newsrecord.loads(text)
        with pytest.raises(newsrecord.NewsRecordError):
            newsrecord.loads(text, strict=True)
        assert sorted(path.name for path in trap.iterdir()) == ["hostile_trap.py"]
        assert "hostile_trap" not in sys.modules


_INTERNAL_NAMES = [
    "content",
    "handler",
    "metadata",
    "__class__",
    "__init__",
    "__dict__",
    "__slots__",
    "_source",
    "body",
    "extra",
    "url",
    "secured_token",
]


class TestNamesOfInternals:
    @pytest.mark.parametrize("name", _INTERNAL_NAMES)
    def test_kept_as_an_unknown_key(self, name: str) -> None:
        """A key named like an attribute or a dunder is just kept in `extra`."""
        plain = newsrecord.loads(record())
        text = record(add=f"{name}: x")
        article = newsrecord.loads(text)
        assert dict(article.extra) == {name: "x"}
        assert attrs.evolve(article, extra=plain.extra) == plain
        assert article.body == ""
        assert type(article) is newsrecord.Article
        assert article.url == plain.url
        assert newsrecord.dumps(article) == text

    @pytest.mark.parametrize("name", sorted(set(_INTERNAL_NAMES) - {"url"}))
    def test_kept_in_nested_records(self, name: str) -> None:
        """The same in a provider and an image: nothing of theirs is replaced."""
        text = record(
            {
                "provider": f"provider:\n  name: A\n  domain: a.com\n  {name}: x\n"
                f"  images:\n    - url: /a.png\n      width: 1\n"
                f"      height: 2\n      {name}: y"
            }
        )
        provider = newsrecord.loads(text).provider
        assert type(provider) is newsrecord.Provider
        assert (provider.name, provider.domain) == ("A", "a.com")
        assert dict(provider.extra) == {name: "x"}
        assert dict(provider.images[0].extra) == {name: "y"}
        assert (provider.images[0].width, provider.images[0].height) == (1, 2)


class TestWhatIsNotAnError:
    def test_nul_in_the_body_is_kept(self) -> None:
        """The body is not YAML: a NUL there is kept and written back exactly."""
        text = record() + "<p>a\x00b</p>\n"
        article = newsrecord.loads(text)
        assert article.body == "<p>a\x00b</p>\n"
        assert newsrecord.dumps(article) == text

    @pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 2**200])
    def test_big_integer_in_an_unknown_key_is_kept(self, number: int) -> None:
        """An unknown key's integer beyond 64 bits is kept exactly, not refused."""
        text = record(add=f"x: {number}")
        article = newsrecord.loads(text)
        assert article.extra["x"] == number
        assert newsrecord.dumps(article) == text

    def test_aliases_within_the_limit_are_read(self) -> None:
        """Anchors and aliases are YAML: used with measure, they read as PyYAML does."""
        article = newsrecord.loads(laughs(3))
        assert article.extra["lol2"] == ((("lol",) * 10,) * 10,) * 10
        assert newsrecord.dumps(article) == laughs(3)

    @pytest.mark.parametrize(
        "front_matter", ["x: &a {y: 1, <<: [*a, *a]}\n", "x: &a {<<: *a}\n"]
    )
    def test_a_mapping_merging_itself_reads_as_in_pyyaml(
        self, front_matter: str
    ) -> None:
        """A mapping that merges itself ends, and reads as PyYAML reads it."""
        article = newsrecord.loads(record(add=front_matter))
        expected = yaml.safe_load(front_matter)["x"]
        assert dict(article.extra["x"]) == expected


# --- YAML 1.1 number forms, in every place a scalar is resolved -----------------------

#: Sizes of each form: a few characters, past a float's range, past Python's digits.
_SIZES = (3, 400, 6000)

#: Where a plain scalar is resolved when reading: each place puts the form there.
_READ_PLACES: dict[str, Callable[[str], str]] = {
    "unknown-key": lambda form: record(add=f"x: {form}"),
    "unknown-key-in-a-flow-list": lambda form: record(add=f"x: [{form}, {form}]"),
    "unknown-key-in-a-provider": lambda form: record(
        {"provider": f"provider:\n  name: A\n  domain: a.com\n  x: {form}"}
    ),
    "key": lambda form: record(add=f"{form}: x"),
    "int-field": lambda form: record({"quality": f"quality: {form}"}),
    "int-field-negative-ok": lambda form: record({"heat": f"heat: {form}"}),
    "size-field": lambda form: record({"provider": IMAGE.format(width=form)}),
    "bool-field": lambda form: record({"published": f"published: {form}"}),
    "text-field": lambda form: record({"title": f"title: {form}"}),
    "text-list-item": lambda form: record({"topics": f"topics:\n  - {form}"}),
    "timestamp-field": lambda form: record(
        {"publishedDateTime": f"publishedDateTime: {form}"}
    ),
    "token-field": lambda form: record({"secured": f"secured: {form}"}),
    "related": lambda form: record(add=RELATED.format(when=form)),
}

#: Where a string is checked for being safe to write plain.
_WRITE_PLACES: dict[str, Callable[[newsrecord.Article, str], newsrecord.Article]] = {
    "title": lambda article, form: attrs.evolve(article, title=form),
    "topic": lambda article, form: attrs.evolve(article, topics=(form, "x")),
    "provider-name": lambda article, form: attrs.evolve(
        article, provider=attrs.evolve(article.provider, name=form)
    ),
    "unknown-key-text": lambda article, form: attrs.evolve(
        article, extra={"x": form, "y": (form,)}
    ),
    "unknown-key-name": lambda article, form: attrs.evolve(article, extra={form: 1}),
}

_FORMS = [
    pytest.param(make(size), id=f"{name}-{size}")
    for name, make in NUMBER_FORMS
    for size in _SIZES
]


def _json_round_trip(article: newsrecord.Article) -> None:
    """`to_dict` of the record is JSON: strict JSON, with no NaN or Infinity."""
    json.loads(json.dumps(newsrecord.to_dict(article), allow_nan=False))


class TestNumberForms:
    @pytest.mark.parametrize("place", _READ_PLACES)
    @pytest.mark.parametrize("form", _FORMS)
    def test_read_gives_a_record_or_our_error(self, place: str, form: str) -> None:
        """Any number form anywhere loads, or is refused with our error, quickly.

        What loads is written back exactly, and shows as strict JSON.
        """
        text = _READ_PLACES[place](form)
        raised = _guarded(lambda: _load_write_show(text), size=len(text), memory=False)
        assert raised is None or isinstance(raised, newsrecord.NewsRecordError), repr(
            raised
        )

    @pytest.mark.parametrize("place", _WRITE_PLACES)
    @pytest.mark.parametrize("form", _FORMS)
    def test_written_text_reads_back_as_text(self, place: str, form: str) -> None:
        """A number form given as text is written so that it reads back as text."""
        article = _WRITE_PLACES[place](newsrecord.loads(record()), form)
        written = newsrecord.dumps(article)
        assert newsrecord.loads(written) == article
        _json_round_trip(article)

    @pytest.mark.parametrize("form", _FORMS)
    def test_from_dict_takes_it_as_text(self, form: str) -> None:
        """`from_dict` reads a number form given as text as that text, anywhere."""
        data = newsrecord.to_dict(newsrecord.loads(record()))
        data.update(title=form, topics=[form], x={"y": form})
        article = newsrecord.from_dict(data)
        assert (article.title, article.topics) == (form, (form,))
        assert article.extra["x"]["y"] == form
        assert newsrecord.loads(newsrecord.dumps(article)) == article

    @given(number_forms())
    def test_any_size_any_form(self, form: str) -> None:
        """Generated forms of any size, as an unknown key's, an int's and a text."""
        for place in ("unknown-key", "int-field", "text-field"):
            with contextlib.suppress(newsrecord.NewsRecordError):
                _load_write_show(_READ_PLACES[place](form))


def _strict_json(text: str) -> object:
    """``text`` read as JSON, refusing the NaN and Infinity JSON does not have."""

    def refuse(constant: str) -> object:
        message = f"{constant} is not JSON"
        raise ValueError(message)

    return json.loads(text, parse_constant=refuse)


class TestJsonOutputs:
    @pytest.mark.parametrize(
        "front_matter",
        [
            "x: .nan",
            "x: -.inf",
            "x: [.inf, .NaN, 1.5]",
            "x: {y: {z: -.Inf}}",
            "x: 1.0e+999",
            "x: 0x" + "f" * 900,
        ],
    )
    def test_show_prints_strict_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], front_matter: str
    ) -> None:
        """`show` prints strict JSON for any number an unknown key holds."""
        path = tmp_path / "numbers.md"
        path.write_text(record(add=front_matter), encoding="utf-8")
        assert main(["show", str(path)]) == 0
        shown = _strict_json(capsys.readouterr().out)
        assert isinstance(shown, dict)
        assert shown["front_matter"]["x"] == _json_value(front_matter)

    @pytest.mark.parametrize("front_matter", ["x: .nan", "x: [-.inf, {y: .Inf}]"])
    def test_export_writes_strict_json_lines(
        self, tmp_path: Path, front_matter: str
    ) -> None:
        """`export` to JSON Lines writes strict JSON for any number too."""
        path = tmp_path / "numbers.md"
        path.write_text(record(add=front_matter), encoding="utf-8")
        output = tmp_path / "records.jsonl"
        assert newsrecord.export(path, output).records == 1
        (line,) = output.read_text(encoding="utf-8").splitlines()
        row = _strict_json(line)
        assert isinstance(row, dict)
        assert row["x"] == _json_value(front_matter)


def _json_value(front_matter: str) -> object:
    """The value `to_dict` gives the unknown key ``x`` of ``front_matter``."""
    value = yaml.safe_load(front_matter)["x"]
    text = {math.inf: ".inf", -math.inf: "-.inf"}

    def convert(item: object) -> object:
        if isinstance(item, dict):
            return {key: convert(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [convert(inner) for inner in item]
        if isinstance(item, float) and math.isnan(item):
            return ".nan"
        if isinstance(item, float) and item in text:
            return text[item]
        return item

    return convert(value)


def _load_write_show(text: str) -> None:
    article = newsrecord.loads(text)
    assert newsrecord.dumps(article) == text
    assert newsrecord.loads(newsrecord.dumps(attrs.evolve(article, heat=1))) == (
        attrs.evolve(article, heat=1)
    )
    _json_round_trip(article)


# --- many problems: a few bytes each, bounded work in all -----------------------------

#: The most memory a record with many problems may take per character: far above
#: what reading it takes (about 150 bytes), far below gathering every problem with
#: its exception, notes and group (about 2,000).
PROBLEM_MEMORY_PER_INPUT_BYTE = 512
MAX_PROBLEMS = DEFAULT_LIMITS.max_problems


@attrs.frozen
class Many:
    """A record of ``count`` values that each have 1 to ``per_value`` problems.

    ``count`` keeps the front matter within `Limits.max_values`.
    """

    make: Callable[[int], str]
    per_value: int
    count: int = 10_000
    strict: bool = False


_MANY: dict[str, Many] = {
    "empty-related-articles": Many(
        lambda count: record(add="related:\n" + "  - {}\n" * count), per_value=5
    ),
    "empty-related-articles-in-a-flow-list": Many(
        lambda count: record(add="related: [" + "{}, " * count + "]"), per_value=5
    ),
    "lists-for-topics": Many(
        lambda count: record({"topics": "topics:\n" + "  - [a]\n" * count}),
        per_value=1,
    ),
    "bad-image-urls": Many(
        lambda count: record(add="images:\n" + "  - {url: 1, width: a}\n" * count),
        per_value=3,
    ),
    "unknown-keys-in-strict-mode": Many(
        lambda count: record(add="".join(f"k{i}: 1\n" for i in range(count))),
        per_value=1,
        strict=True,
    ),
    "impossible-dates-in-unknown-keys": Many(
        lambda count: record(add="".join(f"k{i}: 2019-13-45\n" for i in range(count))),
        per_value=1,
    ),
    "deep-lists-of-bad-mappings": Many(
        lambda count: record(
            add="related:\n"
            + "  - provider:\n      images:\n        - {url: x}\n" * count
        ),
        per_value=9,
    ),
}


class TestManyProblems:
    # The reader's speed is not what this shows: one loader is enough.
    @pytest.mark.parametrize("yaml_loader", ["libyaml"], indirect=True)
    @pytest.mark.parametrize("name", _MANY)
    def test_the_first_are_listed_and_the_rest_counted(
        self, yaml_loader: str, name: str
    ) -> None:
        """Past `Limits.max_problems`, problems are counted, not gathered: memory
        stays a small multiple of the input, and the count is a true lower bound."""
        assert yaml_loader == "libyaml"
        many = _MANY[name]
        count = many.count
        text = many.make(count)
        tracemalloc.start()
        try:
            with pytest.raises(newsrecord.ValidationError) as caught:
                newsrecord.loads(text, strict=many.strict)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < PROBLEM_MEMORY_PER_INPUT_BYTE * len(text)
        error = caught.value
        assert len(error.errors) == MAX_PROBLEMS
        assert (
            count - MAX_PROBLEMS <= error.more <= count * many.per_value - MAX_PROBLEMS
        )
        assert str(error).endswith(f"and at least {error.more} more problems")

    @pytest.mark.parametrize("name", _MANY)
    def test_work_per_problem_stops_at_the_limit(
        self, name: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Only the problems listed are placed and described, whatever the count."""
        structure = sys.modules["newsrecord._structure"]
        real = structure._field_error
        calls: list[object] = []

        def counted(*args: object, **kwargs: object) -> object:
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(structure, "_field_error", counted)
        many = _MANY[name]
        for count in (1_000, 4_000):
            calls.clear()
            with pytest.raises(newsrecord.ValidationError) as caught:
                newsrecord.loads(many.make(count), strict=many.strict)
            assert len(caught.value.errors) == MAX_PROBLEMS
            # At most a model's worth of problems past the limit, then none.
            assert MAX_PROBLEMS <= len(calls) <= MAX_PROBLEMS + 30

    @pytest.mark.parametrize("name", _MANY)
    def test_all_listed_with_a_higher_limit(self, name: str) -> None:
        """With a limit above the count, every problem is listed and none is more."""
        many = _MANY[name]
        limits = newsrecord.Limits(max_problems=10_000)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(many.make(300), strict=many.strict, limits=limits)
        assert 300 <= len(caught.value.errors) <= 300 * many.per_value
        assert caught.value.more == 0

    @pytest.mark.parametrize("output", ["text", "json"])
    def test_validate_says_how_many_more(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
    ) -> None:
        """`newsrecord validate` lists the first problems and says how many more."""
        path = tmp_path / "many.md"
        path.write_text(_MANY["lists-for-topics"].make(1_000), encoding="utf-8")
        assert main(["validate", "--format", output, str(path)]) == 1
        shown = capsys.readouterr().out
        more = f"and at least {1_000 - MAX_PROBLEMS} more problems"
        if output == "json":
            record = json.loads(shown)["records"][0]
            assert len(record["problems"]) == MAX_PROBLEMS
            assert record["more_problems"] == 1_000 - MAX_PROBLEMS
        else:
            lines = shown.splitlines()
            assert len(lines) == MAX_PROBLEMS + 1
            assert lines[-1] == f"{path}: {more}"


# --- merge keys: chains and fans of mappings merged into mappings ---------------------


def merge_chain(levels: int, *, fan: int = 1, width: int = 1) -> str:
    """Front matter of mappings each merging the one before, ``fan`` times over.

    The first holds ``width`` keys; each other adds one of its own.
    """
    first = ", ".join(f"w{index}: {index}" for index in range(width))
    lines = [f"a0: &a0 {{{first}}}"]
    for level in range(1, levels):
        merged = ", ".join([f"*a{level - 1}"] * fan)
        lines.append(f"a{level}: &a{level} {{<<: [{merged}], k{level}: {level}}}")
    return "\n".join(lines)


#: Each is a few kilobytes at most. PyYAML 6.0.2 flattens the fans in time and
#: memory exponential in their depth; copying each mapping's merged graph anew
#: took time quadratic in a chain's length.
_MERGES = {
    "fan-of-4-13-deep": merge_chain(13, fan=4),
    "fan-of-4-90-deep": merge_chain(90, fan=4),
    "chain-of-60-on-100-keys": merge_chain(60, width=100),
    "chain-of-150": merge_chain(150),
}


class TestMergeKeys:
    @pytest.mark.parametrize("name", _MERGES)
    def test_read_as_pyyaml_reads_it(self, name: str) -> None:
        """Chains and fans of merges read as PyYAML reads them, within the guards."""
        front_matter = _MERGES[name]
        text = record(add=front_matter)
        raised = _guarded(lambda: newsrecord.loads(text), size=len(text), memory=True)
        assert raised is None, repr(raised)
        article = newsrecord.loads(text)
        expected = yaml.safe_load(front_matter)
        assert {key: dict(value) for key, value in article.extra.items()} == expected

    @pytest.mark.parametrize("fan", [1, 4])
    def test_each_mapping_is_copied_once(
        self, monkeypatch: pytest.MonkeyPatch, fan: int
    ) -> None:
        """The nodes copied for merging grow with the chain, not with its square."""
        frontmatter = sys.modules["newsrecord._frontmatter"]
        real = frontmatter.copy.deepcopy
        copied: list[int] = []

        def counted(value: object, memo: dict[int, object] | None = None) -> object:
            memo = {} if memo is None else memo
            before = len(memo)
            result = real(value, memo)
            copied.append(len(memo) - before)
            return result

        monkeypatch.setattr(frontmatter.copy, "deepcopy", counted)
        totals = []
        for levels in (40, 80):
            copied.clear()
            newsrecord.loads(record(add=merge_chain(levels, fan=fan, width=20)))
            totals.append(sum(copied))
        assert totals[1] < 2.5 * totals[0]
