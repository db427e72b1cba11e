"""newsrecord against its peers: records per second, memory and import time.

Run ``python bench/run.py`` (``--quick`` for a smoke check in well under a minute).
It generates records shaped like the reference record with a fixed seed (see
``generate.py``), checks that newsrecord and every peer read them all and agree on
their values, then times, side by side in this one process, ways of getting a
validated typed record out of each file (see ``peers.py``):

- ``newsrecord.load``;
- python-frontmatter + cattrs into equivalent attrs classes;
- python-frontmatter + pydantic v2 models;
- msgspec's YAML decoder into Structs;
- PyYAML's C loader on the front matter alone (no types, no checks);
- reading the files alone;

and ``newsrecord.dumps`` against ``frontmatter.dumps``. Then, what a service that
loads a whole content repository sees: each row in fresh interpreters, the rows
taking turns (see ``kept.py``), keeps every record in one list, with the garbage
collector on (the headline), beside a loop that drops each record, with the
memory each kept record retains and the objects the collector must walk for it;
on the generated records, and on the real news records of
``../shared/corpus/real/news`` repeated to a few thousand files. The record
family (see ``kinds.py``): ``load_record`` on the corpus's real files of every
kind, against ``load`` on its news, per byte. The command line's ``newsrecord
validate -j 1`` and ``-j 2`` (when the console script is installed) are timed from
the outside, start-up included, on a larger set of records (20,000, the size of a
content repository), against ``newsrecord.load`` in a loop over the same files;
the start-up of one ``newsrecord validate`` is shown on its own. The exports and
Dask (see ``bulk.py``) read the same 20,000 records. ``newsrecord.load_dir`` with
one and two workers is timed the same way, each record used, from Python.

Every pass reads all the records once; the figure of a row is the median over the
passes of records per second. Passes take turns between the rows, the garbage
collector is run before each pass and switched off during it, the same for every
row. Then, in fresh interpreters: the peak memory while loading 100,000 records one
after another, and while ``load_dir`` loads a folder of 100,000 files (both must
stay flat), and the import time of newsrecord.

The output is Markdown: the machine, the versions, the tables, the ratios and
whether each target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.metadata
import json
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import bulk
import frontmatter
import kinds
import yaml
from generate import SEED, generate
from peers import load_cattrs, load_msgspec, load_pydantic, load_yaml, read_bytes

import newsrecord
from newsrecord._spec import LINK_ATTRIBUTES
from newsrecord._version import build

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

HERE: Final = Path(__file__).resolve().parent
NOT_AVAILABLE: Final = "not available"
#: Peak RSS may grow this much (MiB) over the memory check and still count as flat.
FLAT_MIB: Final = 1.0

LOAD: Final = "newsrecord.load"
CATTRS: Final = "python-frontmatter + cattrs"
PYDANTIC: Final = "python-frontmatter + pydantic"
MSGSPEC: Final = "msgspec.yaml.decode"
RAW_YAML: Final = "yaml.load(CSafeLoader), front matter only"
READ: Final = "Path.read_bytes only"
DUMPS: Final = "newsrecord.dumps"
FM_DUMPS: Final = "frontmatter.dumps"
CLI_1: Final = "newsrecord validate -j 1"
CLI_2: Final = "newsrecord validate -j 2"
LOAD_LOOP: Final = "newsrecord.load in a loop, in this process"
LOAD_DIR_LOOP: Final = "newsrecord.load in a loop over the folder's files"
LOAD_DIR_1: Final = "newsrecord.load_dir(workers=1)"
LOAD_DIR_2: Final = "newsrecord.load_dir(workers=2)"
LOAD_DIR_HALVES: Final = (
    "two processes, each a load loop over half the files, nothing sent back"
)
#: Files per subfolder of the folder that `load_dir`'s memory check loads.
PER_FOLDER: Final = 1000

LOADERS: Final[dict[str, Callable[[Path], object]]] = {
    LOAD: newsrecord.load,
    CATTRS: load_cattrs,
    PYDANTIC: load_pydantic,
    MSGSPEC: load_msgspec,
    RAW_YAML: load_yaml,
    READ: read_bytes,
}
VERSIONS: Final = (
    "newsrecord",
    "PyYAML",
    "python-frontmatter",
    "attrs",
    "cattrs",
    "pydantic",
    "pydantic-core",
    "msgspec",
)


class Settings(NamedTuple):
    """What one run measures, and how much of it."""

    records: int
    repeats: int
    cli_records: int
    rss_records: int
    corpus_records: int
    import_runs: int
    seed: int
    quick: bool

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> Settings:
        """The options given, and the defaults (full or quick) for the others."""
        quick: bool = args.quick
        return cls(
            records=args.records or (300 if quick else 2_000),
            repeats=args.repeats or (3 if quick else 7),
            cli_records=args.cli_records or (600 if quick else 20_000),
            rss_records=args.rss_records or (5_000 if quick else 100_000),
            corpus_records=args.corpus_records or (60 if quick else 3_000),
            import_runs=args.import_runs or (3 if quick else 9),
            seed=args.seed,
            quick=quick,
        )


def main() -> None:
    """Run the benchmark and print its report."""
    settings = Settings.from_arguments(_arguments())
    _print_header(settings)
    with tempfile.TemporaryDirectory(prefix="newsrecord-bench-") as temporary:
        directory = Path(temporary)
        paths = generate(directory, settings.records, seed=settings.seed)
        _check(paths)
        loads = _time_rows(
            {name: _loop(load, paths) for name, load in LOADERS.items()},
            len(paths),
            settings.repeats,
        )
        dumps = _time_dumps(paths, settings.repeats)
        kept = _kept(directory, settings.repeats)
        size = statistics.mean(path.stat().st_size for path in paths)
        corpus = directory / "corpus"
        kept_real, real = None, 0.0
        if _real_news(corpus, settings.corpus_records):
            kept_real = _kept(corpus, settings.repeats)
            real = statistics.mean(path.stat().st_size for path in corpus.glob("*.md"))
        # A content repository's size: the command line, exports and Dask.
        many = directory / "cli"
        many_paths = generate(many, settings.cli_records, seed=settings.seed)
        exports = _time_rows(
            bulk.export_rows(many_paths, directory / "exports"),
            len(many_paths),
            settings.repeats,
        )
        family = kinds.time_kinds(
            directory / "kinds", settings.corpus_records, settings.repeats
        )
        rss = _rss(directory, settings.rss_records)
        export_memory = bulk.export_memory(directory, settings.rss_records)
        cli = _time_cli(many, many_paths, settings)
        dask = _time_dask(many, many_paths, settings)
        folder = _time_load_dir(directory / "folder", settings)
        folder_rss = _rss_load_dir(paths, directory / "linked", settings.rss_records)
    imports = _import_time(settings.import_runs)
    _print_loads(loads, settings)
    _print_kept(f"Keeping all {settings.records:,} generated records", kept, size)
    title = f"Keeping {settings.corpus_records:,} real news records"
    if kept_real is None:
        print(f"## {title}\n\n{NOT_AVAILABLE}: no {REAL_NEWS}\n")
    else:
        _print_kept(f"{title} (the corpus's, repeated)", kept_real, real)
    kinds.print_table(family, settings.corpus_records)
    _print_dumps(dumps)
    _print_cli(cli, settings)
    bulk.print_tables(_table, exports, dask, export_memory, settings.cli_records)
    _print_load_dir(folder, folder_rss, settings)
    _print_memory(rss)
    _print_import(imports)
    _print_targets(loads, dumps, cli, rss)
    _print_kept_targets(kept, size)
    _print_bulk_targets(exports, dask, export_memory)
    _print_load_dir_targets(folder, folder_rss)
    kinds.print_targets(family)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, for a smoke check"
    )
    parser.add_argument(
        "--records", type=int, help="records to generate (2,000; quick: 300)"
    )
    parser.add_argument(
        "--repeats", type=int, help="timed passes over them per row (7; quick: 3)"
    )
    parser.add_argument(
        "--cli-records",
        type=int,
        help="records validated from the command line (20,000; quick: 600)",
    )
    parser.add_argument(
        "--rss-records",
        type=int,
        help="records loaded for the memory check (100,000; quick: 5,000)",
    )
    parser.add_argument(
        "--corpus-records",
        type=int,
        help="real news records, repeated, kept in a list (3,000; quick: 60)",
    )
    parser.add_argument(
        "--import-runs", type=int, help="fresh interpreters timed (9; quick: 3)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    return parser.parse_args()


# --- checking before timing ---------------------------------------------------------


def _check(paths: list[Path]) -> None:
    """Every record loads everywhere, and the typed peers agree with newsrecord."""
    for path in paths:
        expected = _summary(newsrecord.load(path))
        for name, load in LOADERS.items():
            record = load(path)
            if isinstance(record, tuple):  # msgspec's: a record and its body
                record = record[0]
            if name in {CATTRS, PYDANTIC, MSGSPEC} and _summary(record) != expected:
                msg = f"{name} reads {path.name} differently from newsrecord"
                raise SystemExit(msg)
    size = statistics.mean(path.stat().st_size for path in paths)
    print(
        f"Checked before timing: all {len(paths):,} records ({size:,.0f} bytes on "
        "average) load with every row, and the typed peers read the same values as "
        "newsrecord.\n"
    )


def _summary(record: Any) -> tuple[object, ...]:
    """The values every typed reader must agree on, in plain Python types."""

    def images(owner: Any) -> tuple[object, ...]:
        return tuple(
            (image.url, image.width, image.height, image.is_cached, image.title)
            for image in owner.images
        )

    return (
        record.category,
        record.title,
        record.excerpt,
        record.published_date_time,
        record.type,
        tuple(getattr(record, link) for link in LINK_ATTRIBUTES),
        record.quality,
        record.heat,
        record.published,
        (record.provider.name, record.provider.domain, images(record.provider)),
        tuple(record.topics),
        images(record),
        tuple(
            (
                related.title,
                related.excerpt,
                related.published_date_time,
                tuple(getattr(related, link) for link in LINK_ATTRIBUTES),
                related.provider.name,
                related.quality,
                images(related),
            )
            for related in record.related
        ),
        None if record.secured is None else str(record.secured),
    )


# --- timing -------------------------------------------------------------------------


def _loop(function: Callable[[Any], object], items: list[Any]) -> Callable[[], None]:
    def run() -> None:
        for item in items:
            function(item)

    return run


def _time_rows(
    rows: dict[str, Callable[[], None]], count: int, repeats: int
) -> dict[str, float]:
    """Records per second of each row: the median of ``repeats`` timed passes.

    The rows take turns, starting one later each round, so that a slow spell of a
    shared machine falls on all of them alike.
    """
    names = list(rows)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            rates[name].append(count / _timed(rows[name]))
    return {name: statistics.median(values) for name, values in rates.items()}


def _timed(run: Callable[[], None]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def _time_dumps(paths: list[Path], repeats: int) -> dict[str, float | None]:
    """``newsrecord.dumps`` (when it exists) and ``frontmatter.dumps``, same records."""
    posts = [frontmatter.load(path) for path in paths]
    rows = {FM_DUMPS: _loop(frontmatter.dumps, posts)}
    dumps: Callable[[Any], str] | None = getattr(newsrecord, "dumps", None)
    if dumps is not None:
        articles = [newsrecord.load(path) for path in paths]
        for article in articles:
            dumps(article)  # a record it cannot write stops the run here, untimed
        rows = {DUMPS: _loop(dumps, articles), **rows}
    rates: dict[str, float | None] = {DUMPS: None}
    rates.update(_time_rows(rows, len(paths), repeats))
    return rates


# --- the command line ------------------------------------------------------------
# `newsrecord validate -j N` over a set of records the size of a content repository,
# timed from the outside (start-up included) when the console script is installed.
# Targets: `-j 2` gives 1.7x the records/s of `-j 1`, and `-j 1` stays within 1.2x
# of `load` in a loop over the same files.


class CommandLine(NamedTuple):
    """The console script timed, its rows' records/s, and its start-up in seconds."""

    script: str
    rates: dict[str, float]
    start_up: float


