"""The reference pages agree with the code: every key, type and error code.

The examples on the pages run as tests of their own (see the root conftest.py);
these tests check that the pages leave nothing out.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import types
from pathlib import Path
from typing import Any, get_args

import attrs
import pytest

import newsrecord
from newsrecord._model import file_key
from newsrecord._spec import TABLES, Field, Rule

DOCS = Path(__file__).resolve().parents[1] / "docs"
_NOT_KEYS = frozenset({"body", "extra"})
_MODELS = [
    newsrecord.Article,
    newsrecord.Provider,
    newsrecord.Image,
    newsrecord.Author,
    newsrecord.Publisher,
    newsrecord.RelatedArticle,
]


def _sections(page: str) -> dict[str, str]:
    """The text under each heading of a page, by heading."""
    text = (DOCS / page).read_text(encoding="utf-8")
    parts = re.split(r"^#+ (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _table(section: str) -> list[list[str]]:
    """The rows of the first table in a section, cells unquoted from their code."""
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = re.split(r"(?<!\\) \| ", line.strip("| "))
        rows.append([cell.replace("\\|", "|").strip("`") for cell in cells])
    return rows


#: What the rules column says of each rule of the field table.
_RULE_WORDS = {
    Rule.TEXT: "text",
    Rule.LINK: "link",
    Rule.IMAGE_LINK: "an absolute http(s) URL, or a path",
    Rule.INT32: "integer",
    Rule.SIZE: "integer, not negative",
    Rule.BOOL: "bool",
    Rule.TIMESTAMP: "timestamp with a timezone",
    Rule.TOKEN: "the opaque token",
    Rule.TEXTS: "list of text",
    Rule.RECORD: "map: see",
    Rule.RECORDS: "list of maps: see",
}


def _words(field: Field) -> list[str]:
    """What the rules column must say of ``field``: its rule, or a choice's values."""
    if field.rule is Rule.CHOICE:
        return [f"`{value}" for value in get_args(field.type)]
    return [_RULE_WORDS[field.rule]]


class TestPages:
    @pytest.mark.parametrize(
        "page",
        [*sorted(DOCS.glob("*.md")), DOCS.parent / "README.md"],
        ids=lambda page: page.name,
    )
    def test_every_code_block_is_closed(self, page: Path) -> None:
        """Each fence opens a block that a fence closes: no page runs prose as code."""
        text = page.read_text(encoding="utf-8")
        fences = re.findall(r"^ *```", text, flags=re.MULTILINE)
        assert len(fences) % 2 == 0


class TestFormatReference:
    @pytest.mark.parametrize("model", _MODELS, ids=lambda model: model.__name__)
    def test_rows_follow_the_field_table(self, model: type) -> None:
        """A model's table lists its keys in the field table's order, with their rules.

        A rule that says "required" is the field table's required key; each rule
        names the field's rule (or a choice's values).
        """
        (section,) = [
            text
            for heading, text in _sections("format.md").items()
            if heading.endswith(f"`{model.__name__}`")
        ]
        rows = _table(section)
        fields = TABLES[model].fields
        assert [row[0] for row in rows] == [field.key for field in fields]
        for row, field in zip(rows, fields, strict=True):
            assert row[3].startswith("required") == field.required, field.key
            for word in _words(field):
                assert word in row[3], (field.key, word)

    @pytest.mark.parametrize("model", _MODELS, ids=lambda model: model.__name__)
    def test_every_key_is_documented_with_its_attribute(self, model: type) -> None:
        """The model's table lists each of its keys once, with its attribute name."""
        (section,) = [
            text
            for heading, text in _sections("format.md").items()
            if heading.endswith(f"`{model.__name__}`")
        ]
        documented = sorted((row[0], row[1]) for row in _table(section))
        expected = sorted(
            (file_key(field.name), field.name)
            for field in attrs.fields(model)
            if field.name not in _NOT_KEYS
        )
        assert documented == expected

    @pytest.mark.parametrize("model", _MODELS, ids=lambda model: model.__name__)
    def test_every_type_is_the_annotation(self, model: type) -> None:
        """The type column shows each attribute's annotation as the code spells it."""
        (section,) = [
            text
            for heading, text in _sections("format.md").items()
            if heading.endswith(f"`{model.__name__}`")
        ]
        documented = {row[1]: row[2] for row in _table(section)}
        # The annotations as written (attrs' field types may have been resolved).
        annotations = {
            name: annotation.replace("dt.datetime", "datetime.datetime")
            for name, annotation in vars(model)["__annotations__"].items()
            if name not in _NOT_KEYS
        }
        assert documented == annotations


def _codes(docstring: str) -> set[str]:
    """The codes a docstring lists after "Codes", in double backquotes."""
    listing = docstring[docstring.index("Codes") :]
    return set(re.findall(r"``([a-z-]+)``", listing))


