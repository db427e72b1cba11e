"""The installed ``newsrecord`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

import newsrecord
from newsrecord.__main__ import INSTALL_HINT
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
        newsrecord.load(path, strict=strict)
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
        assert summary(result) == "1 record: 1 valid, 0 invalid, 0 of other kinds"

    @pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
    def test_an_invalid_record(self, path: Path) -> None:
        """An invalid record: exit 1, and exactly the library's problem lines."""
        result = run("validate", path)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(path)
        assert summary(result) == "1 record: 0 valid, 1 invalid, 0 of other kinds"

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

    def test_another_kind_is_listed_not_checked(self) -> None:
        """A course is counted and listed as another kind, and is no error."""
        result = run("validate", COURSE)
        assert result.returncode == 0
        assert (
            result.stdout
            == f"{COURSE}: not checked: a record of another kind (course)\n"
        )
        assert summary(result) == "1 record: 0 valid, 0 invalid, 1 of other kinds"

    def test_kind_news_makes_other_kinds_errors(self) -> None:
        """With --kind news, a course is an invalid record, reported at its type."""
        result = run("validate", "--kind", "news", COURSE)
        assert result.returncode == 1
        assert result.stdout.splitlines() == problem_lines(COURSE)
        assert result.stdout.startswith(f"{COURSE}:5:1: type: ")

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
            f"{tree}/courses/course.md: not checked: a record of another kind (course)",
            *problem_lines(
                tree / "news" / "2023" / "broken.md",
                shown=f"{tree}/news/2023/broken.md",
            ),
        ]
        assert summary(result) == "5 records: 3 valid, 1 invalid, 1 of other kinds"

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
            (["*.md"], 0),
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
        assert summary(result).endswith(", 1 unreadable")

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
        assert f"{locked}: cannot read the directory" in result.stdout.splitlines()

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
            "course.md": "other-kind",
        }
        broken = next(r for r in document["records"] if r["status"] == "invalid")
        assert broken["kind"] == "news"
        lines = problem_lines(tree / "news" / "2023" / "broken.md")
        assert len(broken["problems"]) == len(lines) > 0
        for problem, line in zip(broken["problems"], lines, strict=True):
            assert set(problem) == {"line", "column", "key_path", "code", "message"}
            assert line.endswith(f"{problem['message']}")
            assert f":{problem['line']}:{problem['column']}: " in line
        course = next(r for r in document["records"] if r["status"] == "other-kind")
        assert (course["kind"], course["problems"]) == ("course", [])
        counts = document["summary"]
        assert isinstance(counts.pop("seconds"), float)
        assert counts == {
            "records": 5,
            "valid": 3,
            "invalid": 1,
            "other_kinds": 1,
            "unreadable": 0,
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
        assert len(one.stdout.splitlines()) == 201
        assert one.stdout == two.stdout
        assert summary(one) == summary(two)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More records than it takes for a progress bar."""
    return make_folder(tmp_path_factory.mktemp("many"), 600, invalid=False)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough invalid records for a run to be stopped midway; output flows early."""
    return make_folder(tmp_path_factory.mktemp("large"), 3000, invalid=True)


class TestProgress:
    def run_on_a_terminal(self, folder: Path, env: dict[str, str]) -> str:
        """Run `validate` with standard error on a pseudo-terminal; what it drew."""
        assert COMMAND is not None
        controller, terminal = pty.openpty()
        with subprocess.Popen(  # noqa: S603 (our own console script)
            [COMMAND, "validate", "-j", "1", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            env=env,
        ) as process:
            os.close(terminal)
            drawn = b"".join(_read_all(controller))
            assert process.wait(timeout=120) == 0
        os.close(controller)
        return drawn.decode()

    def test_a_pipe_gets_no_bar(self, many: Path) -> None:
        """With standard error in a pipe, only the summary line is written there."""
        result = run("validate", many)
        assert result.returncode == 0
        assert result.stderr.splitlines() == [result.stderr.strip()]
        assert summary(result) == "600 records: 600 valid, 0 invalid, 0 of other kinds"

    def test_a_terminal_gets_a_bar(self, many: Path) -> None:
        """On a terminal, many files draw a progress bar that reaches 100%."""
        env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"}
        drawn = self.run_on_a_terminal(many, env)
        assert "100%" in drawn
        assert "600 records" in drawn

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

    @pytest.mark.parametrize("path", [INVALID[0], BROKEN], ids=lambda path: path.name)
    def test_an_invalid_record_is_reported(self, path: Path) -> None:
        """A record that does not load: validate's problem lines on stderr, exit 1."""
        result = run("show", "--format", "text", path)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == problem_lines(path)

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
        """Other kinds are left as they are; an invalid record exits 2."""
        shutil.copy(COURSE, tmp_path / "course.md")
        assert run("fmt", "--check", tmp_path).returncode == 0
        invalid = tmp_path / "invalid.md"
        shutil.copy(INVALID[0], invalid)
        result = run("fmt", tmp_path)
        assert result.returncode == 2
        assert result.stderr.splitlines()[1:-1] == problem_lines(invalid)
        assert (tmp_path / "course.md").read_bytes() == COURSE.read_bytes()
        assert invalid.read_bytes() == INVALID[0].read_bytes()


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
