"""The command line: ``newsrecord validate``, ``show``, ``fmt`` and ``schema``.

Output conventions, the same for every command: what a command is for goes to
standard output (problem lines, the record, the schema, a diff); the summary line,
progress and notes go to standard error, so ``newsrecord validate . > problems.txt``
keeps only the problems and a terminal or a CI log shows both.

Exit status: 0 all is well, 1 some record is invalid (or, with ``fmt --check``,
would change), 2 a usage error, a path that cannot be read or paths that hold no
record file, 130 interrupted.

``validate``, ``fmt`` and ``export`` run on the folder engine
(`newsrecord._folder`), as `load_dir` does: the workers check, format or export
each file themselves and send back only what is to be printed or written, so no
record crosses a process boundary. Lines are printed as they come, above the
progress line when there is one; file names in them have their control
characters escaped.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import json
import os
import re
import sys
import time
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal, TypeAlias, cast

import attrs
import click

from ._api import dump, dumps, load_record, loads_record
from ._errors import (
    FieldError,
    FrontMatterError,
    KindError,
    NewsRecordError,
    ValidationError,
)
from ._export import (
    check_output,
    format_of,
    make_rows,
    model_of,
    parquet_module,
    write,
)
from ._file import read_file
from ._folder import (
    LoadResult,
    find_files,
    load_files,
    map_chunks,
    map_files,
    worker_count,
)
from ._kinds import KIND_CLASSES, kind_name
from ._limits import DEFAULT_LIMITS
from ._mapping import to_dict
from ._model import SECURED, Article, Record, SecuredToken, masked, without_source
from ._progress import Progress
from ._spec import TABLES
from ._structure import source_document
from ._tree import ListNode, MapNode
from ._version import __version__, build

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from click.decorators import FC

    from ._export import Format, Made
    from ._tree import Document

#: Exit statuses.
OK: Final = 0
INVALID: Final = 1
UNUSABLE: Final = 2
INTERRUPTED: Final = 130

#: The progress bar appears from this many files on, and only on a terminal.
PROGRESS_FROM: Final = 500

Status: TypeAlias = Literal["valid", "invalid", "other-kind", "unreadable"]
#: One problem: line, column, key path, code, message.
Problem: TypeAlias = tuple[int | None, int | None, str, str, str]
#: What checking one file gives: its status, its kind (when known), its problems,
#: and how many more it has past those listed (see `Limits.max_problems`).
Result: TypeAlias = tuple[Status, str | None, tuple[Problem, ...], int]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status; never a traceback on ^C."""
    try:
        status = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="newsrecord",
            standalone_mode=False,
        )
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            return _interrupted()
        click.echo("Aborted.", err=True)
        return INVALID
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    return status if isinstance(status, int) else OK


def _interrupted() -> int:
    click.echo("newsrecord: interrupted", err=True)
    return INTERRUPTED


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    prog_name="newsrecord",
    message=f"%(prog)s %(version)s ({build()})",
)
def cli() -> None:
    """Check, inspect and format news records (Markdown files with YAML front matter).

    Exit status: 0 when all is well, 1 when a record is invalid, 2 for a usage
    error or a path that cannot be read, 130 when interrupted.
    """


# --- what is printed -----------------------------------------------------------------

#: Characters that would break a line of output, or draw on a terminal.
_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(path: str) -> str:
    r"""A path as the command line prints it in a line of text.

    As click shows file names (bytes that are not text replaced), with control
    characters escaped (a newline as ``\n``, an escape as ``\x1b``): a file
    name cannot start a line of its own, forge a problem line, or draw on a
    terminal.
    """
    return _CONTROL.sub(_escape, click.format_filename(path))


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


