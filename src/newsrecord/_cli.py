"""The command line: ``newsrecord validate``, ``show``, ``fmt`` and ``schema``.

Output conventions, the same for every command: what a command is for goes to
standard output (problem lines, the record, the schema, a diff); the summary line,
progress and notes go to standard error, so ``newsrecord validate . > problems.txt``
keeps only the problems and a terminal or a CI log shows both.

Exit status: 0 all is well, 1 some record is invalid (or, with ``fmt --check``,
would change), 2 a usage error or a path that cannot be read, 130 interrupted.

``validate`` checks records in worker processes, a chunk of paths at a time: each
worker reads its files itself and sends back only small tuples, so no record
crosses a process boundary.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import attrs
import click

from ._api import dump, dumps, load, loads
from ._errors import (
    FieldError,
    FrontMatterError,
    KindError,
    NewsRecordError,
    ValidationError,
)
from ._export import format_of, load_paths, parquet_module, write
from ._mapping import to_dict
from ._model import masked
from ._version import __version__, build

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from ._model import Article
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
#: What checking one file gives: its status, its kind (when known), its problems.
Result: TypeAlias = tuple[Status, str | None, tuple[Problem, ...]]


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


# --- finding files -----------------------------------------------------------------


@attrs.frozen
class Found:
    """What `find_records` found: record files, and directories it could not read."""

    files: list[str]
    unreadable: list[str]


def find_records(paths: Iterable[str], exclude: Sequence[str]) -> Found:
    """The record files under ``paths``, in order, each once.

    A directory is searched recursively for ``*.md`` files, in sorted order; a file
    named on its own is taken whatever its name. A file or directory is left out
    when its name or its path (as found, normalized) matches an ``exclude`` glob.
    Paths stay strings as given, so that reports name files as the user did.
    """
    files: dict[str, None] = {}
    unreadable: list[str] = []

    def excluded(path: str) -> bool:
        if not exclude:
            return False
        normal = os.path.normpath(path).replace(os.sep, "/")
        name = normal.rsplit("/", 1)[-1]
        return any(
            fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(normal, glob)
            for glob in exclude
        )

    def failed(error: OSError) -> None:
        unreadable.append(os.fsdecode(error.filename))

    for path in paths:
        if excluded(path):
            continue
        if not os.path.isdir(path):  # noqa: PTH112 (strings in, strings out)
            files[path] = None
            continue
        for root, directories, names in os.walk(path, onerror=failed):
            # os.path.join(root, name), for names that are names: faster by far on
            # the tens of thousands of files of a content repository.
            prefix = os.path.join(root, "")  # noqa: PTH118 (strings in, strings out)
            directories[:] = sorted(
                name for name in directories if not excluded(prefix + name)
            )
            found = (prefix + name for name in sorted(names) if name.endswith(".md"))
            files.update(
                dict.fromkeys(inside for inside in found if not excluded(inside))
            )
    return Found(list(files), unreadable)


# --- checking files ------------------------------------------------------------------


def check_file(path: str, *, strict: bool, news_only: bool) -> Result:
    """Check one record file; every outcome is a `Result`, never an exception."""
    try:
        load(path, strict=strict)
    except (NewsRecordError, OSError) as exc:
        return failed_result(path, exc, news_only=news_only)
    return ("valid", "news", ())


def failed_result(
    path: str, error: NewsRecordError | OSError, *, news_only: bool
) -> Result:
    """The `Result` of a file (or directory) at ``path`` that raised ``error``."""
    if isinstance(error, KindError):
        if not news_only:
            return ("other-kind", error.kind, ())
        return ("invalid", error.kind, _problems(error))
    if isinstance(error, ValidationError):
        return ("invalid", "news", _problems(error))
    if isinstance(error, FrontMatterError):
        problem = (error.line, error.column, "", error.code, error.message)
        return ("invalid", None, (problem,))
    if isinstance(error, OSError):
        if os.path.isdir(path):  # noqa: PTH112 (strings in, strings out)
            message = "cannot read the directory"
        else:
            message = f"cannot read the file: {error.strerror or error}"
        return ("unreadable", None, ((None, None, "", "unreadable", message),))
    problem = (error.line, error.column, "", error.code, str(error))  # pragma: no cover
    return ("invalid", None, (problem,))  # pragma: no cover (no other errors)


def _problems(error: ValidationError) -> tuple[Problem, ...]:
    """A problem per field error, and one that counts those past the limit."""
    problems = [
        (field.line, field.column, field.key_path, field.code, field.message)
        for field in error.errors
    ]
    if error.more:
        message = f"and at least {error.more} more problems"
        problems.append((None, None, "", "more-problems", message))
    return tuple(problems)


def check_files(paths: Sequence[str], *, strict: bool, news_only: bool) -> list[Result]:
    """Check a chunk of files: the unit of work sent to a worker process."""
    return [check_file(path, strict=strict, news_only=news_only) for path in paths]


def check_all(
    paths: Sequence[str], *, strict: bool, news_only: bool, jobs: int
) -> Iterator[list[Result]]:
    """Check ``paths`` with ``jobs`` worker processes; yield results in order.

    Few files, or one job, are checked in this process: starting workers costs
    more than it saves below a few dozen files. The first file is always checked
    here, so that the workers inherit whatever reading it set up.
    """
    work = functools.partial(check_files, strict=strict, news_only=news_only)
    jobs = max(1, min(jobs, len(paths) // _FILES_PER_WORKER))
    size = max(_CHUNK_MIN, min(_CHUNK_MAX, len(paths) // (jobs * 16)))
    if not paths:
        return
    yield work(paths[:1])
    chunks = [paths[start : start + size] for start in range(1, len(paths), size)]
    if jobs == 1:
        yield from map(work, chunks)
        return

    import multiprocessing  # noqa: PLC0415 (only needed with workers)
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    # Forking copies this process, modules and all, in milliseconds, and is safe
    # on Linux; elsewhere the platform's default start method is the safe one.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    pool = ProcessPoolExecutor(jobs, context, initializer=_ignore_interrupts)
    try:
        yield from pool.map(work, chunks)
    finally:
        # On ^C or an early exit, drop the chunks not started yet.
        pool.shutdown(wait=True, cancel_futures=True)


_FILES_PER_WORKER: Final = 32
_CHUNK_MIN: Final = 8
_CHUNK_MAX: Final = 256


def _ignore_interrupts() -> None:
    # Workers leave ^C to the main process, which stops them; a worker that took
    # it would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover (platforms without affinity)


def _wants_progress(count: int) -> bool:
    """A progress bar for many files, on a terminal only: never in a pipe or CI."""
    return (
        count >= PROGRESS_FROM
        and sys.stderr.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


# --- validate ------------------------------------------------------------------------


@attrs.define
class _Report:
    """What `validate` found, printed as it comes (text) or at the end (JSON)."""

    as_json: bool
    hold_lines: bool
    counts: dict[Status, int] = attrs.Factory(
        lambda: dict.fromkeys(("valid", "invalid", "other-kind", "unreadable"), 0)
    )
    records: list[dict[str, Any]] = attrs.Factory(list)
    lines: list[str] = attrs.Factory(list)

    def add(self, path: str, result: Result) -> None:
        status, kind, problems = result
        self.counts[status] += 1
        if self.as_json:
            self.records.append(_record_json(click.format_filename(path), result))
            return
        if status == "valid":
            return
        shown = click.format_filename(path)
        if status == "other-kind":
            self.lines.append(
                f"{shown}: not checked: a record of another kind ({kind})"
            )
        self.lines.extend(_problem_line(shown, problem) for problem in problems)
        if not self.hold_lines:
            self.flush()

    def flush(self) -> None:
        for line in self.lines:
            click.echo(line)
        self.lines.clear()

    def finish(self, seconds: float) -> int:
        """Print the summary (and the JSON document); return the exit status."""
        self.flush()
        counts = self.counts
        total = sum(counts.values())
        if self.as_json:
            summary = {
                "records": total,
                "valid": counts["valid"],
                "invalid": counts["invalid"],
                "other_kinds": counts["other-kind"],
                "unreadable": counts["unreadable"],
                "seconds": round(seconds, 3),
            }
            document = {"records": self.records, "summary": summary}
            click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            line = (
                f"{_count(total, 'record')}: {counts['valid']} valid, "
                f"{counts['invalid']} invalid, {counts['other-kind']} of other kinds"
            )
            if counts["unreadable"]:
                line += f", {counts['unreadable']} unreadable"
            click.echo(f"{line} ({seconds:.2f} s)", err=True)
        if counts["unreadable"]:
            return UNUSABLE
        return INVALID if counts["invalid"] else OK


def _problem_line(shown: str, problem: Problem) -> str:
    line, column, key_path, code, message = problem
    return FieldError(key_path, message, code, line, column).format(shown)


def _record_json(shown: str, result: Result) -> dict[str, Any]:
    status, kind, problems = result
    return {
        "path": shown,
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
    }


# What validate and fmt share: the paths, --exclude; and validate and show: --strict.
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


@cli.command()
@_paths
@_exclude
@_strict
@click.option(
    "--kind",
    type=click.Choice(["any", "news"]),
    default="any",
    show_default=True,
    help="any: records of other kinds are listed and counted, not checked; "
    "news: they are errors.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes.  [default: the number of CPUs]",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a line per problem, and a summary; json: one document.",
)
def validate(  # noqa: PLR0913 (one parameter per option, as click passes them)
    paths: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    strict: bool,
    kind: str,
    jobs: int | None,
    output: str,
) -> int:
    """Check the records in PATHS: files, and directories searched for *.md.

    Prints a line per problem, `path:line:column: key.path: message`, on standard
    output and a summary line on standard error. Records of other kinds are listed
    and counted, not checked, unless --kind news is given. Exit status: 0 all
    valid, 1 some invalid, 2 a path could not be read.
    """
    started = time.perf_counter()
    found = find_records(paths, exclude)
    progress = output == "text" and _wants_progress(len(found.files))
    # Lines wait for the bar to finish rather than tear through it.
    report = _Report(as_json=output == "json", hold_lines=progress)
    for directory in found.unreadable:
        problem = (None, None, "", "unreadable", "cannot read the directory")
        report.add(directory, ("unreadable", None, (problem,)))
    chunks = check_all(
        found.files,
        strict=strict,
        news_only=kind == "news",
        jobs=jobs or default_jobs(),
    )
    paths_in_order = iter(found.files)

    def take(advance: Callable[[int], object]) -> None:
        for chunk in chunks:
            for result in chunk:
                report.add(next(paths_in_order), result)
            advance(len(chunk))

    if progress:
        with click.progressbar(length=len(found.files), file=sys.stderr) as bar:
            take(bar.update)
    else:
        take(lambda _: None)
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
    if not reveal_secured:  # nested `secured` keys too, wherever they are
        front_matter = masked(front_matter)
        if article.secured is not None:
            front_matter["secured"] = _hidden(article)
    document = {"front_matter": front_matter, "body": article.body}
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False))
    return OK


def _load_or_report(path: str, *, strict: bool) -> Article | None:
    """The record in ``path``, or `None` after printing why it does not load."""
    try:
        return load(path, strict=strict)
    except NewsRecordError as exc:
        _echo_problems(path, exc)
    except OSError as exc:
        raise click.FileError(path, hint=exc.strerror or str(exc)) from exc
    return None


def _echo_problems(path: str, error: NewsRecordError) -> None:
    """Print a record's problems on standard error, a line each, as validate does."""
    shown = click.format_filename(path)
    if isinstance(error, ValidationError):
        problems = _problems(error)
    elif isinstance(error, FrontMatterError):
        problems = ((error.line, error.column, "", error.code, error.message),)
    else:  # pragma: no cover (every NewsRecordError is one of those two)
        problems = ((error.line, error.column, "", error.code, str(error)),)
    for problem in problems:
        click.echo(_problem_line(shown, problem), err=True)


