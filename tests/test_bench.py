"""The benchmark in bench/: its records, its peers and its harness (not its figures).

How fast anything is shows in the benchmark's own output, never here: these tests
check that the generator writes the records it promises, that the peers check what
newsrecord checks, and that a quick run of the harness prints every row.
"""

from __future__ import annotations

import base64
import importlib
import random
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import cattrs
import msgspec
import pytest

import newsrecord

if TYPE_CHECKING:
    from collections.abc import Iterator

BENCH = Path(__file__).resolve().parents[1] / "bench"
#: The shared corpus's real records, which the record family's rows read.
REAL = BENCH.parents[1] / "shared" / "corpus" / "real"
RECORDS = 60

# A small news record of our own, in the format's style, for the peers' checks.
RECORD = """\
---
category: news
title: "Harbour city opens its first tidal power station"
excerpt: "The station turns the tide into power ..."
publishedDateTime: 2024-03-18T07:30:00Z
sourceUrl: https://www.example.com/energy/tidal-power-station
type: article
quality: 64
heat: -3
published: true

provider:
  name: Example Energy News
  domain: example.com

topics:
  - Energy

related:
  - title: "Tidal turbines: what the first year of tests showed"
    excerpt: ""
    publishedDateTime: 2023-11-02T15:05:00Z
    sourceUrl: https://news.example.org/science/tidal-turbines
    type: article
    provider:
      name: Example Science
      domain: example.org
    quality: 50
    images:
      - url: https://images.example.org/img/turbines.jpg
        width: 600
        height: 337

secured: "{token}"
---

"""

# Each edit makes the record wrong in a way that newsrecord refuses.
BROKEN = {
    "quoted integer": ("quality: 64", 'quality: "64"'),
    "bool for an integer": ("heat: -3", "heat: true"),
    "integer beyond 32 bits": ("heat: -3", "heat: -3000000000"),
    "negative size": ("width: 600", "width: -600"),
    "timestamp without timezone": ("2024-03-18T07:30:00Z", "2024-03-18T07:30:00"),
    "link that is no URL": ("https://www.example.com/", "www.example.com/"),
    "wrong category": ("category: news", "category: blog"),
    "missing provider name": ("  name: Example Energy News\n", ""),
    "token in one part": (";", ""),
}


@pytest.fixture(scope="module")
def bench() -> Iterator[SimpleNamespace]:
    """The benchmark's modules, imported as the script imports them."""
    names = ("generate", "peers", "run")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))
        yield SimpleNamespace(**{name: importlib.import_module(name) for name in names})
    for name in names:
        sys.modules.pop(name, None)