@attrs.define
class _Screen:
    """Standard output and error, around the progress line when there is one.

    ``quiet`` drops the notes (standard error lines that report no problem).
    ``taken``: standard output carries data (``export --output -``), so what
    would go there goes to standard error.
    """

    progress: Progress | None = None
    quiet: bool = False
    # Whether standard output shows on the terminal the progress line is on.
    shared: bool = False
    taken: bool = False

    @classmethod
    def start(
        cls,
        paths: Sequence[str],
        exclude: Sequence[str],
        *,
        quiet: bool,
        taken: bool = False,
    ) -> _Screen:
        """The screen for a run over the files in ``paths``.

        It has a progress line for many files, on a terminal only: never in a
        pipe, a file or a CI log, and never with ``quiet``.
        """
        if quiet or not _terminal():
            return cls(quiet=quiet, taken=taken)
        unreadable: list[OSError] = []
        total = sum(1 for _ in find_files(paths, exclude, unreadable))
        if total < PROGRESS_FROM:
            return cls(taken=taken)
        return cls(
            Progress(total, "records", sys.stderr),
            shared=sys.stdout.isatty(),
            taken=taken,
        )

    def out(self, text: str) -> None:
        """Print a line on standard output (on standard error if it is taken)."""
        if self.taken:
            self.err(text)
        elif self.progress is None or not self.shared:
            click.echo(text)
        else:
            self.progress.above(functools.partial(click.echo, text))

    def err(self, text: str) -> None:
        """Print a line on standard error."""
        if self.progress is None:
            click.echo(text, err=True)
        else:
            self.progress.above(functools.partial(click.echo, text, err=True))

    def note(self, text: str) -> None:
        """Print a line on standard error, unless ``quiet``."""
        if not self.quiet:
            self.err(text)

    def advance(self) -> None:
        """Count one more file done."""
        if self.progress is not None:
            self.progress.advance()

    def close(self) -> None:
        """Take the progress line away, for the summary."""
        if self.progress is not None:
            self.progress.close()
            self.progress = None


