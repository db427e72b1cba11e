"""Generate news records shaped like the reference record, with a fixed seed.

Each record is written in the format's own style (two-space indentation, one blank
line before every later top-level block, double-quoted titles, excerpts and tokens,
plain names, topics, numbers and timestamps). The records vary the way real ones do:
0 to 4 related articles with 0 to 3 images each, 1 to 5 topics, both namings of the
links (``sourceUrl``/``ampUrl``/``cdnAmpUrl``, and ``originalUrl``/``webUrl``/
``ampWebUrl``/``cdnAmpWebUrl`` with plain or quoted URLs), provider logos, top-level
images, videos, a few CRLF files and a few bodies.

Run ``python bench/generate.py DIRECTORY --records N`` to write a set by hand; the
benchmark calls `generate` itself.
"""

from __future__ import annotations

import argparse
import base64
import random
from pathlib import Path
from typing import Final

#: The seed of every benchmark run: the same records, run after run.
SEED: Final = 20191223

_WORDS: Final = (
    "facebook",
    "twitter",
    "group",
    "network",
    "campaign",
    "researchers",
    "government",
    "messages",
    "faces",
    "artificial",
    "intelligence",
    "machine",
    "learning",
    "model",
    "data",
    "cloud",
    "platform",
    "security",
    "privacy",
    "update",
    "release",
    "preview",
    "users",
    "developers",
    "open",
    "source",
    "startup",
    "funding",
    "market",
    "energy",
    "power",
    "station",
    "tidal",
    "harbour",
    "city",
    "climate",
    "report",
    "study",
    "results",
    "first",
    "year",
    "tests",
    "prototype",
    "design",
    "engineers",
    "apps",
    "teams",
    "canvas",
    "service",
    "studio",
    "presigned",
    "private",
    "api",
    "authentication",
    "image",
    "search",
    "detection",
    "algorithm",
    "video",
    "stream",
    "billion",
    "million",
    "week",
    "new",
    "launch",
    "feature",
    "support",
    "announce",
    "growth",
    "deal",
    "court",
    "ruling",
    "health",
    "vaccine",
    "chip",
    "processor",
    "battery",
    "electric",
    "car",
    "autonomous",
    "robot",
    "space",
    "rocket",
    "satellite",
)
_ACCENTED: Final = ("café", "naïve", "Zürich", "São Paulo", "résumé", "\u2019s")
_PROVIDERS: Final = (
    ("Mint", "livemint.com"),
    ("scmp.com", "scmp.com"),
    ("Santa Rosa Press Democrat", "pressdemocrat.com"),
    ("The Daily Dot", "dailydot.com"),
    ("The Financial Times", "ft.com"),
    ("AWS", "aws.amazon.com"),
    ("Microsoft", "microsoft.com"),
    ("Example Energy News", "example.com"),
    ("Dave's Tech Tips", "davestechtips.example.net"),
    ("Broken Arrow, OK", "brokenarrow.example.org"),
    ("Northern Ledger", "northernledger.example.co.uk"),
    ("TechRadar", "techradar.com"),
)
_TOPICS: Final = (
    "AI",
    "Facebook AI",
    "Power Apps",
    "Canvas apps",
    "Teams integration",
    "AWS AI",
    "Machine Learning",
    "Energy",
    "Tidal power",
    "Privacy",
    "Security",
    "Cloud",
)
_SECTIONS: Final = (
    "tech",
    "business",
    "science",
    "news/world",
    "blogs/machine-learning",
)
_SIZES: Final = ((600, 337), (800, 533), (1022, 512), (1280, 720), (1600, 1600))


def generate(directory: Path, count: int, *, seed: int = SEED) -> list[Path]:
    """Write ``count`` records into ``directory``; their paths, in order."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        text, newline = render(rng)
        path = directory / f"{index:06d}-{_slug(rng, 4)}.md"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        paths.append(path)
    return paths


def render(rng: random.Random) -> tuple[str, str]:
    """One record's text (with LF line endings) and the line ending to write it in."""
    naming = rng.choice(("source", "web"))
    quoted = naming == "web" and rng.random() < 0.6
    kind = "video" if rng.random() < 0.1 else "article"
    provider = rng.choice(_PROVIDERS)
    lines = [
        "---",
        "category: news",
        f"title: {_quote(_title(rng))}",
        f"excerpt: {_quote(_excerpt(rng))}",
        f"publishedDateTime: {_timestamp(rng)}",
        *_links(rng, provider[1], naming, kind, quoted, indent=""),
        f"type: {kind}",
    ]
    if naming == "source" or rng.random() < 0.9:
        lines += [
            f"quality: {rng.randint(0, 150)}",
            f"heat: {rng.choice((-1, rng.randint(-89, 150)))}",
            f"published: {rng.choice(('true', 'false'))}",
        ]
    lines += ["", *_provider(rng, provider, quoted, indent="")]
    lines += ["", "topics:"]
    lines += [f"  - {topic}" for topic in rng.sample(_TOPICS, rng.randint(1, 5))]
    if naming == "web" and rng.random() < 0.6:
        lines += ["", "images:"]
        for _ in range(rng.randint(1, 2)):
            lines += _image(rng, provider[1], quoted, indent="  ", titled=True)
    related = rng.randint(0, 4)
    if related:
        lines += ["", "related:"]
        for _ in range(related):
            lines += _related(rng, naming, quoted)
    lines += ["", f"secured: {_quote(token(rng))}", "---", ""]
    text = "\n".join(lines) + _body(rng)
    newline = "\r\n" if rng.random() < 0.25 else "\n"
    return text, newline