@pytest.fixture(scope="module")
def records(bench: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A small generated set: its paths, in order."""
    return bench.generate.generate(tmp_path_factory.mktemp("records"), RECORDS)


@pytest.fixture
def record(bench: SimpleNamespace) -> str:
    """`RECORD` with a well-formed token."""
    rng = random.Random(1)  # noqa: S311 (test data, not a secret)
    return RECORD.replace("{token}", bench.generate.token(rng))


class TestGenerate:
    def test_a_seed_gives_the_same_records(
        self, bench: SimpleNamespace, tmp_path: Path
    ) -> None:
        """The same seed writes the same bytes; another seed writes others."""
        first = bench.generate.generate(tmp_path / "a", 5, seed=7)
        again = bench.generate.generate(tmp_path / "b", 5, seed=7)
        other = bench.generate.generate(tmp_path / "c", 5, seed=8)
        texts = [[path.read_bytes() for path in paths] for paths in (first, again)]
        assert texts[0] == texts[1]
        assert texts[0] != [path.read_bytes() for path in other]

    def test_every_record_loads(self, records: list[Path]) -> None:
        """Every generated record is a news record that loads strictly."""
        for path in records:
            assert newsrecord.load(path, strict=True).category == "news"

    def test_records_vary_as_promised(self, records: list[Path]) -> None:
        """The set reaches every count and both namings of links and line endings."""
        articles = [newsrecord.load(path) for path in records]
        related = {len(article.related) for article in articles}
        images = {len(item.images) for article in articles for item in article.related}
        topics = {len(article.topics) for article in articles}
        assert related == set(range(5))
        assert images == set(range(4))
        assert topics == set(range(1, 6))
        assert any(article.source_url for article in articles)
        assert any(article.cdn_amp_web_url for article in articles)
        assert any(article.body.strip() for article in articles)
        texts = [path.read_bytes() for path in records]
        assert any(b"\r\n" in text for text in texts)
        assert any(b"\r\n" not in text for text in texts)
        assert any(b'webUrl: "https://' in text for text in texts)
        assert any(b"webUrl: https://" in text for text in texts)

    def test_records_are_in_the_reference_style(self, records: list[Path]) -> None:
        """Top-level keys come in the format's order, the later blocks after a blank."""
        order = [
            *("category", "title", "excerpt", "publishedDateTime"),
            *("sourceUrl", "ampUrl", "cdnAmpUrl"),
            *("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl"),
            *("type", "quality", "heat", "published"),
            *("provider", "topics", "images", "related", "secured"),
        ]
        for path in records:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            front_matter = text.split("\n---\n", 1)[0]
            keys = re.findall(r"^(\w+):", front_matter, re.MULTILINE)
            assert keys == sorted(keys, key=order.index)
            for key in ("provider", "topics", "secured"):
                assert f"\n\n{key}:" in front_matter
            assert "\n\n\n" not in front_matter

    def test_tokens_have_the_real_shape(self, bench: SimpleNamespace) -> None:
        """A token's ciphertext is 224 to 400 bytes in 16-byte blocks, its IV 16."""
        rng = random.Random(3)  # noqa: S311 (test data, not a secret)
        sizes = set()
        for _ in range(200):
            ciphertext, iv = bench.generate.token(rng).split(";")
            sizes.add(len(base64.b64decode(ciphertext, validate=True)))
            assert len(base64.b64decode(iv, validate=True)) == 16
        assert min(sizes) == 224
        assert max(sizes) == 400
        assert all(size % 16 == 0 for size in sizes)


class TestPeers:
    def test_peers_agree_with_newsrecord(
        self, bench: SimpleNamespace, records: list[Path]
    ) -> None:
        """Every peer reads every generated record, the typed ones to equal values."""
        bench.run._check(records)

    @pytest.mark.parametrize("edit", BROKEN.values(), ids=list(BROKEN))
    def test_peers_refuse_what_newsrecord_refuses(
        self, bench: SimpleNamespace, record: str, edit: tuple[str, str], tmp_path: Path
    ) -> None:
        """A record that newsrecord refuses is refused by every typed peer too."""
        path = tmp_path / "record.md"
        path.write_text(record.replace(*edit, 1), encoding="utf-8")
        with pytest.raises(newsrecord.NewsRecordError):
            newsrecord.load(path)
        peers = bench.peers
        errors = (ValueError, cattrs.BaseValidationError, msgspec.ValidationError)
        for load in (peers.load_cattrs, peers.load_pydantic, peers.load_msgspec):
            with pytest.raises(errors):
                load(path)

    def test_the_unbroken_record_loads_everywhere(
        self, bench: SimpleNamespace, record: str, tmp_path: Path
    ) -> None:
        """The record the broken ones come from is read alike by every typed peer."""
        path = tmp_path / "record.md"
        path.write_text(record, encoding="utf-8")
        bench.run._check([path])


class TestRun:
    def test_quick_run_prints_every_row(self, tmp_path: Path) -> None:
        """A tiny quick run prints each row, with a figure or as not available."""
        fake = tmp_path / "bin" / "newsrecord"
        fake.parent.mkdir()
        # A stand-in for the command line, for when the real one is not installed.
        fake.write_text(
            f"#!{sys.executable}\n"
            "import pathlib, sys\n"
            "args = sys.argv[1:]\n"
            "ok = args == ['validate', '--help'] or (\n"
            "    args[:2] == ['validate', '-j'] and pathlib.Path(args[3]).is_dir())\n"
            "sys.exit(0 if ok else 2)\n",
            encoding="utf-8",
        )
        fake.chmod(0o755)
        path = f"{fake.parent}:/usr/bin:/bin"
        command = [sys.executable, str(BENCH / "run.py"), "--quick", "--records", "12"]
        command += ["--repeats", "1", "--rss-records", "40", "--import-runs", "1"]
        command += ["--corpus-records", "20"]
        done = subprocess.run(  # noqa: S603 (this interpreter, our script)
            command,
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": path},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        figure = r"[\d,]+ \| [\d,.]+ \| [\d.]+x"
        rows = {
            "newsrecord.load": figure,
            "python-frontmatter + cattrs": figure,
            "python-frontmatter + pydantic": figure,
            "msgspec.yaml.decode": figure,
            "yaml.load(CSafeLoader), front matter only": figure,
            "Path.read_bytes only": figure,
            "newsrecord.dumps": f"{figure}|not available \\| \\|",
            "frontmatter.dumps": f"{figure}|[\\d,]+ \\| [\\d,.]+ \\| ",
            "newsrecord validate -j 1": figure,
            "newsrecord validate -j 2": figure,
            "newsrecord.load in a loop over the folder's files": figure,
            "newsrecord.load_dir(workers=1)": figure,
            "newsrecord.load_dir(workers=2)": figure,
            "two processes, each a load loop over half the files, nothing sent back": (
                figure
            ),
            "after import": r"[\d.]+ \| [\d.]*",
            "40": r"[\d.]+ \| [\d.]*",
            "load + to_dict + json.dumps, a line per record": figure,
            "newsrecord.export to JSON Lines (default workers)": figure,
            "newsrecord.export to Parquet (default workers)": figure,
            "newsrecord.load in a loop, counting records by provider": figure,
            "newsrecord.load_dir(workers=1) of their folder, the same count": figure,
            "newsrecord.dask on a LocalCluster of 2 processes, the same count": figure,
            "the same, every record also sent back to this process": figure,
            "jsonl": r"4 \| [\d.]+ \| 40 \| [\d.]+",
            "parquet": r"4 \| [\d.]+ \| 40 \| [\d.]+",
        }
        if REAL.is_dir():  # the record family's rows, from the corpus
            for row in ("every kind", "news"):
                rows[f"newsrecord.load_record, {row}"] = r"[\d.]+"
            rows["newsrecord.load, news"] = r"[\d.]+"
        for row, value in rows.items():
            line = rf"^\| {re.escape(row)} \| (?:{value}) \|$"
            assert re.search(line, done.stdout, re.MULTILINE), row
        targets = re.findall(
            r"^- (met|NOT MET|not available): ", done.stdout, re.MULTILINE
        )
        assert len(targets) == 19
        assert re.search(
            r"^- for comparison, not a target: two processes, each a load loop over "
            r"half the files, nothing sent back: [\d.]+x "
            r"newsrecord.load_dir\(workers=1\)$",
            done.stdout,
            re.MULTILINE,
        )
        assert re.search(
            r"^Peak RSS of `load_dir\(workers=2\)` over 40 files, MiB: ",
            done.stdout,
            re.MULTILINE,
        )
        kept = r"[\d,]+ \| [\d.]+x \| [\d,]+ \| [\d.]+ \| [\d.]+x \| [\d.]+"
        assert re.search(
            rf"^\| newsrecord.load \| {kept} \|$", done.stdout, re.MULTILINE
        )
        assert re.search(
            r"^## Keeping all 12 generated records", done.stdout, re.MULTILINE
        )
        assert re.search(r"^`import newsrecord`: [\d.]+ ms", done.stdout, re.MULTILINE)

    @pytest.mark.parametrize(
        "case",
        [
            ("compiled", 3.9, "NOT MET"),
            ("compiled", 4.1, "met"),
            ("pure Python", 2.4, "NOT MET"),
            ("pure Python", 2.6, "met"),
        ],
    )
    def test_the_kept_target_is_the_builds(
        self,
        bench: SimpleNamespace,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        case: tuple[str, float, str],
    ) -> None:
        """Kept in a list: 4x for the compiled build, 2.5x for pure Python."""
        built, ratio, said = case
        run = bench.run
        monkeypatch.setattr(run, "build", lambda: built)
        kept = {
            run.LOAD: run.Kept(kept=ratio * 1000, bytes=1.0, objects=1.0),
            run.CATTRS: run.Kept(kept=1000.0, bytes=1.0, objects=1.0),
        }
        run._print_kept_targets(kept, 1.0)
        line = capsys.readouterr().out.splitlines()[0]
        assert line.startswith(f"- {said}: kept in a list")
        assert line.endswith(f"({built}): {ratio:.2f}x")

    def test_dumps_is_timed_beside_frontmatter(
        self,
        bench: SimpleNamespace,
        records: list[Path],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """When newsrecord.dumps exists, it writes every loaded record each pass."""
        written: list[newsrecord.Article] = []

        def dumps(article: newsrecord.Article) -> str:
            written.append(article)
            return article.title

        monkeypatch.setattr(newsrecord, "dumps", dumps, raising=False)
        rates = bench.run._time_dumps(records, 2)
        assert set(rates) == {"newsrecord.dumps", "frontmatter.dumps"}
        assert all(rate > 0 for rate in rates.values())
        assert len(written) == 3 * len(records)  # one untimed pass, then two
        assert {article.title for article in written} == {
            newsrecord.load(path).title for path in records
        }