class TestErrorReference:
    def test_every_code_has_a_section(self) -> None:
        """The error reference has one heading per code the errors list, no more."""
        headings = [
            heading.strip("`")
            for heading in _sections("errors.md")
            if re.fullmatch(r"`[a-z-]+`", heading)
        ]
        frame = _codes(newsrecord.FrontMatterError.__doc__ or "")
        fields = _codes(newsrecord.ValidationError.__doc__ or "")
        assert frame
        assert fields
        assert sorted(headings) == sorted(frame | fields)

    def test_every_code_section_shows_the_code_raised(self) -> None:
        """Each code's section has an executed example whose output shows that code."""
        without = [
            heading
            for heading, text in _sections("errors.md").items()
            if re.fullmatch(r"`[a-z-]+`", heading)
            and f"\n[{heading.strip('`')}] " not in text
        ]
        assert without == []


def _code_blocks(page: str, language: str) -> list[str]:
    """The text of each fenced code block of a page in ``language``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    pattern = rf"^```{language}\n(.*?)^```$"
    return re.findall(pattern, text, flags=re.DOTALL | re.MULTILINE)


def _json_block(page: str, key: str) -> dict[str, Any]:
    """The one JSON code block of a page that holds ``key`` at its top level."""
    (block,) = [
        block for block in _code_blocks(page, "json") if key in json.loads(block)
    ]
    document: dict[str, Any] = json.loads(block)
    return document


def _problem_pattern() -> dict[str, Any]:
    """The one pattern of the command line page's GitHub problem matcher."""
    (matcher,) = _json_block("cli.md", "problemMatcher")["problemMatcher"]
    (pattern,) = matcher["pattern"]
    assert isinstance(pattern, dict)
    return pattern


class TestCommandLinePage:
    def test_the_problem_matcher_reads_every_problem_line(self) -> None:
        """The CI section's problem matcher takes file, line, column and message."""
        pattern = _problem_pattern()
        text = (DOCS.parent / "examples" / "record.md").read_text(encoding="utf-8")
        broken = text.replace("heat: 12", "heat: hot").replace(
            "width: 1200", "width: -1"
        )
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(broken)
        path = "C:\\content\\news\\tidal.md"  # a colon of its own
        found = []
        for error in caught.value.errors:
            match = re.match(pattern["regexp"], error.format(path))
            assert match is not None, error
            fields = ("file", "line", "column", "message")
            found.append(tuple(match.group(pattern[field]) for field in fields))
        assert found == [
            (path, "11", "7", "heat: expected an integer, got 'hot' (text)"),
            (
                path,
                "36",
                "16",
                "related[0].images[0].width: a size cannot be negative (-1)",
            ),
        ]

    def test_the_problem_matcher_skips_lines_without_a_position(self) -> None:
        """A line that names no line and column (another kind) is no annotation."""
        pattern = _problem_pattern()
        line = "content/tide.md: not checked: a record of another kind (course)"
        assert re.match(pattern["regexp"], line) is None

    def test_the_vs_code_settings_map_the_saved_schema(self) -> None:
        """The VS Code settings block is JSON mapping the file `schema` is saved to."""
        settings = _json_block("cli.md", "yaml.schemas")
        assert list(settings["yaml.schemas"]) == ["./news-record.schema.json"]
        assert "newsrecord schema > news-record.schema.json" in (
            DOCS / "cli.md"
        ).read_text(encoding="utf-8")


def _console_harness() -> Any:
    """The root conftest.py, which runs the docs' console blocks, as a module."""
    spec = importlib.util.spec_from_file_location(
        "docs_console", DOCS.parent / "conftest.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestConsoleBlocks:
    def test_commands_and_their_output_are_read_apart(self) -> None:
        """A block is read as commands (continued by a backslash) and their lines."""
        harness = _console_harness()
        block = "$ echo a \\\n  b\na b\n$ true\n$ echo $?\n0\n"
        assert harness._sessions(block) == [
            ("echo a \\\n  b", ["a b"]),
            ("true", []),
            ("echo $?", ["0"]),
        ]
        with pytest.raises(ValueError, match="starts with a `\\$ ` command"):
            harness._sessions("output before any command\n")

    @pytest.mark.parametrize(
        ("block", "differs"),
        [
            (
                (
                    "$ newsrecord validate record.md\n1 record: 1 valid, 0 invalid; "
                    "by kind: 1 news (9.99 s)\n"
                ),
                False,
            ),
            (
                (
                    "$ newsrecord validate record.md\n1 record: 0 valid, 1 invalid; "
                    "by kind: 1 news (0.01 s)\n"
                ),
                True,
            ),
            (
                "$ newsrecord validate missing.md > /dev/null 2>&1\n$ echo $?\n2\n",
                False,
            ),
            ("$ newsrecord validate record.md 2> /dev/null\n$ echo $?\n1\n", True),
            ("$ ls content\ncourses\ndrafts\nnews\n", False),
        ],
        ids=["time-read-loosely", "other-counts", "status", "wrong-status", "folder"],
    )
    def test_a_block_passes_only_when_the_session_prints_it(
        self, block: str, *, differs: bool
    ) -> None:
        """Commands run in a copy of examples/; only a real difference fails."""
        harness = _console_harness()
        namespace: dict[str, Any] = {}
        example = types.SimpleNamespace(parsed=block, namespace=namespace)
        try:
            failure = harness._evaluate_console(example)
        finally:
            shutil.rmtree(namespace[harness._FOLDER])
        assert (failure is not None) == differs
        if failure is not None:
            assert failure.startswith("the session prints something else")