def token(rng: random.Random) -> str:
    """A fake ``secured`` token of the real shape: ``<base64 ciphertext>;<base64 IV>``.

    The ciphertext is 224 to 400 bytes, a multiple of 16; the IV is 16 bytes.
    """
    ciphertext = rng.randbytes(16 * rng.randint(14, 25))
    iv = rng.randbytes(16)
    return f"{base64.b64encode(ciphertext).decode()};{base64.b64encode(iv).decode()}"


def _related(rng: random.Random, naming: str, quoted: bool) -> list[str]:  # noqa: FBT001
    provider = rng.choice(_PROVIDERS)
    lines = [
        f"  - title: {_quote(_title(rng))}",
        f"    excerpt: {_quote(_excerpt(rng))}",
        f"    publishedDateTime: {_timestamp(rng)}",
        *_links(rng, provider[1], naming, "article", quoted, indent="    "),
        "    type: article",
        *_provider(rng, provider, quoted, indent="    ", logos=False),
        f"    quality: {rng.randint(0, 150)}",
    ]
    images = rng.randint(0, 3)
    if images:
        lines.append("    images:")
        for _ in range(images):
            lines += _image(rng, provider[1], quoted, indent="      ", titled=False)
    return lines


def _links(  # noqa: PLR0913 (one line per choice the format makes)
    rng: random.Random,
    domain: str,
    naming: str,
    kind: str,
    quoted: bool,  # noqa: FBT001
    *,
    indent: str,
) -> list[str]:
    url = f"https://www.{domain}/{rng.choice(_SECTIONS)}/{_slug(rng, 6, 14)}"
    if rng.random() < 0.3:
        url += f"-{rng.randint(10_000_000, 99_999_999)}.html"
    amp = url + rng.choice(("/amp", "?amp=1", "?view=AMP"))
    cdn = f"https://{domain.replace('.', '-')}.cdn.ampproject.org/c/s/{amp[8:]}"
    if naming == "source":
        pairs = [("sourceUrl", url), ("ampUrl", amp), ("cdnAmpUrl", cdn)]
    else:
        pairs = []
        if kind == "video" or rng.random() < 0.6:
            pairs.append(("originalUrl", url.replace("www.", "feeds.", 1)))
        if kind != "video":
            pairs.append(("webUrl", url))
        if rng.random() < 0.5:
            pairs += [("ampWebUrl", amp), ("cdnAmpWebUrl", cdn)]
    return [f"{indent}{key}: {_url(value, quoted)}" for key, value in pairs]


def _provider(
    rng: random.Random,
    provider: tuple[str, str],
    quoted: bool,  # noqa: FBT001
    *,
    indent: str,
    logos: bool = True,
) -> list[str]:
    name, domain = provider
    lines = [
        f"{indent}provider:",
        f"{indent}  name: {name}",
        f"{indent}  domain: {domain}",
    ]
    if logos and rng.random() < 0.4:
        url = f"/assets/images/organizations/{domain}-50x50.jpg"
        if rng.random() < 0.5:
            url = "https://example.github.io/news" + url
        lines += [
            f"{indent}  images:",
            f"{indent}    - url: {_url(url, quoted)}",
            f"{indent}      width: 50",
            f"{indent}      height: 50",
        ]
    return lines


def _image(
    rng: random.Random,
    domain: str,
    quoted: bool,  # noqa: FBT001
    *,
    indent: str,
    titled: bool,
) -> list[str]:
    width, height = rng.choice(_SIZES)
    path = f"img/{rng.randint(2015, 2023)}/{rng.randint(1, 12):02d}/{width}x{height}"
    if rng.random() < 0.2:
        path += "//cached"
    url = f"https://images.{domain}/{path}/{_slug(rng, 3, 9)}.jpg"
    lines = [
        f"{indent}- url: {_url(url, quoted)}",
        f"{indent}  width: {width}",
        f"{indent}  height: {height - rng.randint(0, 1)}",
    ]
    if rng.random() < 0.3:
        lines.append(f"{indent}  isCached: true")
    if titled and rng.random() < 0.5:
        lines.append(f"{indent}  title: {_quote(_title(rng))}")
    return lines


def _title(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 16))]
    roll = rng.random()
    if roll < 0.1:
        words.insert(rng.randrange(len(words)), f'"{rng.choice(_WORDS)}"')
    elif roll < 0.2:
        words.insert(rng.randrange(len(words)), rng.choice(_ACCENTED))
    elif roll < 0.3:
        words.insert(rng.randrange(1, len(words)), "|")
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _excerpt(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return ""
    sentences = [
        _title(rng) + rng.choice((".", ".", ":", ",")) for _ in range(rng.randint(1, 4))
    ]
    return " ".join(sentences)[:300].rstrip() + " ..."


def _timestamp(rng: random.Random) -> str:
    return (
        f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    )


def _slug(rng: random.Random, least: int, most: int | None = None) -> str:
    count = least if most is None else rng.randint(least, most)
    return "-".join(rng.choice(_WORDS) for _ in range(count))


def _body(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return "\n"
    paragraphs = [f"<p>{_excerpt(rng)}</p>" for _ in range(rng.randint(1, 3))]
    return "\n" + "\n".join(paragraphs) + "\n\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _url(url: str, quoted: bool) -> str:  # noqa: FBT001
    return _quote(url) if quoted else url


def main() -> None:
    """Write a set of records: ``python bench/generate.py DIRECTORY [--records N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    paths = generate(args.directory, args.records, seed=args.seed)
    print(f"wrote {len(paths)} records into {args.directory}")


if __name__ == "__main__":
    main()