def _hidden(article: Article) -> str:
    token = article.secured
    if token is None:
        return ""
    return (
        f"<hidden: {len(token.ciphertext)} bytes of ciphertext, "
        f"{len(token.iv)} bytes of IV>"
    )


def _summary(article: Article, *, reveal_secured: bool) -> str:
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
    if article.secured is not None:
        token = str(article.secured) if reveal_secured else _hidden(article)
        rows.append(("secured", token))
    if article.extra:
        rows.append(("other keys", ", ".join(article.extra)))
    body = article.body.strip()
    rows.append(("body", _count(len(body), "character") if body else "empty"))
    width = max(len(label) for label, _ in rows)
    lines = [article.title, *(f"  {label:<{width}}  {value}" for label, value in rows)]
    if article.excerpt:
        lines.insert(1, f"  {article.excerpt}")
    return "\n".join(lines)


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
def fmt(
    paths: tuple[str, ...], exclude: tuple[str, ...], *, check: bool, diff: bool
) -> int:
    """Rewrite the records in PATHS in the reference style, each file atomically.

    A record is written as if built from scratch: the format's key order, quoting,
    indentation and blank lines, LF line endings. Records of other kinds are left
    as they are. Exit status: 0 done (or nothing to change), 1 with --check or
    --diff when some file would change, 2 when a record cannot be read.
    """
    found = find_records(paths, exclude)
    for directory in found.unreadable:
        shown = click.format_filename(directory)
        click.echo(f"{shown}: cannot read the directory", err=True)
    outcomes = [
        _format_file(path, write=not (check or diff), diff=diff) for path in found.files
    ]
    changed = outcomes.count("changed")
    verb = "would be reformatted" if check or diff else "reformatted"
    line = (
        f"{_count(len(found.files), 'record')}: {changed} {verb}, "
        f"{outcomes.count('unchanged')} unchanged, "
        f"{outcomes.count('skipped')} of other kinds"
    )
    if "failed" in outcomes:
        line += f", {outcomes.count('failed')} not readable as news records"
    click.echo(line, err=True)
    if found.unreadable or "failed" in outcomes:
        return UNUSABLE
    if changed and (check or diff):
        return INVALID
    return OK