def _terminal() -> bool:
    """Whether standard error is a terminal to draw on: not in CI, not dumb."""
    return (
        sys.stderr.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


def _nothing_found(command: str, paths: Sequence[str], exclude: Sequence[str]) -> int:
    """Say that ``paths`` hold no record file; the exit status for it."""
    places = ", ".join(shown(path) for path in paths)
    left = " that --exclude leaves" if exclude else ""
    click.echo(
        f"newsrecord {command}: no record file (*.md) in {places}{left}", err=True
    )
    return UNUSABLE


# --- checking files ------------------------------------------------------------------


def check_files(paths: list[str], *, strict: bool, kind: str | None) -> list[Result]:
    """Check record files; every outcome is a `Result`, never an exception.

    ``kind`` names the only kind to check; ``None`` checks every kind.
    """
    model = None if kind is None else KIND_CLASSES[kind]
    loaded = load_files(paths, strict=strict, limits=DEFAULT_LIMITS, model=model)
    return [_checked(result) for result in loaded]


def _checked(loaded: LoadResult) -> Result:
    if loaded.error is None:
        return ("valid", kind_name(loaded.record), (), 0)
    return failed_result(loaded.path, loaded.error)


def _reason(error: BaseException) -> str:
    """What an `OSError` says, without the path (which the line starts with)."""
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def failed_result(path: str, error: NewsRecordError | OSError) -> Result:
    """The `Result` of a file (or directory) at ``path`` that raised ``error``."""
    if isinstance(error, KindError) and error.kind is not None:
        return ("other-kind", error.kind, (), 0)  # a valid kind, not the one checked
    if isinstance(error, KindError):  # no kind of record
        return ("invalid", None, _problems(error), error.more)
    if isinstance(error, ValidationError):
        return ("invalid", error.kind, _problems(error), error.more)
    if isinstance(error, FrontMatterError):
        problem = (error.line, error.column, "", error.code, error.message)
        return ("invalid", None, (problem,), 0)
    if isinstance(error, OSError):
        isdir = os.path.isdir(path)  # noqa: PTH112 (strings in, strings out)
        return _unreadable(error, directory=isdir)
    problem = (error.line, error.column, "", error.code, str(error))  # pragma: no cover
    return ("invalid", None, (problem,), 0)  # pragma: no cover (no other errors)


def _problems(error: ValidationError) -> tuple[Problem, ...]:
    """A problem per field error (those past the limit are counted by ``more``)."""
    return tuple(
        (field.line, field.column, field.key_path, field.code, field.message)
        for field in error.errors
    )


def _more_line(name: str, more: int) -> str:
    """The line that says how many problems a file has past those listed."""
    return f"{name}: and at least {more} more problems"


# --- validate ------------------------------------------------------------------------


@attrs.define
class _Report:
    """What `validate` found, printed as it comes (text) or at the end (JSON)."""

    as_json: bool
    screen: _Screen
    counts: dict[Status, int] = attrs.Factory(
        lambda: dict.fromkeys(("valid", "invalid", "other-kind", "unreadable"), 0)
    )
    #: The records checked, by kind (those whose kind is known).
    kinds: collections.Counter[str] = attrs.Factory(collections.Counter)
    records: list[dict[str, Any]] = attrs.Factory(list)

    def add(self, path: str, result: Result) -> None:
        status, kind, problems, more = result
        self.counts[status] += 1
        if kind is not None and status in {"valid", "invalid"}:
            self.kinds[kind] += 1
        if self.as_json:
            self.records.append(_record_json(click.format_filename(path), result))
        elif status != "valid":
            name = shown(path)
            if status == "other-kind" and not self.screen.quiet:
                line = f"{name}: not checked: a record of another kind ({kind})"
                self.screen.out(line)
            for problem in problems:
                self.screen.out(_problem_line(name, problem))
            if more:
                self.screen.out(_more_line(name, more))
        # Counted once its lines are out: the bar never runs ahead of them.
        self.screen.advance()

    @property
    def total(self) -> int:
        """The number of files (and unreadable directories) reported."""
        return sum(self.counts.values())

    def finish(self, seconds: float) -> int:
        """Print the summary (and the JSON document); return the exit status."""
        self.screen.close()
        counts = self.counts
        if self.as_json:
            summary = {
                "records": self.total,
                "valid": counts["valid"],
                "invalid": counts["invalid"],
                "other_kinds": counts["other-kind"],
                "unreadable": counts["unreadable"],
                "kinds": dict(sorted(self.kinds.items())),
                "seconds": round(seconds, 3),
            }
            document = {"records": self.records, "summary": summary}
            click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            line = (
                f"{_count(self.total, 'record')}: {counts['valid']} valid, "
                f"{counts['invalid']} invalid"
            )
            if counts["other-kind"]:
                line += f", {counts['other-kind']} of other kinds (not checked)"
            if counts["unreadable"]:
                line += f", {counts['unreadable']} unreadable"
            if self.kinds:
                by_kind = ", ".join(
                    f"{count} {kind}" for kind, count in sorted(self.kinds.items())
                )
                line += f"; by kind: {by_kind}"
            self.screen.note(f"{line} ({seconds:.2f} s)")
        if counts["unreadable"]:
            return UNUSABLE
        return INVALID if counts["invalid"] else OK


def _problem_line(name: str, problem: Problem) -> str:
    line, column, key_path, code, message = problem
    return FieldError(key_path, message, code, line, column).format(name)


def _record_json(name: str, result: Result) -> dict[str, Any]:
    status, kind, problems, more = result
    return {
        "path": name,
        "status": status,
        "kind": kind,
        "problems": [
            {
                "line": line,
                "column": column,
                "key_path": key_path,
                "code": code,
                "message": message,
            }
            for line, column, key_path, code, message in problems
        ],
        "more_problems": more,
    }


def _unreadable_directory(error: OSError) -> tuple[str, Result]:
    """A directory that could not be listed, as a path and a `Result`."""
    return os.fsdecode(error.filename), _unreadable(error, directory=True)


def _unreadable(error: OSError, *, directory: bool) -> Result:
    """The `Result` of a file or a directory that could not be read, and why."""
    message = f"cannot read the {'directory' if directory else 'file'}: "
    problem = (None, None, "", "unreadable", message + _reason(error))
    return ("unreadable", None, (problem,), 0)


# What validate and fmt share: the paths, --exclude, -j, --quiet; and validate and
# show: --strict.
_paths = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str)
)
_exclude = click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out files and directories whose name or path matches GLOB "
    "(repeatable).",
)
_strict = click.option(
    "--strict", is_flag=True, help="Report keys the model does not know."
)
_jobs = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that work on the files, this one included (at most a few "
    "per CPU).  [default: the number of CPUs]",
)
_quiet = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print only what the command is for: no progress, notes or summary.",
)


