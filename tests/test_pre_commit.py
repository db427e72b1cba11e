"""The pre-commit hooks: real commands and options of the command line."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from newsrecord._cli import cli, run

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
if not HOOKS_FILE.is_file():  # pragma: no cover (a copy of the tests without it)
    pytest.skip(
        "the repository's .pre-commit-hooks.yaml is not beside the tests",
        allow_module_level=True,
    )
HOOKS: list[dict[str, Any]] = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
PROJECT: dict[str, Any] = tomllib.loads(
    (ROOT / "pyproject.toml").read_text(encoding="utf-8")
)["project"]
IDS = [hook["id"] for hook in HOOKS]


def _command(hook: dict[str, Any]) -> tuple[click.Command, list[str]]:
    """The click command a hook runs, and the options its entry gives it."""
    program, name, *options = shlex.split(hook["entry"]) + hook.get("args", [])
    assert program in PROJECT["scripts"]
    assert isinstance(cli, click.Group)
    command = cli.commands[name]
    return command, options


class TestHooksFile:
    def test_the_two_hooks(self) -> None:
        """The file defines the validate and the fmt hooks, named after them."""
        assert IDS == ["newsrecord-validate", "newsrecord-fmt"]
        for hook in HOOKS:
            assert hook["entry"] == "newsrecord " + hook["id"].removeprefix(
                "newsrecord-"
            )

    @pytest.mark.parametrize("hook", HOOKS, ids=IDS)
    def test_entry_is_a_command_with_its_options(self, hook: dict[str, Any]) -> None:
        """Each entry names the installed script, one of its commands, its options."""
        command, options = _command(hook)
        known = {opt for param in command.params for opt in param.opts}
        assert {option for option in options if option.startswith("-")} <= known
        assert any(
            isinstance(param, click.Argument) and param.nargs == -1
            for param in command.params
        ), "the command takes the file names pre-commit passes"

    @pytest.mark.parametrize("hook", HOOKS, ids=IDS)
    def test_installs_the_command_line_extra(self, hook: dict[str, Any]) -> None:
        """A python hook installs the package with the extra that brings click."""
        assert hook["language"] == "python"
        (dependency,) = hook["additional_dependencies"]
        extra = re.fullmatch(r"\.\[(\w+)\]", dependency)
        assert extra is not None
        extras = PROJECT["optional-dependencies"][extra[1]]
        assert any(requirement.startswith("click") for requirement in extras)

    @pytest.mark.parametrize("hook", HOOKS, ids=IDS)
    def test_takes_markdown_files(self, hook: dict[str, Any]) -> None:
        """The files pattern takes records, and nothing but Markdown."""
        pattern = re.compile(hook["files"])
        assert pattern.search("_posts/2024-03-18-tidal.md")
        assert not pattern.search("src/newsrecord/_api.py")
        assert not pattern.search("notes.md.txt")

    @pytest.mark.parametrize("hook", HOOKS, ids=IDS)
    def test_runs_on_a_record_as_pre_commit_would(
        self, hook: dict[str, Any], tmp_path: Path
    ) -> None:
        """The entry, given a valid record in the reference style, succeeds."""
        record = tmp_path / "record.md"
        record.write_bytes((ROOT / "examples" / "record.md").read_bytes())
        arguments = shlex.split(hook["entry"])[1:] + hook.get("args", [])
        assert run([*arguments, str(record)]) == 0


class TestDocumentedConfiguration:
    def test_uses_the_hooks_of_this_file(self) -> None:
        """The docs' .pre-commit-config.yaml uses these hooks with real options."""
        page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
        (block,) = [
            block
            for block in re.findall(
                r"^```yaml\n(.*?)^```$", page, re.DOTALL | re.MULTILINE
            )
            if "repos:" in block
        ]
        (repository,) = yaml.safe_load(block)["repos"]
        assert repository["repo"] == PROJECT["urls"]["Source"]
        by_id = {hook["id"]: hook for hook in HOOKS}
        for used in repository["hooks"]:
            command, options = _command({**by_id[used["id"]], **used})
            known = {opt for param in command.params for opt in param.opts}
            assert {option for option in options if option.startswith("-")} <= known
            assert re.compile(used["files"]).search("_posts/2024-03-18-tidal.md")