def _command() -> str | None:
    beside = Path(sys.executable).parent
    script = shutil.which("newsrecord", path=str(beside)) or shutil.which("newsrecord")
    if script is None:
        return None
    probe = subprocess.run(  # noqa: S603 (our own console script)
        [script, "validate", "--help"], capture_output=True, check=False
    )
    return script if probe.returncode == 0 else None


def _time_cli(
    directory: Path, paths: list[Path], settings: Settings
) -> CommandLine | None:
    """Records/s of ``-j 1``, ``-j 2`` and a `load` loop over ``paths``."""
    script = _command()
    if script is None:
        return None

    def validate(*arguments: str) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(  # noqa: S603 (our own console script)
                [script, "validate", *arguments],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                msg = f"`newsrecord validate {' '.join(arguments)}` failed:\n"
                raise SystemExit(msg + done.stdout + done.stderr)

        return run

    rows = {
        LOAD_LOOP: _loop(newsrecord.load, paths),
        CLI_1: validate("-j", "1", str(directory)),
        CLI_2: validate("-j", "2", str(directory)),
    }
    rates = _time_rows(rows, len(paths), settings.repeats)
    one = validate(str(paths[0]))
    start_up = statistics.median(_timed(one) for _ in range(settings.repeats))
    return CommandLine(script, rates, start_up)


# --- records kept in a list, each row in a fresh interpreter -------------------------

#: The real news records, relative to the checkout.
REAL_NEWS: Final = HERE.parent.parent / "shared" / "corpus" / "real" / "news"


class Kept(NamedTuple):
    """One row's figures from ``kept.py``, or why it has none."""

    kept: float | None = None  #: records/s, all kept in one list
    dropped: float | None = None  #: records/s, each dropped at once
    bytes: float | None = None  #: bytes retained per kept record
    objects: float | None = None  #: GC-tracked objects per kept record
    error: str | None = None


#: Fresh interpreters per row of records kept, taking turns between the rows.
KEPT_ROUNDS: Final = 3


def _kept(directory: Path, repeats: int) -> dict[str, Kept]:
    """The figures of every row over the ``*.md`` files of ``directory``.

    Each row runs in `KEPT_ROUNDS` fresh interpreters, the rows taking turns, as
    the passes of the other tables do: a machine that slows down for a while
    slows every row alike. A row's speeds are the medians of all its passes;
    its memory is measured in its first interpreter.
    """
    passes = -(-repeats // KEPT_ROUNDS)
    found: dict[str, dict[str, Any]] = {}
    for round_ in range(KEPT_ROUNDS):
        for name in LOADERS:
            if "error" in found.get(name, {}):
                continue
            arguments = [name, str(directory), str(passes), str(int(round_ == 0))]
            done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
                [sys.executable, str(HERE / "kept.py"), *arguments],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(done.stdout)
            row = found.setdefault(name, {"kept": [], "dropped": []})
            if "error" in figures:
                row["error"] = figures["error"]
                continue
            row["kept"] += figures.pop("kept")
            row["dropped"] += figures.pop("dropped")
            row.update(figures)
    return {
        name: Kept(error=row["error"])
        if "error" in row
        else Kept(
            kept=statistics.median(row["kept"]),
            dropped=statistics.median(row["dropped"]),
            bytes=row["bytes"],
            objects=row["objects"],
        )
        for name, row in found.items()
    }


def _real_news(directory: Path, total: int) -> bool:
    """Fill ``directory`` with ``total`` copies of the real news records, if found."""
    sources = sorted(REAL_NEWS.glob("*.md")) if REAL_NEWS.is_dir() else []
    if not sources:
        return False
    directory.mkdir()
    for index in range(total):
        data = sources[index % len(sources)].read_bytes()
        (directory / f"{index:06d}.md").write_bytes(data)
    return True


def _time_dask(
    directory: Path, paths: list[Path], settings: Settings
) -> tuple[dict[str, float], float] | None:
    """Records/s of a `load` loop and of Dask over ``directory``'s ``paths``."""
    with bulk.dask_rows(directory, paths) as dask:
        if dask is None:
            return None
        return _time_rows(dask.rows, len(paths), settings.repeats), dask.start_up


# --- a folder from Python -------------------------------------------------------
# `newsrecord.load_dir` with one and two workers over a folder the size of a content
# repository, each record used, against `newsrecord.load` in a loop over the same
# files. Targets: `workers=2` gives 1.7x the records/s of `workers=1`, and
# `workers=1` stays within 1.2x of the loop. Beside them, what two processes do
# when each loads half the files and nothing comes back: the most two workers can
# give on this machine, with no record to send. Then the peak memory of a fresh
# interpreter while `load_dir` loads `--rss-records` files: it must stay flat.


def _time_load_dir(directory: Path, settings: Settings) -> dict[str, float]:
    """Records/s of a `load` loop and of `load_dir` with 1 and 2 workers."""
    paths = generate(directory, settings.cli_records, seed=settings.seed)

    def loop() -> None:
        _load_all(paths)

    def folder(workers: int) -> Callable[[], None]:
        def run() -> None:
            for result in newsrecord.load_dir(directory, workers=workers):
                _use(result.record)

        return run

    def halves() -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        processes = [
            context.Process(target=_load_all, args=(paths[start::2],))
            for start in (0, 1)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
            if process.exitcode != 0:
                msg = "a process loading half the folder failed"
                raise SystemExit(msg)

    rows = {
        LOAD_DIR_LOOP: loop,
        LOAD_DIR_1: folder(1),
        LOAD_DIR_2: folder(2),
        LOAD_DIR_HALVES: halves,
    }
    return _time_rows(rows, len(paths), settings.repeats)


def _load_all(paths: list[Path]) -> None:
    for path in paths:
        _use(newsrecord.load(path))


def _use(record: newsrecord.Record | None) -> None:
    if record is None:
        msg = "a generated record does not load"
        raise SystemExit(msg)


def _rss_load_dir(sources: list[Path], folder: Path, total: int) -> list[Checkpoint]:
    """The memory at the checkpoints of ``rss_dir.py`` over ``total`` files.

    The files are hard links to ``sources``, in subfolders of `PER_FOLDER`, as a
    content repository is laid out: no disk space, and every file read anew.
    """
    for index in range(total):
        subfolder = folder / f"{index // PER_FOLDER:04}"
        if index % PER_FOLDER == 0:
            subfolder.mkdir(parents=True)
        (subfolder / f"{index:07}.md").hardlink_to(sources[index % len(sources)])
    done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, str(HERE / "rss_dir.py"), str(folder), "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [Checkpoint(**json.loads(line)) for line in done.stdout.splitlines()]


def _print_load_dir(
    rates: dict[str, float], rss: list[Checkpoint], settings: Settings
) -> None:
    _table(
        f"Loading a folder of {settings.cli_records:,} records from Python",
        rates.items(),
        rates[LOAD_DIR_LOOP],
    )
    print(f"Peak RSS of `load_dir(workers=2)` over {rss[-1].records:,} files, MiB: ")
    print(
        ", ".join(
            f"{point.peak_kib / 1024:.1f} after {point.records:,}" for point in rss
        )
        + "\n"
    )


def _print_load_dir_targets(rates: dict[str, float], rss: list[Checkpoint]) -> None:
    _target(
        f"{LOAD_DIR_2} >= 1.7x {LOAD_DIR_1}",
        rates[LOAD_DIR_2] / rates[LOAD_DIR_1],
        at_least=1.7,
    )
    _target(
        f"{LOAD_DIR_LOOP} <= 1.2x {LOAD_DIR_1}",
        rates[LOAD_DIR_LOOP] / rates[LOAD_DIR_1],
        at_most=1.2,
    )
    _flat("peak RSS of load_dir", "files", rss)
    ceiling = rates[LOAD_DIR_HALVES] / rates[LOAD_DIR_1]
    print(
        f"- for comparison, not a target: {LOAD_DIR_HALVES}: {ceiling:.2f}x "
        f"{LOAD_DIR_1}"
    )


# --- fresh interpreters -------------------------------------------------------------


class Checkpoint(NamedTuple):
    """Memory after loading ``records`` records: peak and current RSS in KiB."""

    records: int
    peak_kib: int
    current_kib: int | None


def _rss(directory: Path, total: int) -> list[Checkpoint]:
    """The memory at the checkpoints of ``rss.py``, run in a fresh interpreter."""
    done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, str(HERE / "rss.py"), str(directory), str(total)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [Checkpoint(**json.loads(line)) for line in done.stdout.splitlines()]


def _import_time(runs: int) -> float:
    """The median cumulative import time of newsrecord in µs (``-X importtime``)."""
    command = [sys.executable, "-X", "importtime", "-c", "import newsrecord"]
    times = []
    for run in range(runs + 1):
        done = subprocess.run(  # noqa: S603 (this interpreter)
            command, capture_output=True, text=True, check=True
        )
        if run:  # the first run may write bytecode caches: not timed
            times.append(_cumulative(done.stderr, "newsrecord"))
    return statistics.median(times)


def _cumulative(report: str, module: str) -> float:
    for line in report.splitlines():
        match = re.fullmatch(r"import time:\s*\d+ \|\s*(\d+) \| (.*)", line)
        if match and match.group(2).strip() == module:
            return float(match.group(1))
    msg = f"no import of {module} in -X importtime's report"
    raise SystemExit(msg)


# --- the report -------------------------------------------------------------------


def _print_header(settings: Settings) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"# newsrecord benchmark, {now}{' (quick)' if settings.quick else ''}\n")
    print(f"- machine: {_cpu()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"- load average at start: {load} (a busy machine gives noisy figures)")
    print(
        f"- Python {platform.python_version()} "
        f"({platform.python_implementation()}, {sys.executable})"
    )
    libyaml = "with" if getattr(yaml, "__with_libyaml__", False) else "WITHOUT"
    versions = ", ".join(f"{name} {_version(name)}" for name in VERSIONS)
    print(f"- {versions} (PyYAML {libyaml} libyaml)")
    print(f"- newsrecord's build: {build()} (`newsrecord --version` says it too)")
    print(
        f"- {settings.records:,} records (seed {settings.seed}), "
        f"median of {settings.repeats} passes; garbage collector off during a pass\n"
    )


def _cpu() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or platform.machine()
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.machine()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return NOT_AVAILABLE


def _table(
    title: str, rows: Iterable[tuple[str, float | None]], reference: float | None
) -> None:
    print(f"## {title}\n")
    print("| row | records/s | µs/record | newsrecord ÷ row |")
    print("| --- | ---: | ---: | ---: |")
    for name, rate in rows:
        if rate is None:
            print(f"| {name} | {NOT_AVAILABLE} | | |")
            continue
        ratio = "" if reference is None else f"{reference / rate:.2f}x"
        print(f"| {name} | {rate:,.0f} | {1e6 / rate:,.1f} | {ratio} |")
    print()


def _print_loads(loads: dict[str, float], settings: Settings) -> None:
    _table(
        f"Loading {settings.records:,} records, one file after another",
        loads.items(),
        loads[LOAD],
    )


def _print_kept(title: str, kept: dict[str, Kept], size: float) -> None:
    print(f"## {title}, each row in fresh interpreters\n")
    print(
        f"Each row in {KEPT_ROUNDS} fresh interpreters, the rows taking turns; "
        "the median of all its passes. "
        "Garbage collector on, as in a program. Kept: every record in one list "
        "(the headline); dropped: each record let go at once. Retained: the memory "
        f"still held per kept record (the files are {size:,.0f} bytes on "
        "average); objects: how many the collector tracks per kept record.\n"
    )
    print(
        "| row | kept records/s | newsrecord ÷ row | dropped records/s "
        "| retained KiB/record | ÷ file size | GC objects/record |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    reference = kept[LOAD].kept
    for name, row in kept.items():
        if row.kept is None or row.dropped is None:
            print(f"| {name} | {NOT_AVAILABLE} ({row.error}) | | | | | |")
            continue
        ratio = "" if reference is None else f"{reference / row.kept:.2f}x"
        retained = row.bytes or 0.0
        print(
            f"| {name} | {row.kept:,.0f} | {ratio} | {row.dropped:,.0f} "
            f"| {retained / 1024:.1f} | {retained / size:.2f}x "
            f"| {row.objects or 0.0:.1f} |"
        )
    print()


def _print_dumps(dumps: dict[str, float | None]) -> None:
    _table("Writing the same records back to text", dumps.items(), dumps[DUMPS])


def _print_cli(cli: CommandLine | None, settings: Settings) -> None:
    title = (
        f"Validating {settings.cli_records:,} records from the command line "
        "(start-up included)"
    )
    if cli is None:
        _table(title, [(LOAD_LOOP, None), (CLI_1, None), (CLI_2, None)], None)
        return
    _table(f"{title}, `{cli.script}`", cli.rates.items(), cli.rates[LOAD_LOOP])
    print(
        f"Start-up: `newsrecord validate` of one record takes "
        f"{cli.start_up * 1e3:.0f} ms (median).\n"
    )


def _print_memory(rss: list[Checkpoint]) -> None:
    print("## Memory while loading records one after another (fresh interpreter)\n")
    print("| records loaded | peak RSS (MiB) | RSS now (MiB) |")
    print("| ---: | ---: | ---: |")
    for point in rss:
        label = "after import" if point.records == 0 else f"{point.records:,}"
        now = "" if point.current_kib is None else f"{point.current_kib / 1024:.1f}"
        print(f"| {label} | {point.peak_kib / 1024:.1f} | {now} |")
    print()


def _growth(rss: list[Checkpoint]) -> tuple[int, int, float]:
    """From the tenth of the records to all of them: the counts and MiB gained."""
    tenth, last = rss[-3], rss[-1]
    return tenth.records, last.records, (last.peak_kib - tenth.peak_kib) / 1024


def _print_import(imports: float) -> None:
    print("## Import\n")
    print(f"`import newsrecord`: {imports / 1000:.1f} ms (median, -X importtime)\n")


def _print_targets(
    loads: dict[str, float],
    dumps: dict[str, float | None],
    cli: CommandLine | None,
    rss: list[Checkpoint],
) -> None:
    print("## Targets\n")
    load = loads[LOAD]
    _target(
        f"{LOAD} >= 4x {CATTRS} (below 3x: not done)",
        load / loads[CATTRS],
        at_least=4.0,
    )
    _target(f"{LOAD} >= 2x {RAW_YAML}", load / loads[RAW_YAML], at_least=2.0)
    written, peer = dumps[DUMPS], dumps[FM_DUMPS]
    if written is None or peer is None:
        print(f"- {NOT_AVAILABLE}: {DUMPS} >= {FM_DUMPS}")
    else:
        _target(f"{DUMPS} >= {FM_DUMPS}", written / peer, at_least=1.0)
    if cli is None:
        print(f"- {NOT_AVAILABLE}: {CLI_2} >= 1.7x {CLI_1}")
        print(f"- {NOT_AVAILABLE}: {LOAD_LOOP} <= 1.2x {CLI_1}")
    else:
        rates = cli.rates
        _target(f"{CLI_2} >= 1.7x {CLI_1}", rates[CLI_2] / rates[CLI_1], at_least=1.7)
        _target(
            f"{LOAD_LOOP} <= 1.2x {CLI_1}",
            rates[LOAD_LOOP] / rates[CLI_1],
            at_most=1.2,
        )
    _flat("peak RSS", "records", rss)


def _flat(what: str, unit: str, rss: list[Checkpoint]) -> None:
    """The target that ``what`` stays flat over the checkpoints of ``rss``."""
    tenth, total, growth = _growth(rss)
    flat = growth <= FLAT_MIB
    print(
        f"- {'met' if flat else 'NOT MET'}: {what} flat from {tenth:,} to "
        f"{total:,} {unit} (at most {FLAT_MIB} MiB more): {growth:+.1f} MiB"
    )


def _print_kept_targets(kept: dict[str, Kept], size: float) -> None:
    """The targets of the records kept in a list, on the generated records."""
    load, peer = kept[LOAD], kept[CATTRS]
    if load.kept is None or peer.kept is None:
        print(f"- {NOT_AVAILABLE}: kept in a list, {LOAD} >= 4x {CATTRS}")
    else:
        # The target of the build measured: 4x compiled, 2.5x in pure Python.
        measured = build()
        least = 4.0 if measured == "compiled" else 2.5
        _target(
            f"kept in a list, {LOAD} >= {least:g}x {CATTRS} ({measured})",
            load.kept / peer.kept,
            at_least=least,
        )
    _target(
        f"{LOAD} retains <= 2.5x the file's size per kept record",
        (load.bytes or 0.0) / size,
        at_most=2.5,
    )
    objects = load.objects or 0.0
    met = objects <= 15
    print(
        f"- {'met' if met else 'NOT MET'}: {LOAD} adds <= 15 GC-tracked objects "
        f"per kept record: {objects:.1f}"
    )


def _print_bulk_targets(
    exports: dict[str, float],
    dask: tuple[dict[str, float], float] | None,
    memory: list[bulk.Memory],
) -> None:
    for what, ratio, at_least, at_most in bulk.targets(exports, dask, memory, FLAT_MIB):
        if ratio is None:
            print(f"- {NOT_AVAILABLE}: {what}")
        elif at_most is not None and at_least is None:
            met = ratio <= at_most
            print(f"- {'met' if met else 'NOT MET'}: {what}: {ratio:+.1f} MiB")
        else:
            _target(what, ratio, at_least=at_least, at_most=at_most)


def _target(
    what: str,
    ratio: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
) -> None:
    met = (at_least is None or ratio >= at_least) and (
        at_most is None or ratio <= at_most
    )
    print(f"- {'met' if met else 'NOT MET'}: {what}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