def _kind(default: str, help_: str) -> Callable[[FC], FC]:
    """The ``--kind`` option: a kind's name, or ``any``."""
    option: Callable[[FC], FC] = click.option(
        "--kind",
        type=click.Choice(["any", *KIND_CLASSES]),
        default=default,
        show_default=True,
        help=help_,
    )
    return option


@cli.command()
@_paths
@_exclude
@_strict
@_kind(
    "any",
    "Check only the records of this kind; those of other kinds are listed "
    "and counted, not checked.",
)
@_jobs
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a line per problem, and a summary; json: one document.",
)
@_quiet
def validate(  # noqa: PLR0913 (one parameter per option, as click passes them)
    paths: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    strict: bool,
    kind: str,
    jobs: int | None,
    output: str,
    quiet: bool,
) -> int:
    """Check the records in PATHS: files, and directories searched for *.md.

    Prints a line per problem, `path:line:column: key.path: message`, on standard
    output as they are found, and a summary line on standard error, with the
    records counted by kind. Every kind is checked, unless --kind names one.
    Exit status: 0 all valid, 1 some invalid, 2 a path could not be read or
    holds no record file.
    """
    started = time.perf_counter()
    as_json = output == "json"
    screen = _Screen.start(paths, exclude, quiet=quiet or as_json)
    report = _Report(as_json=as_json, screen=screen)
    unreadable: list[OSError] = []
    only = None if kind == "any" else kind
    step = functools.partial(check_files, strict=strict, kind=only)
    files = find_files(paths, exclude, unreadable)
    for path, result in map_chunks(files, step, workers=worker_count(jobs)):
        report.add(path, result)
    for error in unreadable:
        report.add(*_unreadable_directory(error))
    if not report.total:
        screen.close()
        return _nothing_found("validate", paths, exclude)
    return report.finish(time.perf_counter() - started)


# --- show ----------------------------------------------------------------------------


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: the front matter with the file's own key names, and the body; "
    "text: a readable summary.",
)
@_strict
@click.option(
    "--reveal-secured",
    is_flag=True,
    help="Show the `secured` token itself instead of its sizes.",
)
def show(file: str, *, output: str, strict: bool, reveal_secured: bool) -> int:
    """Print the record in FILE, as JSON or as a readable summary.

    The `secured` token is shown by its sizes only, unless --reveal-secured is
    given. A record that does not load is reported as `validate` reports it.
    """
    article = _load_or_report(file, strict=strict)
    if article is None:
        return INVALID
    if output == "text":
        click.echo(_summary(article, reveal_secured=reveal_secured))
        return OK
    front_matter = to_dict(article)
    token = getattr(article, "secured", None)
    if not reveal_secured:  # nested `secured` keys too, wherever they are
        front_matter = masked(front_matter)
        if token is not None:
            front_matter["secured"] = _hidden(token)
    document = {"front_matter": front_matter, "body": article.body}
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False))
    return OK


class _Unusable(click.FileError):
    """A file that cannot be read, or written: a path that cannot be used, status 2."""

    exit_code = UNUSABLE


def _load_or_report(path: str, *, strict: bool) -> Record | None:
    """The record in ``path``, or `None` after printing why it does not load."""
    try:
        return load_record(path, strict=strict)
    except NewsRecordError as exc:
        for line in _problem_lines(shown(path), exc):
            click.echo(line, err=True)
    except OSError as exc:
        raise _Unusable(shown(path), hint=_reason(exc)) from exc
    return None


def _problem_lines(name: str, error: NewsRecordError) -> list[str]:
    """A record's problems, a line each, as validate prints them."""
    more = 0
    if isinstance(error, ValidationError):
        problems = _problems(error)
        more = error.more
    elif isinstance(error, FrontMatterError):
        problems = ((error.line, error.column, "", error.code, error.message),)
    else:  # pragma: no cover (every NewsRecordError is one of those two)
        problems = ((error.line, error.column, "", error.code, str(error)),)
    lines = [_problem_line(name, problem) for problem in problems]
    return [*lines, _more_line(name, more)] if more else lines


