"""The installed ``newsrecord`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

import newsrecord
from newsrecord import _progress
from newsrecord.__main__ import INSTALL_HINT
from newsrecord._cli import _Report, _Screen, check_files
from newsrecord._cli import run as cli_run
from newsrecord._file import replace_file
from newsrecord._progress import Progress
from newsrecord._schema import json_schema
from newsrecord._version import build

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "record.md"
RECORDS = ROOT / "tests" / "data" / "records"
VALID = sorted((RECORDS / "valid").glob("*.md"))
INVALID = sorted(
    path for path in (RECORDS / "invalid").glob("*.md") if path.name != "broken-yaml.md"
)
BROKEN = RECORDS / "invalid" / "broken-yaml.md"
COURSE = RECORDS / "other" / "course.md"
ODDITIES = RECORDS / "valid" / "oddities.md"

COMMAND = shutil.which("newsrecord", path=str(Path(sys.executable).parent))


#: Profiles of the project's own records of every kind, which hold tokens.
PROFILES = sorted(
    (Path(__file__).resolve().parent / "data" / "kinds" / "profile").glob("[pc]*.md")
)


def run(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script and wait for it."""
    assert COMMAND is not None, "the newsrecord console script is not installed"
    return subprocess.run(  # noqa: S603 (our own console script)
        [COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )


def problem_lines(path: Path, *, strict: bool = False, shown: str = "") -> list[str]:
    """The lines the library's own errors give for the record at ``path``."""
    name = shown or str(path)
    try:
        newsrecord.load_record(path, strict=strict)
    except newsrecord.FrontMatterError as exc:
        exc.path = name
        return [str(exc)]
    except newsrecord.ValidationError as exc:
        return [error.format(name) for error in exc.errors]
    return []


def summary(result: subprocess.CompletedProcess[str]) -> str:
    """The summary line without its timing, which varies."""
    line = result.stderr.strip().splitlines()[-1]
    assert line.endswith(" s)")
    return line.rsplit(" (", 1)[0]


#: The commands that list directories: their arguments, and where problems go.
_LISTING_COMMANDS = {
    "validate": (["validate", "-j", "1"], "out"),
    "fmt": (["fmt", "--check", "-j", "1"], "err"),
    "export": (["export", "-j", "1", "--output", "{output}"], "out"),
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of records: valid, invalid, another kind, nested; and a non-record."""
    for source, target in [
        (EXAMPLE, "example.md"),
        (VALID[0], "news/2020/first.md"),
        (INVALID[0], "news/2023/broken.md"),
        (COURSE, "courses/course.md"),
        (VALID[1], "drafts/draft.md"),
    ]:
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / target)
    (tmp_path / "news" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    return tmp_path


def make_folder(folder: Path, count: int, *, invalid: bool) -> Path:
    """``count`` generated records (all valid, or all invalid) in subfolders."""
    text = EXAMPLE.read_text(encoding="utf-8")
    if invalid:
        text = text.replace("width: 1200", "width: wide")
    for index in range(count):
        sub = folder / f"part-{index % 8}"
        sub.mkdir(parents=True, exist_ok=True)
        record = text.replace("opens its first", f"opens its {index}th")
        (sub / f"record-{index:05}.md").write_text(record, encoding="utf-8")
    return folder


class TestEntryPoints:
    def test_console_script_and_module_agree(self) -> None:
        """`newsrecord` and `python -m newsrecord` are the same program."""
        script = run("--version")
        module = subprocess.run(
            [sys.executable, "-m", "newsrecord", "--version"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert script.returncode == module.returncode == 0
        assert (
            script.stdout
            == module.stdout
            == f"newsrecord {newsrecord.__version__} ({build()})\n"
        )

    def test_without_click_a_one_line_hint(self) -> None:
        """Without click installed, the command says how to get it: no traceback."""
        code = (
            "import sys; sys.modules['click'] = None; "
            "from newsrecord.__main__ import main; sys.exit(main(['--help']))"
        )
        result = subprocess.run(  # noqa: S603 (our own module)
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2
        assert result.stderr == INSTALL_HINT + "\n"
        assert result.stdout == ""

    @pytest.mark.parametrize(
        "args",
        [[], ["frobnicate"], ["validate"], ["validate", "-j", "0", "."]],
        ids=["nothing", "unknown-command", "no-paths", "zero-jobs"],
    )
    def test_usage_errors_exit_2(self, args: list[str]) -> None:
        """A command line that makes no sense exits 2 with a usage message."""
        result = run(*args)
        assert result.returncode == 2
        assert "Usage: newsrecord" in result.stderr
        assert "Traceback" not in result.stderr


class TestValidate:
    def test_a_valid_record(self) -> None:
        """A valid record: exit 0, nothing on stdout, a summary on stderr."""
        result = run("validate", EXAMPLE)
        assert result.returncode == 0
        assert result.stdout == ""
        assert summary(result) == "1 record: 1 valid, 0 invalid; by kind: 1 news"

    @pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
    def test_an_invalid_record(self, path: Path) -> None:
        """An invalid record: exit 1, and exactly the library's problem lines."""
        result = run("validate", path)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(path)
        assert summary(result) == "1 record: 0 valid, 1 invalid; by kind: 1 news"

    def test_a_broken_front_matter(self) -> None:
        """Broken YAML is one problem line, where the YAML breaks."""
        result = run("validate", BROKEN)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(BROKEN)
        assert result.stdout.startswith(f"{BROKEN}:3:8: ")

    def test_invalid_utf8(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 is an invalid record, placed at the bad byte."""
        path = tmp_path / "latin-1.md"
        path.write_bytes(EXAMPLE.read_bytes().replace(b"Harbour", b"H\xe4rbour"))
        result = run("validate", path)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(path)
        assert result.stdout.startswith(f"{path}:3:10: not UTF-8: byte 0xe4")
        assert "Traceback" not in result.stderr

    def test_every_kind_is_checked(self) -> None:
        """A course is checked as a course, and counted by its kind."""
        result = run("validate", COURSE)
        assert (result.returncode, result.stdout) == (0, "")
        assert summary(result) == "1 record: 1 valid, 0 invalid; by kind: 1 course"

    def test_kind_checks_only_that_kind(self) -> None:
        """With --kind news, a course is listed and counted, not checked."""
        result = run("validate", "--kind", "news", COURSE, EXAMPLE)
        assert result.returncode == 0
        assert (
            result.stdout
            == f"{COURSE}: not checked: a record of another kind (course)\n"
        )
        assert summary(result) == (
            "2 records: 1 valid, 0 invalid, 1 of other kinds (not checked); "
            "by kind: 1 news"
        )

    @pytest.mark.parametrize("kind", ["form", "forum", "sponsorship"])
    def test_kind_takes_a_record_for_the_kind_it_is(
        self, tmp_path: Path, kind: str
    ) -> None:
        """An untyped challenge (keys a form could have) is a challenge to --kind."""
        path = tmp_path / "two-sum.md"
        path.write_text(
            "---\ntitle: Two sum\nexcerpt: Find two numbers.\n"
            "levels:\n  - Beginner\nrelated:\n  - three-sum\n---\n"
        )
        assert summary(run("validate", path)).endswith("by kind: 1 challenge")
        result = run("validate", "--kind", kind, path)
        assert (result.returncode, result.stdout) == (
            0,
            f"{path}: not checked: a record of another kind (challenge)\n",
        )

    def test_no_kind_is_an_invalid_record(self, tmp_path: Path) -> None:
        """A front matter of no kind is an invalid record, naming the closest kinds."""
        path = tmp_path / "page.md"
        path.write_text("---\ntitle: About\nlayout: page\npermalink: /about/\n---\n")
        result = run("validate", path)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(path)
        assert "no kind of record has the keys `title`, `layout`" in result.stdout
        assert "the closest kinds: " in result.stdout
        assert summary(result) == "1 record: 0 valid, 1 invalid"

    def test_strict_reports_unknown_keys(self) -> None:
        """--strict turns a kept unknown key into a problem."""
        lax, strict = run("validate", ODDITIES), run("validate", "--strict", ODDITIES)
        assert (lax.returncode, lax.stdout) == (0, "")
        assert strict.returncode == 1
        assert strict.stdout.splitlines() == problem_lines(ODDITIES, strict=True)
        assert ": editorNote: " in strict.stdout

    def test_directories_are_searched_for_md_files(self, tree: Path) -> None:
        """A directory is searched recursively for *.md, in sorted order."""
        result = run("validate", tree)
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            *problem_lines(
                tree / "news" / "2023" / "broken.md",
                shown=f"{tree}/news/2023/broken.md",
            ),
        ]
        assert summary(result) == (
            "5 records: 4 valid, 1 invalid; by kind: 1 course, 4 news"
        )

    def test_files_come_in_sorted_order(self, tree: Path) -> None:
        """A directory's files come first, then its subdirectories, each sorted."""
        extra = [f"news/2020/{letter}.md" for letter in "zyxwvutsrq"]
        for name in extra:  # created in reverse order
            (tree / name).write_bytes(EXAMPLE.read_bytes())
        result = run("validate", "--format", "json", tree)
        paths = [record["path"] for record in json.loads(result.stdout)["records"]]
        assert paths == [
            f"{tree}/{name}"
            for name in [
                "example.md",
                "courses/course.md",
                "drafts/draft.md",
                "news/2020/first.md",
                *sorted(extra),
                "news/2023/broken.md",
            ]
        ]

    @pytest.mark.parametrize(
        ("globs", "count"),
        [
            (["drafts"], 4),
            (["*/news/*"], 3),
            (["course.md", "broken.md"], 3),
            (["news", "drafts"], 2),
        ],
    )
    def test_exclude(self, tree: Path, globs: list[str], count: int) -> None:
        """--exclude leaves out files and directories by name or by path."""
        options = [part for glob in globs for part in ("--exclude", glob)]
        result = run("validate", "--format", "json", *options, tree)
        records = json.loads(result.stdout)["records"]
        assert len(records) == count
        for record in records:
            for glob in globs:
                assert f"/{glob.strip('*/')}" not in record["path"]

    def test_a_missing_path_is_a_usage_error(self, tmp_path: Path) -> None:
        """A path that does not exist exits 2 before anything is checked."""
        result = run("validate", EXAMPLE, tmp_path / "missing.md")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "does not exist" in result.stderr

    def test_an_unreadable_file_exits_2(self, tree: Path) -> None:
        """A file that cannot be read (a dangling link) is reported; the exit is 2."""
        link = tree / "news" / "gone.md"
        link.symlink_to(tree / "nowhere.md")
        result = run("validate", tree)
        assert result.returncode == 2
        assert f"{link}: cannot read the file: No such file or directory" in (
            result.stdout.splitlines()
        )
        assert ", 1 unreadable; by kind: " in summary(result)

    @pytest.mark.skipif(
        os.geteuid() == 0, reason="root reads files whatever their permissions"
    )
    def test_a_file_without_read_permission_exits_2(self, tree: Path) -> None:
        """A file without read permission is reported as unreadable; the exit is 2."""
        locked = tree / "news" / "locked.md"
        shutil.copy(EXAMPLE, locked)
        locked.chmod(0)
        result = run("validate", tree)
        assert result.returncode == 2
        assert f"{locked}: cannot read the file: Permission denied" in result.stdout

    @pytest.mark.skipif(
        os.geteuid() == 0, reason="root reads directories whatever their permissions"
    )
    def test_a_directory_without_read_permission_exits_2(self, tree: Path) -> None:
        """A directory that cannot be listed is reported as unreadable; exit 2."""
        locked = tree / "news" / "2023"
        locked.chmod(0)
        try:
            result = run("validate", tree)
        finally:
            locked.chmod(0o755)
        assert result.returncode == 2
        line = f"{locked}: cannot read the directory: Permission denied"
        assert line in result.stdout.splitlines()

    @pytest.mark.parametrize(
        ("command", "code"),
        [
            (command, code)
            for command in sorted(_LISTING_COMMANDS)
            for code in (errno.EACCES, errno.EIO, errno.ENAMETOOLONG)
        ],
    )
    def test_every_command_says_why_a_directory_is_unreadable(
        self,
        tree: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        command: str,
        code: int,
    ) -> None:
        """Every command reports a directory it cannot list in one line, with why."""
        argv, stream = _LISTING_COMMANDS[command]
        error = PermissionError if code == errno.EACCES else OSError
        locked = tree / "news" / "2023"
        listed = os.scandir

        def scandir(path: str) -> Any:
            if os.fspath(path) == str(locked):
                raise error(code, os.strerror(code), os.fspath(path))
            return listed(path)

        monkeypatch.setattr(os, "scandir", scandir)
        output = str(tree / "out.jsonl")
        argv = [part.format(output=output) for part in argv]
        assert cli_run([*argv, str(tree)]) == 2
        captured = capsys.readouterr()
        lines = (captured.out if stream == "out" else captured.err).splitlines()
        assert f"{locked}: cannot read the directory: {os.strerror(code)}" in lines

    def test_json_output(self, tree: Path) -> None:
        """--format json gives one document: a record per file and a summary."""
        result = run("validate", "--format", "json", tree)
        assert result.returncode == 1
        assert result.stderr == ""
        document = json.loads(result.stdout)
        statuses = {Path(r["path"]).name: r["status"] for r in document["records"]}
        assert statuses == {
            "example.md": "valid",
            "first.md": "valid",
            "draft.md": "valid",
            "broken.md": "invalid",
            "course.md": "valid",
        }
        broken = next(r for r in document["records"] if r["status"] == "invalid")
        assert broken["kind"] == "news"
        lines = problem_lines(tree / "news" / "2023" / "broken.md")
        assert len(broken["problems"]) == len(lines) > 0
        for problem, line in zip(broken["problems"], lines, strict=True):
            assert set(problem) == {"line", "column", "key_path", "code", "message"}
            assert line.endswith(f"{problem['message']}")
            assert f":{problem['line']}:{problem['column']}: " in line
        course = next(r for r in document["records"] if r["kind"] == "course")
        assert (course["status"], course["problems"]) == ("valid", [])
        counts = document["summary"]
        assert isinstance(counts.pop("seconds"), float)
        assert counts == {
            "records": 5,
            "valid": 4,
            "invalid": 1,
            "other_kinds": 0,
            "unreadable": 0,
            "kinds": {"course": 1, "news": 4},
        }

    @pytest.mark.parametrize("jobs", ["2", "3"])
    def test_workers_give_the_same_report(self, tmp_path: Path, jobs: str) -> None:
        """-j 2 and -j 3 (with workers) print exactly what -j 1 prints, in order."""
        folder = make_folder(tmp_path, 200, invalid=True)
        shutil.copy(COURSE, folder / "part-3" / "course.md")
        one, two = (
            run("validate", "-j", "1", folder),
            run("validate", "-j", jobs, folder),
        )
        assert one.returncode == two.returncode == 1
        assert len(one.stdout.splitlines()) == 200
        assert one.stdout == two.stdout
        assert summary(one) == summary(two)

    @pytest.mark.parametrize("command", ["validate", "fmt"])
    @pytest.mark.parametrize(
        ("files", "options"),
        [
            ([], []),
            (["notes.txt", "drafts/readme.markdown"], []),
            (["drafts/a.md", "drafts/b.md"], ["--exclude", "drafts"]),
            (["a.md"], ["--exclude", "*.md"]),
        ],
        ids=["empty", "no-md-files", "all-excluded-folder", "all-excluded-files"],
    )
    def test_no_record_file_exits_2(
        self, tmp_path: Path, command: str, files: list[str], options: list[str]
    ) -> None:
        """Paths that hold no record file (a mistyped folder) exit 2, saying so."""
        for name in files:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(EXAMPLE, tmp_path / name)
        result = run(command, *options, tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        left = " that --exclude leaves" if options else ""
        assert result.stderr == (
            f"newsrecord {command}: no record file (*.md) in {tmp_path}{left}\n"
        )

    def test_quiet_prints_only_the_problems(self, tree: Path) -> None:
        """--quiet: the problem lines, no note of other kinds, no summary."""
        result = run("validate", "--quiet", tree)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(
            tree / "news" / "2023" / "broken.md",
            shown=f"{tree}/news/2023/broken.md",
        )
        assert result.stderr == ""
        assert run("validate", "-q", EXAMPLE).stderr == ""

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_a_named_pipe_is_unreadable_not_waited_for(self, tree: Path) -> None:
        """A named pipe among the records is reported as such; nothing waits."""
        pipe = tree / "news" / "pipe.md"
        os.mkfifo(pipe)
        result = run("validate", tree)
        assert result.returncode == 2
        line = f"{pipe}: cannot read the file: not a regular file: a named pipe"
        assert line in result.stdout.splitlines()
        assert ", 1 unreadable; by kind: " in summary(result)

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
    def test_a_device_is_unreadable(self, device: str) -> None:
        """A device named on the command line is refused, not read without end."""
        result = run("validate", device)
        assert result.returncode == 2
        assert result.stdout == (
            f"{device}: cannot read the file: not a regular file: a device\n"
        )

    @pytest.mark.parametrize(
        ("name", "escaped"),
        [
            ("a\nb.md", "a\\nb.md"),
            ("a\rb.md", "a\\rb.md"),
            ("x.md\nforged.md:1:1: title: ok.md", "x.md\\nforged.md:1:1: title: ok.md"),
            ("\x1b[2Jred.md", "\\x1b[2Jred.md"),
            ("tab\there.md", "tab\\there.md"),
            ("line\u2028sep.md", "line\\u2028sep.md"),
            ("next\x85line.md", "next\\x85line.md"),
        ],
        ids=["newline", "cr", "forged-line", "escape", "tab", "u2028", "nel"],
    )
    def test_control_characters_in_names_are_escaped(
        self, tmp_path: Path, name: str, escaped: str
    ) -> None:
        """A file name cannot forge a line: its control characters print escaped."""
        path = tmp_path / name
        shutil.copy(INVALID[0], path)
        expected = problem_lines(path, shown=f"{tmp_path}/{escaped}")
        result = run("validate", tmp_path)
        assert result.returncode == 1
        assert result.stdout.splitlines() == expected
        fmt_result = run("fmt", "--check", tmp_path)
        assert fmt_result.stderr.splitlines()[:-1] == expected
        other = tmp_path / f"course-{name}"
        shutil.copy(COURSE, other)
        listed = run("validate", "--kind", "news", other)
        assert listed.stdout == (
            f"{tmp_path}/course-{escaped}: not checked: a record of another kind "
            "(course)\n"
        )

    def test_json_keeps_names_whole(self, tmp_path: Path) -> None:
        """JSON output escapes as JSON does: the path reads back as it is."""
        path = tmp_path / "a\nb.md"
        shutil.copy(EXAMPLE, path)
        result = run("validate", "--format", "json", tmp_path)
        (record,) = json.loads(result.stdout)["records"]
        assert record["path"] == str(path)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More records than it takes for a progress bar."""
    return make_folder(tmp_path_factory.mktemp("many"), 600, invalid=False)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough invalid records for a run to be stopped midway; output flows early."""
    return make_folder(tmp_path_factory.mktemp("large"), 3000, invalid=True)


@pytest.fixture(scope="module")
def many_invalid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As many invalid records, a problem each."""
    return make_folder(tmp_path_factory.mktemp("many-invalid"), 600, invalid=True)


class TestProgress:
    def run_on_a_terminal(
        self,
        folder: Path,
        env: dict[str, str],
        *,
        command: tuple[str, ...] = ("validate", "-j", "1"),
        status: int = 0,
        stdout_too: bool = False,
    ) -> str:
        """Run a command with standard error on a pseudo-terminal; what it drew.

        With ``stdout_too``, standard output goes to the same terminal.
        """
        assert COMMAND is not None
        controller, terminal = pty.openpty()
        with subprocess.Popen(  # noqa: S603 (our own console script)
            [COMMAND, *command, str(folder)],
            stdout=terminal if stdout_too else subprocess.DEVNULL,
            stderr=terminal,
            env=env,
        ) as process:
            os.close(terminal)
            drawn = b"".join(_read_all(controller))
            assert process.wait(timeout=120) == status
        os.close(controller)
        return drawn.decode()

    @staticmethod
    def terminal_env() -> dict[str, str]:
        """The environment of a terminal session, outside CI."""
        return {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"}

    def test_a_pipe_gets_no_bar(self, many: Path) -> None:
        """With standard error in a pipe, only the summary line is written there."""
        result = run("validate", many)
        assert result.returncode == 0
        assert result.stderr.splitlines() == [result.stderr.strip()]
        assert summary(result) == "600 records: 600 valid, 0 invalid; by kind: 600 news"

    def test_a_terminal_gets_a_bar(self, many: Path) -> None:
        """On a terminal, many files draw a progress line that reaches the end."""
        drawn = self.run_on_a_terminal(many, self.terminal_env())
        assert "100%" in drawn
        assert "600 records" in drawn

    @pytest.mark.parametrize(
        "command",
        [
            ("validate", "-j", "1"),
            ("validate", "-j", "2"),
            ("fmt", "--check"),
            ("export", "-j", "2", "-o", "records.jsonl"),
        ],
        ids=["validate", "validate-j2", "fmt-check", "export-j2"],
    )
    def test_the_bar_shows_count_rate_and_time_left(
        self,
        many: Path,
        command: tuple[str, ...],
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The progress line counts the files, and shows the rate and time left."""
        monkeypatch.chdir(tmp_path)  # where export writes its output
        drawn = self.run_on_a_terminal(many, self.terminal_env(), command=command)
        assert re.search(r"600/600 records \[#+\] 100%  [\d,]+/s  0:00 left", drawn)
        assert re.search(r"(?<![\d,])\d{1,3}/600 records \[", drawn)

    def test_problems_show_above_the_bar_as_found(self, many_invalid: Path) -> None:
        """Problem lines print whole as they are found, the bar drawn below them."""
        drawn = self.run_on_a_terminal(
            many_invalid, self.terminal_env(), status=1, stdout_too=True
        )
        segments = [
            segment
            for line in drawn.split("\r\n")
            for segment in line.split("\r\x1b[K")
        ]
        problems = [
            segment for segment in segments if segment.startswith(str(many_invalid))
        ]
        assert len(problems) == 600
        assert all(": expected an integer, got " in problem for problem in problems)
        # Bars drawn between the first problem and the last: none was held back.
        first, last = drawn.index(problems[0]), drawn.rindex(problems[-1])
        bars = [bar.start() for bar in re.finditer(r"\d+/600 records \[", drawn)]
        assert any(first < bar < last for bar in bars)
        assert last < drawn.index("600/600 records [")

    def test_a_file_is_counted_after_its_problems(
        self,
        many_invalid: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The count that ends the run is drawn after the last file's problem lines."""
        monkeypatch.setattr(_progress, "_EVERY", 0.0)  # draw at every count
        screen = _Screen(Progress(1, "records", sys.stdout), shared=True)
        report = _Report(as_json=False, screen=screen)
        path = str(next(many_invalid.glob("*/*.md")))
        (result,) = check_files([path], strict=False, kind=None)
        report.add(path, result)
        drawn = capsys.readouterr().out
        assert drawn.index(": expected an integer, got ") < drawn.index("1/1 records [")

    def test_quiet_draws_no_bar(self, many: Path) -> None:
        """--quiet draws nothing on a terminal when all is well."""
        command = ("validate", "--quiet")
        assert self.run_on_a_terminal(many, self.terminal_env(), command=command) == ""

    def test_ci_gets_no_bar_even_on_a_terminal(self, many: Path) -> None:
        """With CI set, even a terminal gets no bar: CI logs stay readable."""
        drawn = self.run_on_a_terminal(many, {**os.environ, "CI": "true"})
        assert "%" not in drawn
        assert drawn.strip().startswith("600 records")


def _read_all(descriptor: int) -> Iterator[bytes]:
    while True:
        try:
            data = os.read(descriptor, 4096)
        except OSError:  # the terminal closed: Linux says EIO
            return
        if not data:
            return
        yield data


@contextlib.contextmanager
def _children_take_ctrl_c() -> Iterator[None]:
    """Start children that ^C stops, as a terminal's are.

    A shell starts background jobs with ^C ignored, and children inherit that; but
    a signal this process handles is reset to its default in a child.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class TestStopping:
    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_ctrl_c_exits_130_without_a_traceback(self, large: Path, jobs: str) -> None:
        """^C in the middle of a run exits 130 with a one-line note, no traceback."""
        assert COMMAND is not None
        with (
            _children_take_ctrl_c(),
            subprocess.Popen(  # noqa: S603 (our own console script)
                [COMMAND, "validate", "-j", jobs, str(large)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            ) as process,
        ):
            assert process.stdout is not None
            first = process.stdout.readline()
            assert first.startswith(str(large))
            # As a terminal does: to the whole process group, workers included.
            os.killpg(process.pid, signal.SIGINT)
            stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 130
        assert "Traceback" not in stderr
        assert stderr.strip().splitlines()[-1] == "newsrecord: interrupted"
        assert len(stdout.splitlines()) < 2999  # it stopped early

    def test_a_closed_pipe_ends_quietly(self, large: Path) -> None:
        """A reader that stops early (`| head -1`) ends the run with no traceback."""
        assert COMMAND is not None
        with subprocess.Popen(  # noqa: S603 (our own console script)
            [COMMAND, "validate", "-j", "1", str(large)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline().startswith(str(large))
            process.stdout.close()
            assert process.wait(timeout=60) == 1
            assert process.stderr is not None
            assert "Traceback" not in process.stderr.read()


class TestShow:
    def test_text_summary(self) -> None:
        """--format text gives the title first and the key facts, token hidden."""
        result = run("show", "--format", "text", EXAMPLE)
        article = newsrecord.load(EXAMPLE)
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert lines[0] == article.title
        assert article.provider.name in result.stdout
        assert article.url in result.stdout
        assert str(article.secured) not in result.stdout
        assert "bytes of ciphertext" in result.stdout

    def test_text_summary_can_reveal_the_token(self) -> None:
        """--reveal-secured shows the token itself, on request only."""
        result = run("show", "--format", "text", "--reveal-secured", EXAMPLE)
        assert result.returncode == 0
        assert str(newsrecord.load(EXAMPLE).secured) in result.stdout

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    def test_a_file_that_cannot_be_read_is_status_2(self, tmp_path: Path) -> None:
        """A named pipe is a path that cannot be used: one line, status 2."""
        pipe = tmp_path / "pipe.md"
        os.mkfifo(pipe)
        result = run("show", pipe)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"Error: Could not open file '{pipe}': not a regular file: a named pipe\n"
        )

    @pytest.mark.parametrize("path", PROFILES, ids=lambda path: path.name)
    def test_every_kind_is_shown(self, path: Path) -> None:
        """A profile is shown as JSON and as text, its tokens hidden in both."""
        record = newsrecord.load_record(path)
        token = str(record.secured)  # type: ignore[attr-defined]
        as_json = run("show", path)
        assert as_json.returncode == 0
        document = json.loads(as_json.stdout)
        assert document["front_matter"]["name"] == record.name  # type: ignore[attr-defined]
        assert document["front_matter"]["secured"].startswith("<hidden: ")
        as_text = run("show", "--format", "text", path)
        assert as_text.returncode == 0
        lines = as_text.stdout.splitlines()
        assert lines[0] == record.name  # type: ignore[attr-defined]
        assert "  kind " in as_text.stdout
        assert "profile" in as_text.stdout
        assert token not in as_json.stdout + as_text.stdout

    @pytest.mark.parametrize("path", [INVALID[0], BROKEN], ids=lambda path: path.name)
    def test_an_invalid_record_is_reported(self, path: Path) -> None:
        """A record that does not load: validate's problem lines on stderr, exit 1."""
        result = run("show", "--format", "text", path)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == problem_lines(path)

    def test_a_name_with_a_newline_is_escaped(self, tmp_path: Path) -> None:
        """show's problem lines escape control characters in the file name too."""
        path = tmp_path / "a\nb.md"
        shutil.copy(INVALID[0], path)
        result = run("show", path)
        assert result.returncode == 1
        assert result.stderr.splitlines() == problem_lines(
            path, shown=f"{tmp_path}/a\\nb.md"
        )

    def test_a_directory_is_a_usage_error(self) -> None:
        """show takes one file; a directory exits 2."""
        result = run("show", RECORDS)
        assert result.returncode == 2
        assert "is a directory" in result.stderr

    def test_json(self) -> None:
        """The default JSON has the file's own keys, the body, and no token value."""
        result = run("show", EXAMPLE)
        assert result.returncode == 0
        document = json.loads(result.stdout)
        assert set(document) == {"front_matter", "body"}
        article = newsrecord.load(EXAMPLE)
        assert document["body"] == article.body
        front_matter = document["front_matter"]
        assert front_matter["publishedDateTime"]
        assert front_matter["provider"]["name"] == article.provider.name
        assert str(article.secured) not in result.stdout

    def test_json_can_reveal_the_token(self) -> None:
        """With --reveal-secured, the JSON holds the token as written."""
        result = run("show", "--reveal-secured", EXAMPLE)
        article = newsrecord.load(EXAMPLE)
        assert json.loads(result.stdout)["front_matter"]["secured"] == str(
            article.secured
        )


class TestFmt:
    @pytest.fixture
    def restyled(self, tmp_path: Path) -> Path:
        """The example record with a comment and a blank line more: not the style."""
        text = EXAMPLE.read_text(encoding="utf-8")
        text = text.replace("---\n", "---\n# checked\n", 1)
        text = text.replace("\ntopics:", "\n\ntopics:")
        path = tmp_path / "record.md"
        path.write_text(text, encoding="utf-8")
        assert newsrecord.load(path) == newsrecord.load(EXAMPLE)
        return path

    def test_the_example_is_in_the_reference_style(self) -> None:
        """The shipped example needs no formatting."""
        result = run("fmt", "--check", EXAMPLE)
        assert (result.returncode, result.stdout) == (0, "")

    def test_check_lists_what_would_change(self, restyled: Path) -> None:
        """--check lists a file not in the reference style, exits 1, writes nothing."""
        before = restyled.read_bytes()
        result = run("fmt", "--check", restyled)
        assert result.returncode == 1
        assert result.stdout == f"would reformat {restyled}\n"
        assert restyled.read_bytes() == before

    def test_diff_shows_the_change(self, restyled: Path) -> None:
        """--diff prints a unified diff and writes nothing."""
        before = restyled.read_bytes()
        result = run("fmt", "--diff", restyled)
        assert result.returncode == 1
        assert result.stdout.startswith(f"--- {restyled} (as it is)\n")
        assert restyled.read_bytes() == before

    def test_rewrite_gives_the_reference_style(self, restyled: Path) -> None:
        """fmt rewrites the file in the reference style, after which --check passes."""
        result = run("fmt", restyled)
        assert result.returncode == 0
        assert restyled.read_bytes() == EXAMPLE.read_bytes()
        assert run("fmt", "--check", restyled).returncode == 0

    def test_other_kinds_and_invalid_records(self, tmp_path: Path) -> None:
        """A course is formatted as a course; an invalid record exits 2."""
        shutil.copy(COURSE, tmp_path / "course.md")
        assert run("fmt", "--check", tmp_path).returncode == 0
        invalid = tmp_path / "invalid.md"
        shutil.copy(INVALID[0], invalid)
        result = run("fmt", tmp_path)
        assert result.returncode == 2
        assert result.stderr.splitlines()[:-1] == problem_lines(invalid)
        assert (tmp_path / "course.md").read_bytes() == COURSE.read_bytes()
        assert invalid.read_bytes() == INVALID[0].read_bytes()

    @pytest.mark.parametrize("jobs", ["2", "3"])
    def test_workers_give_the_same_report(self, tmp_path: Path, jobs: str) -> None:
        """fmt -j 2 and -j 3 print what -j 1 prints, in order, and write the same."""
        folders = []
        for copy in ("one", "more"):
            folder = make_folder(tmp_path / copy, 200, invalid=False)
            for index, path in enumerate(sorted(folder.glob("*/*.md"))):
                if index % 3 == 0:  # not in the reference style
                    text = path.read_text(encoding="utf-8")
                    path.write_text(text.replace("---\n", "---\n# x\n", 1), "utf-8")
                elif index % 7 == 0:
                    shutil.copy(INVALID[index % len(INVALID)], path)
            shutil.copy(COURSE, folder / "part-3" / "course.md")
            folders.append(folder)
        one = run("fmt", "-j", "1", folders[0])
        more = run("fmt", "-j", jobs, folders[1])
        assert one.returncode == more.returncode == 2
        assert one.stderr.count("reformatted ") > 50
        assert one.stdout == more.stdout == ""
        assert one.stderr.replace(str(folders[0]), "") == more.stderr.replace(
            str(folders[1]), ""
        )
        for path in sorted(folders[0].glob("*/*.md")):
            other = folders[1] / path.relative_to(folders[0])
            assert path.read_bytes() == other.read_bytes()

    def test_quiet_prints_only_what_would_change(
        self, restyled: Path, tmp_path: Path
    ) -> None:
        """--quiet: --check lists the files, nothing else; a rewrite says nothing."""
        shutil.copy(COURSE, tmp_path / "course.md")
        result = run("fmt", "--check", "--quiet", tmp_path)
        assert (result.returncode, result.stderr) == (1, "")
        assert result.stdout == f"would reformat {restyled}\n"
        result = run("fmt", "-q", tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
        assert restyled.read_bytes() == EXAMPLE.read_bytes()

    @pytest.mark.parametrize(
        ("errno_", "reason"),
        [
            (errno.EROFS, "Read-only file system"),
            (errno.ENOSPC, "No space left on device"),
            (errno.EACCES, "Permission denied"),
        ],
    )
    def test_a_file_that_cannot_be_written(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        errno_: int,
        reason: str,
    ) -> None:
        """A failed write is reported for its file; the others are written; exit 2."""
        text = EXAMPLE.read_text(encoding="utf-8").replace("---\n", "---\n# x\n", 1)
        for name in ("a.md", "b.md", "c.md"):
            (tmp_path / name).write_text(text, encoding="utf-8")

        def failing(path: str, data: bytes) -> None:
            if path.endswith("b.md"):
                raise OSError(errno_, os.strerror(errno_), path)
            replace_file(path, data)

        monkeypatch.setattr("newsrecord._api.replace_file", failing)
        assert cli_run(["fmt", "-j", "1", str(tmp_path)]) == 2
        captured = capsys.readouterr()
        assert captured.err.splitlines() == [
            f"reformatted {tmp_path}/a.md",
            f"{tmp_path}/b.md: cannot write the file: {reason}",
            f"reformatted {tmp_path}/c.md",
            ("3 records: 2 reformatted, 0 unchanged, 1 could not be written"),
        ]
        assert (tmp_path / "a.md").read_bytes() == EXAMPLE.read_bytes()
        assert (tmp_path / "b.md").read_text(encoding="utf-8") == text
        assert (tmp_path / "c.md").read_bytes() == EXAMPLE.read_bytes()

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
    @pytest.mark.parametrize("option", ["--check", "--diff"])
    def test_special_files_are_refused(self, tmp_path: Path, option: str) -> None:
        """A named pipe or /dev/zero is reported as no regular file; nothing waits."""
        pipe = tmp_path / "pipe.md"
        os.mkfifo(pipe)
        result = run("fmt", option, pipe, "/dev/zero")
        assert result.returncode == 2
        assert result.stderr.splitlines()[:2] == [
            f"{pipe}: cannot read the file: not a regular file: a named pipe",
            "/dev/zero: cannot read the file: not a regular file: a device",
        ]

    @pytest.mark.parametrize(
        ("bom", "crlf", "said"),
        [
            (False, True, "only the line endings change (CRLF to LF)"),
            (True, False, "only the byte-order mark changes (removed)"),
            (
                True,
                True,
                (
                    "only the byte-order mark (removed) and the line endings "
                    "(CRLF to LF) change"
                ),
            ),
        ],
        ids=["crlf", "bom", "both"],
    )
    def test_diff_tells_what_it_cannot_show(
        self, tmp_path: Path, *, bom: bool, crlf: bool, said: str
    ) -> None:
        """A change of line endings or byte-order mark alone is said, not diffed."""
        text = EXAMPLE.read_text(encoding="utf-8")
        if crlf:
            text = text.replace("\n", "\r\n")
        path = tmp_path / "record.md"
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
        result = run("fmt", "--diff", path)
        assert result.returncode == 1
        assert result.stdout == f"{path}: {said}\n"

    def test_diff_with_crlf_shows_only_the_real_change(self, tmp_path: Path) -> None:
        """With CRLF, the diff shows the lines that change, and says the endings do."""
        text = EXAMPLE.read_text(encoding="utf-8").replace("---\n", "---\n# x\n", 1)
        path = tmp_path / "record.md"
        path.write_bytes(text.replace("\n", "\r\n").encode())
        result = run("fmt", "--diff", path)
        assert result.returncode == 1
        changed = [
            line
            for line in result.stdout.splitlines()
            if line[:1] in "+-" and not line.startswith(("---", "+++"))
        ]
        assert changed == ["-# x"]
        assert "\r" not in result.stdout
        assert result.stdout.endswith(
            f"{path}: also, the line endings change (CRLF to LF)\n"
        )


class TestSchema:
    @pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
    def test_prints_the_schema(self, *, strict: bool) -> None:
        """`schema` prints the draft 2020-12 schema as JSON, strict on request."""
        result = run("schema", *(["--strict"] if strict else []))
        assert result.returncode == 0
        schema: dict[str, Any] = json.loads(result.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema == json_schema(strict=strict)
        assert schema["additionalProperties"] is not strict

    @pytest.mark.parametrize("kind", ["any", *newsrecord.KINDS])
    def test_prints_the_schema_of_a_kind(self, kind: str) -> None:
        """`schema --kind` prints a kind's schema; `any`, one taking every kind."""
        result = run("schema", "--kind", kind)
        assert result.returncode == 0
        schema: dict[str, Any] = json.loads(result.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema == json_schema(kind=None if kind == "any" else kind)
        if kind == "any":
            assert len(schema["anyOf"]) == len(newsrecord.KINDS)