def _format_file(
    path: str, *, write: bool, diff: bool
) -> Literal["changed", "unchanged", "skipped", "failed"]:
    shown = click.format_filename(path)
    try:
        with open(path, "rb") as stream:  # noqa: PTH123 (strings in, strings out)
            data = stream.read()
        article = loads(data, path=path)
    except OSError as exc:
        click.echo(f"{shown}: cannot read the file: {exc.strerror or exc}", err=True)
        return "failed"
    except KindError as exc:
        click.echo(
            f"{shown}: left as is: a record of another kind ({exc.kind})", err=True
        )
        return "skipped"
    except NewsRecordError as exc:
        _echo_problems(path, exc)
        return "failed"
    fresh = attrs.evolve(article, _source=None)
    text = dumps(fresh)
    if text.encode("utf-8") == data:
        return "unchanged"
    if diff:
        before, after = _masked(article), _masked(loads(text))
        click.echo(_diff(shown, before, after), nl=False)
    if write:
        dump(fresh, path)
        click.echo(f"reformatted {shown}", err=True)
    else:
        click.echo(f"would reformat {shown}", err=diff)
    return "changed"


def _masked(article: Article) -> str:
    """The text of a record's file with its ``secured`` token shown by size only.

    A diff shows the lines that change, and the token's line changes when its
    quoting or escaping does; a diff is no place for a secret all the same. The
    quotes stay, and the size counts the value as written, so that such a change
    still shows.
    """
    # `loads` gives every record the document it was read from.
    document = cast("Document", article._source)  # noqa: SLF001 (the package's own)
    text = document.text
    if "secured" not in document.root:
        return text
    _, start, end = document.root.spans["secured"]
    value = text[start:end]
    quote = value[0] if value[:1] in {'"', "'"} and value.endswith(value[0]) else ""
    hidden = f"<hidden: {len(value) - 2 * len(quote)} characters>"
    return f"{text[:start]}{quote}{hidden}{quote}{text[end:]}"