def _hidden(token: SecuredToken) -> str:
    return (
        f"<hidden: {len(token.ciphertext)} bytes of ciphertext, "
        f"{len(token.iv)} bytes of IV>"
    )


def _summary(record: Record, *, reveal_secured: bool) -> str:
    """A record as a few readable lines: a news record's own, or any kind's."""
    if not isinstance(record, Article):
        return _any_summary(record, reveal_secured=reveal_secured)
    article = record
    rows: list[tuple[str, str]] = [
        ("type", f"{article.category} {article.type}"),
        ("published", _when(article)),
        ("provider", _provider(article)),
        ("url", article.url),
    ]
    if article.topics:
        rows.append(("topics", ", ".join(article.topics)))
    scores = [
        f"{name} {value}"
        for name, value in (("quality", article.quality), ("heat", article.heat))
        if value is not None
    ]
    if scores:
        rows.append(("scores", ", ".join(scores)))
    if article.images:
        rows.append(("images", _count(len(article.images), "image")))
    for index, related in enumerate(article.related):
        label = "related" if index == 0 else ""
        when = related.published_date_time.date().isoformat()
        rows.append((label, f"{related.title} ({related.provider.name}, {when})"))
    return _lines(article.title, article.excerpt, rows, article, reveal_secured)


def _lines(
    heading: str | None,
    excerpt: str | None,
    rows: list[tuple[str, str]],
    record: Record,
    reveal_secured: bool,  # noqa: FBT001 (private, positional)
) -> str:
    """A summary's lines: the heading, the excerpt, and the rows, aligned."""
    token = getattr(record, "secured", None)
    if token is not None:
        rows.append(("secured", str(token) if reveal_secured else _hidden(token)))
    if record.extra:
        rows.append(("other keys", ", ".join(record.extra)))
    body = record.body.strip()
    rows.append(("body", _count(len(body), "character") if body else "empty"))
    width = max(len(label) for label, _ in rows)
    lines = [heading or "", *(f"  {label:<{width}}  {value}" for label, value in rows)]
    if excerpt:
        lines.insert(1, f"  {excerpt}")
    return "\n".join(lines)


def _any_summary(record: Record, *, reveal_secured: bool) -> str:
    """The summary of a record of any kind, from its kind's field table."""
    table = TABLES[type(record)]
    rows: list[tuple[str, str]] = [("kind", kind_name(record))]
    named = {"title", "name", "excerpt", SECURED}
    for field in table.fields:
        value = getattr(record, field.attribute)
        if field.key in named or value is None or value == ():
            continue
        rows.append((field.key, _value_text(value)))
    heading = getattr(record, "title", None) or getattr(record, "name", None)
    excerpt = getattr(record, "excerpt", None)
    return _lines(heading, excerpt, rows, record, reveal_secured)


def _value_text(value: object) -> str:
    """A field's value in a summary: text as it is, parts by name or count."""
    if isinstance(value, tuple):
        if all(isinstance(item, str) for item in value):
            return ", ".join(value)
        return _count(len(value), "item")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    fields = getattr(type(value), "__attrs_attrs__", None)
    if fields is not None:
        name, domain = getattr(value, "name", None), getattr(value, "domain", None)
        if name is not None:
            return f"{name} ({domain})" if domain else str(name)
        shown_fields = [
            f"{field.name} {getattr(value, field.name)}"
            for field in fields
            if field.name != "extra" and getattr(value, field.name) is not None
        ]
        return ", ".join(shown_fields)
    return str(value)


def _when(article: Article) -> str:
    moment = article.published_date_time.isoformat(sep=" ")
    if article.published is None:
        return moment
    return f"{moment} ({'published' if article.published else 'not published'})"


def _provider(article: Article) -> str:
    provider = article.provider
    return f"{provider.name} ({provider.domain})" if provider.domain else provider.name


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- fmt -----------------------------------------------------------------------------

Outcome: TypeAlias = Literal["changed", "unchanged", "skipped", "failed", "unwritten"]
#: Where a line of `fmt` goes: standard output, standard error, or standard error
#: unless --quiet.
Stream: TypeAlias = Literal["out", "err", "note"]
#: What formatting one file gives: its outcome, and the text to print, in order.
Formatted: TypeAlias = tuple[Outcome, tuple[tuple[Stream, str], ...]]


@cli.command()
@_paths
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list the files that would change and exit 1 if any.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Write nothing; print a diff of each change (the secured token shown by "
    "its size only).",
)
@_exclude
@_jobs
@_quiet
def fmt(  # noqa: PLR0913 (one parameter per option, as click passes them)
    paths: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    check: bool,
    diff: bool,
    jobs: int | None,
    quiet: bool,
) -> int:
    """Rewrite the records in PATHS in the reference style, each file atomically.

    A record of any kind is written as if built from scratch: its kind's key
    order, quoting, indentation and blank lines, LF line endings. Exit status:
    0 done (or nothing to change), 1 with --check or --diff when some file would
    change, 2 when a record cannot be read or
    written, or PATHS hold no record file.
    """
    screen = _Screen.start(paths, exclude, quiet=quiet)
    unreadable: list[OSError] = []
    step = functools.partial(format_file, write=not (check or diff), diff=diff)
    files = find_files(paths, exclude, unreadable)
    outcomes: collections.Counter[Outcome] = collections.Counter()
    for _, (outcome, lines) in map_files(files, step, workers=worker_count(jobs)):
        outcomes[outcome] += 1
        for stream, text in lines:
            getattr(screen, stream)(text)
        screen.advance()
    for error in unreadable:
        path, (_, _, problems, _) = _unreadable_directory(error)
        screen.err(_problem_line(shown(path), problems[0]))
    screen.close()
    if not (outcomes or unreadable):
        return _nothing_found("fmt", paths, exclude)
    verb = "would be reformatted" if check or diff else "reformatted"
    line = (
        f"{_count(outcomes.total(), 'record')}: {outcomes['changed']} {verb}, "
        f"{outcomes['unchanged']} unchanged"
    )
    if outcomes["skipped"]:
        line += f", {outcomes['skipped']} of other kinds"
    if outcomes["failed"]:
        line += f", {outcomes['failed']} not readable as records"
    if outcomes["unwritten"]:
        line += f", {outcomes['unwritten']} could not be written"
    screen.note(line)
    if unreadable or outcomes["failed"] or outcomes["unwritten"]:
        return UNUSABLE
    if outcomes["changed"] and (check or diff):
        return INVALID
    return OK


def format_file(path: str, *, write: bool, diff: bool) -> Formatted:
    """Format one record file (or tell how it would change); what to print.

    Runs in the worker processes: it prints nothing itself, and every outcome is
    a `Formatted`, never an exception.
    """
    name = shown(path)
    try:
        # One byte more than the limit tells a file too large.
        data = read_file(path, DEFAULT_LIMITS.max_file_size + 1)
        article = loads_record(data, path=path)
    except (OSError, NewsRecordError) as exc:
        return _not_formatted(name, exc)
    fresh = without_source(article)
    try:
        text = dumps(fresh)
    except NewsRecordError as exc:  # it would not load back: too large, say
        return _not_formatted(name, exc)
    if text.encode("utf-8") == data:
        return ("unchanged", ())
    if not write:
        would = f"would reformat {name}"
        if diff:
            return (
                "changed",
                (("out", _changes(name, article, text)), ("note", would)),
            )
        return ("changed", (("out", would),))
    return _write(name, path, fresh)


def _write(name: str, path: str, article: Record) -> Formatted:
    """Write a reformatted record; a failure is reported, never raised."""
    try:
        dump(article, path)
    except OSError as exc:
        reason = f"{name}: cannot write the file: {_reason(exc)}"
        return ("unwritten", (("err", reason),))
    except NewsRecordError as exc:
        problems = _problem_lines(name, exc)
        return ("unwritten", tuple(("err", line) for line in problems))
    return ("changed", (("note", f"reformatted {name}"),))