def _diff(shown: str, before: str, after: str) -> str:
    import difflib  # noqa: PLC0415 (only for --diff)

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"{shown} (as it is)",
            tofile=f"{shown} (reformatted)",
        )
    )


# --- schema --------------------------------------------------------------------------


@cli.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Allow no key the model does not know (as validate --strict).",
)
def schema(*, strict: bool) -> int:
    """Print a JSON Schema (draft 2020-12) of a news record's front matter.

    For editors that check YAML files against a schema (with the VS Code YAML
    extension, save it as news-record.schema.json and map it to YAML files in the
    `yaml.schemas` setting; it does not read the front matter of Markdown files),
    and for checking front matter held as JSON.
    """
    from ._schema import json_schema  # noqa: PLC0415 (only for this command)

    click.echo(json.dumps(json_schema(strict=strict), ensure_ascii=False, indent=2))
    return OK


# --- export --------------------------------------------------------------------------


class _Unwritable(click.FileError):
    """The output file cannot be written: a path that cannot be used, status 2."""

    exit_code = UNUSABLE


@cli.command()
@_paths
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="The file to write: .jsonl for JSON Lines, .parquet for Parquet.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "parquet"]),
    default=None,
    help="The output's format.  [default: from the output's suffix]",
)
@_exclude
@_strict
@click.option(
    "--reveal-secured",
    is_flag=True,
    help="Export the `secured` token too (a secret: left out by default).",
)
def export(  # noqa: PLR0913 (one parameter per option, as click passes them)
    paths: tuple[str, ...],
    exclude: tuple[str, ...],
    *,
    output: str,
    output_format: str | None,
    strict: bool,
    reveal_secured: bool,
) -> int:
    """Write the news records in PATHS to one JSON Lines or Parquet file.

    PATHS are files, and directories searched for *.md as validate searches them.
    JSON Lines: a line per record, its front matter with the file's key names and
    its `path` and `body`. Parquet (needs the `parquet` extra): a typed column
    per key. Records that do not load are reported as validate reports them, and
    left out; the output is written whole or not at all. Exit status as validate.
    """
    started = time.perf_counter()
    try:
        chosen = format_of(output, output_format)
        if chosen == "parquet":
            parquet_module()
    except (ValueError, ModuleNotFoundError) as exc:
        raise click.UsageError(str(exc)) from exc
    report = _Report(as_json=False, hold_lines=False)

    def leave_out(path: str, error: NewsRecordError | OSError) -> None:
        report.add(path, failed_result(path, error, news_only=False))

    items = load_paths(paths, exclude=exclude, strict=strict)
    try:
        count = write(
            items,
            output,
            format=chosen,
            reveal_secured=reveal_secured,
            leave_out=leave_out,
        )
    except BrokenPipeError:
        raise  # standard output, not the output file
    except OSError as exc:
        raise _Unwritable(output, hint=exc.strerror or str(exc)) from exc
    report.counts["valid"] = count
    status = report.finish(time.perf_counter() - started)
    click.echo(
        f"wrote {_count(count, 'record')} to {click.format_filename(output)}", err=True
    )
    return status