def _not_formatted(name: str, error: OSError | NewsRecordError) -> Formatted:
    """What `fmt` says of a file it cannot read as a news record."""
    if isinstance(error, OSError):
        return ("failed", (("err", f"{name}: cannot read the file: {_reason(error)}"),))
    if isinstance(error, KindError):
        note = f"{name}: left as is: a record of another kind ({error.kind})"
        return ("skipped", (("note", note),))
    return ("failed", tuple(("err", line) for line in _problem_lines(name, error)))


def _masked(article: Record) -> str:
    """The text of a record's file with every ``secured`` value shown by size only.

    A diff shows the lines that change, and a token's line changes when its
    quoting or escaping does; a diff is no place for a secret all the same. A
    ``secured`` key anywhere (in a provider, an image, any unknown mapping) holds
    one. The quotes stay, and the size counts the value as written, so that such
    a change still shows.
    """
    # `loads` gives every record the text it was read from.
    document = cast("Document", source_document(article))
    text = document.text
    # A value reached through an alias stands where the text it repeats does:
    # the same span twice, or one inside another.
    spans: list[tuple[int, int]] = []
    for start, end in sorted(_secured_spans(document.root)):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    for start, end in reversed(spans):
        value = text[start:end]
        quote = value[0] if value[:1] in {'"', "'"} and value.endswith(value[0]) else ""
        hidden = f"<hidden: {len(value) - 2 * len(quote)} characters>"
        text = f"{text[:start]}{quote}{hidden}{quote}{text[end:]}"
    return text


def _secured_spans(node: object) -> Iterator[tuple[int, int]]:
    """Where the value of each ``secured`` key under ``node`` stands in the text."""
    if isinstance(node, MapNode):
        for key, value in node.items():
            if key == SECURED:
                _, start, end = node.spans[key]
                yield start, end
            else:
                yield from _secured_spans(value)
    elif isinstance(node, ListNode):
        for item in node:
            yield from _secured_spans(item)


def _changes(name: str, article: Record, text: str) -> str:
    """How formatting changes a record's file: a diff, and what a diff hides.

    A change of line endings is told in words, not shown as every line removed
    and added again; so is the byte-order mark, which a diff does not show.
    """
    before, after = _masked(article), _masked(loads_record(text))
    document = cast("Document", source_document(article))
    endings = before.count("\r\n") != after.count("\r\n")
    if endings:
        before, after = before.replace("\r\n", "\n"), after.replace("\r\n", "\n")
    changes = _diff(name, before, after)
    hidden = _hidden_changes(bom=document.bom, endings=endings)
    if hidden:
        changes += f"{name}: {'also, ' if changes else 'only '}{hidden}\n"
    return changes.removesuffix("\n")


def _hidden_changes(*, bom: bool, endings: bool) -> str:
    if bom and endings:
        return "the byte-order mark (removed) and the line endings (CRLF to LF) change"
    if bom:
        return "the byte-order mark changes (removed)"
    if endings:
        return "the line endings change (CRLF to LF)"
    return ""


def _diff(name: str, before: str, after: str) -> str:
    import difflib  # noqa: PLC0415 (only for --diff)

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"{name} (as it is)",
            tofile=f"{name} (reformatted)",
        )
    )


# --- schema --------------------------------------------------------------------------


@cli.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Allow no key the model does not know (as validate --strict).",
)
@_kind("news", "The kind of record; any: a schema that takes a record of every kind.")
def schema(*, strict: bool, kind: str) -> int:
    """Print a JSON Schema (draft 2020-12) of a record's front matter.

    For editors that check YAML files against a schema (with the VS Code YAML
    extension, save it as news-record.schema.json and map it to YAML files in the
    `yaml.schemas` setting; it does not read the front matter of Markdown files),
    and for checking front matter held as JSON.
    """
    from ._schema import json_schema  # noqa: PLC0415 (only for this command)

    document = json_schema(strict=strict, kind=None if kind == "any" else kind)
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    return OK


# --- export --------------------------------------------------------------------------


@cli.command()
@_paths
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=str),
    help="The file to write: .jsonl for JSON Lines, .parquet for Parquet; "
    "- for standard output (with --format).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "parquet"]),
    default=None,
    help="The output's format.  [default: from the output's suffix]",
)
@_kind(
    "news",
    "The kind of record to export; those of other kinds are listed and "
    "counted, not exported. any: every kind (JSON Lines only).",
)
@_exclude
@_strict
@click.option(
    "--reveal-secured",
    is_flag=True,
    help="Export the `secured` token too (a secret: left out by default).",
)
@_jobs
@_quiet
def export(  # noqa: PLR0913 (one parameter per option, as click passes them)
    paths: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    output: str,
    output_format: str | None,
    kind: str,
    strict: bool,
    reveal_secured: bool,
    jobs: int | None,
    quiet: bool,
) -> int:
    """Write the records in PATHS to one JSON Lines or Parquet file.

    PATHS are files, and directories searched for *.md as validate searches them.
    The news records, unless --kind names another kind. JSON Lines: a line per
    record, its front matter with the file's key names, and its `path`, `kind`
    and `body`. Parquet (needs the `parquet` extra): a typed column per key of
    the kind. Records that do not load are reported as validate reports them,
    and left out; an output file is written whole or not at all. With --output
    - the rows go to standard output as they come, and the problem lines to
    standard error. Exit status as validate.
    """
    started = time.perf_counter()
    streamed = output == "-"
    target = sys.stdout.buffer if streamed else output
    try:
        chosen = _export_format(target, output_format, streamed=streamed)
        model = model_of(None if kind == "any" else kind, chosen)
        if not streamed:
            check_output(paths, output, exclude)
        if chosen == "parquet":
            parquet_module()
    except (ValueError, ModuleNotFoundError) as exc:
        raise click.UsageError(str(exc)) from exc
    screen = _Screen.start(paths, exclude, quiet=quiet, taken=streamed)
    report = _Report(as_json=False, screen=screen)

    def leave_out(path: str, error: NewsRecordError | OSError) -> None:
        report.add(path, failed_result(path, error))

    made = make_rows(
        paths,
        format=chosen,
        model=model,
        exclude=exclude,
        strict=strict,
        reveal_secured=reveal_secured,
        workers=worker_count(jobs),
    )
    try:
        with contextlib.closing(made):
            count = write(
                _counted(made, screen, report),
                target,
                format=chosen,
                model=model,
                reveal_secured=reveal_secured,
                leave_out=leave_out,
            )
    except BrokenPipeError:
        raise  # standard output, not the output file
    except OSError as exc:
        raise _Unusable(output, hint=exc.strerror or str(exc)) from exc
    report.counts["valid"] = count
    if not report.total:
        screen.close()
        return _nothing_found("export", paths, exclude)
    status = report.finish(time.perf_counter() - started)
    if not quiet:
        where = "standard output" if streamed else click.format_filename(output)
        click.echo(f"wrote {_count(count, 'record')} to {where}", err=True)
    return status


def _export_format(
    target: str | BinaryIO, chosen: str | None, *, streamed: bool
) -> Format:
    """The format of an export to ``target``: `format_of`, worded for the options.

    Parquet, which is binary, is not written to a terminal.
    """
    if not streamed:
        return format_of(target, chosen)
    if chosen is None:
        message = "--output - (standard output) needs --format jsonl or parquet"
        raise ValueError(message)
    format_ = format_of(target, chosen)
    if format_ == "parquet" and sys.stdout.isatty():
        message = (
            "will not write Parquet, a binary format, to a terminal: "
            "redirect standard output, or name a file with --output"
        )
        raise ValueError(message)
    return format_


def _counted(made: Iterable[Made], screen: _Screen, report: _Report) -> Iterator[Made]:
    """``made``, with each row counted by kind and the progress line advanced.

    A file left out is counted when it is reported (see `_Report.add`).
    """
    for path, item in made:
        if isinstance(item, tuple):  # a row, with its record's kind
            report.kinds[item[0]] += 1
            screen.advance()
        yield path, item
