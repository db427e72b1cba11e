"""Writing records back: byte-exact round trips, minimal edits, fresh records."""

from __future__ import annotations

import datetime as dt
import difflib
import pickle
import re
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from conftest import REFERENCE, corpus_files, needs_corpus, valid_files
from newsrecord._compare import same
from newsrecord._model import ReadOnlyMapping, source_of, without_source
from newsrecord._render import EXTRA, FIELDS, double_quoted, plain_ok, timestamp_text
from newsrecord._scalars import resolve
from records import unchecked
from strategies import TRICKY_TEXTS, articles, odd_texts, styled_texts, timestamps

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "record.md"
TOKEN = newsrecord.SecuredToken(bytes(range(32)), bytes(range(16)))


def read_text(path: Path) -> str:
    """A file's exact text: no newline translation, the BOM kept."""
    return path.read_bytes().decode("utf-8")


def diff(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """The line changes from ``before`` to ``after``: (tag, old lines, new lines)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        (tag, old[i1:i2], new[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def edit(text: str, change: Callable[[newsrecord.Article], newsrecord.Article]) -> str:
    """Load ``text``, change the record, write it, and check it reads back."""
    changed = change(newsrecord.loads(text))
    written = newsrecord.dumps(changed)
    assert newsrecord.loads(written) == changed
    return written


def kept(items: dict[str, Any], article: newsrecord.Article) -> ReadOnlyMapping:
    """Unknown keys that keep the file's text of ``article``, as `extra` does."""
    return ReadOnlyMapping(items, source=source_of(article))


def evolve(record: T, **changes: Any) -> T:
    # attrs.evolve accepts any attrs instance; T is any record class here.
    return attrs.evolve(record, **changes)  # type: ignore[misc]


def round_trip_files() -> list[Path]:
    """Every file whose byte-exact round trip is counted."""
    corpus = [REFERENCE, *corpus_files("news")] if REFERENCE.is_file() else []
    return [*corpus, *valid_files()]


SIMPLE = """\
---
category: news
title: "Solar farm opens"
excerpt: "A summary ..."
publishedDateTime: 2023-05-04T09:15:00Z
sourceUrl: https://news.example.net/solar
type: article
quality: 48
published: true

provider:
  name: Example Solar Weekly
  domain: news.example.net

topics:
  - Energy

related:
  - title: "First"
    excerpt: "One"
    publishedDateTime: 2023-05-01T00:00:00Z
    sourceUrl: https://a.example.net/1
    type: article
    provider:
      name: A
      domain: a.example.net
    quality: 1
    images:
      - url: https://a.example.net/1.jpg
        width: 10
        height: 20
  - title: "Second"
    excerpt: "Two"
    publishedDateTime: 2023-05-02T00:00:00Z
    sourceUrl: https://b.example.net/2
    type: article
    provider:
      name: B
      domain: b.example.net
    quality: 2
    images:
      - url: https://b.example.net/2.jpg
        width: 30
        height: 40

secured: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=;AAECAwQFBgcICQoLDA0ODw=="
---
<p>Body.</p>
"""


class TestByteExact:
    @pytest.mark.parametrize("path", round_trip_files(), ids=lambda path: path.name)
    def test_unchanged_record_is_its_file(self, path: Path) -> None:
        """An unchanged record is written back byte for byte as its file."""
        assert newsrecord.dumps(newsrecord.load(path)).encode("utf-8") == (
            path.read_bytes()
        )

    def test_count(self, record_property: Callable[[str, object], None]) -> None:
        """Every counted file round-trips; the count is printed in the summary."""
        paths = round_trip_files()
        exact = sum(
            newsrecord.dumps(newsrecord.load(path)).encode("utf-8") == path.read_bytes()
            for path in paths
        )
        corpus = "with" if REFERENCE.is_file() else "without"
        record_property(
            "summary",
            f"byte-exact round trips ({corpus} the shared corpus): "
            f"{exact}/{len(paths)} files",
        )
        assert exact == len(paths)

    def test_valid_files_cover_the_oddities(self) -> None:
        """The project's own files hold each oddity the format describes."""
        texts = {path.name: read_text(path) for path in valid_files()}
        everything = "".join(texts.values())
        assert any("\r\n" in text for text in texts.values())
        assert any(text.startswith("\ufeff") for text in texts.values())
        assert any(text.endswith("---") for text in texts.values())
        assert "  domain: \n" in everything
        assert "\n  \n" in everything
        assert "\n\n---\n" in everything
        assert "\n\n\nsecured" in everything
        assert "\n# " in everything
        assert 'originalUrl: "' in everything
        assert '\\"' in everything
        assert "-2147483648" in everything
        assert "//" in everything.replace("://", "")
        assert "\t" in everything

    def test_text_input_gives_text(self) -> None:
        """A record loaded from text (not bytes) is written back as that text."""
        assert newsrecord.dumps(newsrecord.loads(SIMPLE)) == SIMPLE


class TestFromScratch:
    @needs_corpus
    def test_reference_style(self) -> None:
        """The reference record built from scratch is written as its file."""
        article = newsrecord.load(REFERENCE)
        assert newsrecord.dumps(without_source(article)) == read_text(REFERENCE)

    def test_example_style(self) -> None:
        """The example record, in the reference style, is written as its file."""
        article = newsrecord.load(EXAMPLE)
        assert newsrecord.dumps(without_source(article)) == read_text(EXAMPLE)

    def test_every_field(self) -> None:
        """A record with every field is written in the format's key order."""
        image = newsrecord.Image(
            url="/a.png", width=1, height=2, is_cached=True, title="Logo"
        )
        provider = newsrecord.Provider(
            name="P",
            domain="p.example",
            images=(image,),
            authors=(newsrecord.Author("Ann"),),
            publishers=(newsrecord.Publisher("Pub", "pub.example"),),
        )
        related = newsrecord.RelatedArticle(
            title="R",
            excerpt="E",
            published_date_time=dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            type="article",
            provider=provider,
            web_url="https://r.example/",
            quality=3,
            images=(image,),
        )
        article = newsrecord.Article(
            category="news",
            title="T",
            excerpt="",
            published_date_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            type="video",
            provider=provider,
            original_url="https://o.example/",
            web_url="https://w.example/",
            quality=1,
            heat=-2,
            published=False,
            featured_content='<iframe src="x"></iframe>',
            topics=("AI", "NO"),
            images=(image,),
            related=(related,),
            secured=TOKEN,
            body="<p>x</p>\n",
            extra=MappingProxyType({"price": "Free"}),
        )
        text = newsrecord.dumps(article)
        keys = re.findall(r"^(\w+):", text, re.MULTILINE)
        assert keys == [
            "category",
            "title",
            "excerpt",
            "publishedDateTime",
            "originalUrl",
            "webUrl",
            "type",
            "quality",
            "heat",
            "published",
            "featuredContent",
            "provider",
            "topics",
            "images",
            "related",
            "price",
            "secured",
        ]
        assert "\n\nfeaturedContent: " in text
        assert 'featuredContent: "<iframe src=\\"x\\"></iframe>"\n' in text
        assert '  - "NO"\n' in text
        assert "    - url: /a.png\n      width: 1\n" in text
        assert '      isCached: true\n      title: "Logo"\n' in text
        assert '  - title: "R"\n    excerpt: "E"\n' in text
        assert text.startswith("---\ncategory: news\n")
        assert text.endswith(f'\n\nsecured: "{TOKEN}"\n---\n<p>x</p>\n')
        assert newsrecord.loads(text) == article

    def test_empty_body(self) -> None:
        """A record without a body ends with its closing delimiter line."""
        article = evolve(without_source(newsrecord.loads(SIMPLE)), body="")
        assert newsrecord.dumps(article).endswith('=="\n---\n')

    def test_every_field_class_is_written(self) -> None:
        """The writer knows every attribute of every record class."""
        for model, fields in FIELDS.items():
            written = {field.attr for field in fields}
            assert EXTRA in fields
            assert written | {"body"} >= {field.name for field in attrs.fields(model)}


class TestEdits:
    def test_scalar_changes_one_line(self) -> None:
        """A changed title rewrites its own line and nothing else."""
        written = edit(
            SIMPLE, lambda a: evolve(a, title='New: "quoted" # not a comment')
        )
        assert diff(SIMPLE, written) == [
            (
                "replace",
                ['title: "Solar farm opens"\n'],
                ['title: "New: \\"quoted\\" # not a comment"\n'],
            )
        ]

    def test_nested_value_changes_one_line(self) -> None:
        """An image width inside related[1] rewrites only that line."""

        def change(article: newsrecord.Article) -> newsrecord.Article:
            second = article.related[1]
            image = evolve(second.images[0], width=31)
            return evolve(
                article, related=(article.related[0], evolve(second, images=(image,)))
            )

        assert diff(SIMPLE, edit(SIMPLE, change)) == [
            ("replace", ["        width: 30\n"], ["        width: 31\n"])
        ]

    @needs_corpus
    def test_reference_nested_width(self) -> None:
        """In the reference record, related[1].images[0].width is one line."""
        text = read_text(REFERENCE)

        def change(article: newsrecord.Article) -> newsrecord.Article:
            second = article.related[1]
            image = evolve(second.images[0], width=801)
            return evolve(
                article, related=(article.related[0], evolve(second, images=(image,)))
            )

        assert diff(text, edit(text, change)) == [
            ("replace", ["        width: 800\n"], ["        width: 801\n"])
        ]

    def test_removed_key_takes_its_line(self) -> None:
        """Removing an optional scalar removes its line only."""
        written = edit(SIMPLE, lambda a: evolve(a, quality=None))
        assert diff(SIMPLE, written) == [("delete", ["quality: 48\n"], [])]

    def test_removed_block_takes_its_blank_line(self) -> None:
        """Removing a block removes its lines and the blank line of its group."""
        written = edit(SIMPLE, lambda a: evolve(a, topics=()))
        assert diff(SIMPLE, written) == [
            ("delete", ["\n", "topics:\n", "  - Energy\n"], [])
        ]

    def test_removed_last_block(self) -> None:
        """Removing the token, the last block, leaves the frame as it was."""
        written = edit(SIMPLE, lambda a: evolve(a, secured=None))
        assert written.endswith("        height: 40\n---\n<p>Body.</p>\n")
        assert len(diff(SIMPLE, written)) == 1

    def test_group_blank_line_stays_while_the_group_lives(self) -> None:
        """Removing the first key of a group keeps the group's blank line."""
        text = SIMPLE.replace("\nprovider:", "\nheat: 3\nprovider:")
        text = text.replace("published: true\n\nheat", "published: true\n\nheat")
        written = edit(text, lambda a: evolve(a, heat=None))
        assert diff(text, written) == [("delete", ["heat: 3\n"], [])]
        assert "published: true\n\nprovider:\n" in written

    def test_added_key_follows_the_key_order(self) -> None:
        """An added scalar goes where the format's key order puts it."""
        written = edit(SIMPLE, lambda a: evolve(a, heat=-5))
        assert diff(SIMPLE, written) == [("insert", [], ["heat: -5\n"])]
        assert "quality: 48\nheat: -5\npublished: true\n" in written

    def test_added_block_gets_a_blank_line(self) -> None:
        """An added block goes in its place, after one blank line."""
        image = newsrecord.Image(url="https://x.example/i.png", width=5, height=6)
        written = edit(SIMPLE, lambda a: evolve(a, images=(image,)))
        assert diff(SIMPLE, written) == [
            (
                "insert",
                [],
                [
                    "\n",
                    "images:\n",
                    "  - url: https://x.example/i.png\n",
                    "    width: 5\n",
                    "    height: 6\n",
                ],
            )
        ]
        assert "  - Energy\n\nimages:\n" in written
        assert "    height: 6\n\nrelated:\n" in written

    def test_added_link_follows_the_era(self) -> None:
        """An added URL is quoted like the file's other links."""
        path = next(p for p in valid_files() if p.name == "quoted-second-naming.md")
        text = read_text(path)
        written = edit(text, lambda a: evolve(a, source_url="https://s.example/a"))
        assert diff(text, written) == [
            ("insert", [], ['sourceUrl: "https://s.example/a"\n'])
        ]
        written = edit(SIMPLE, lambda a: evolve(a, web_url="https://w.example/a"))
        assert diff(SIMPLE, written) == [
            ("insert", [], ["webUrl: https://w.example/a\n"])
        ]

    def test_added_nested_keys(self) -> None:
        """Keys added to a nested record take its indentation."""

        def change(article: newsrecord.Article) -> newsrecord.Article:
            first = article.related[0]
            provider = evolve(first.provider, authors=(newsrecord.Author("Ann"),))
            image = evolve(first.images[0], is_cached=True)
            return evolve(
                article,
                related=(
                    evolve(first, provider=provider, images=(image,)),
                    article.related[1],
                ),
            )

        assert diff(SIMPLE, edit(SIMPLE, change)) == [
            ("insert", [], ["      authors:\n", "        - name: Ann\n"]),
            ("insert", [], ["        isCached: true\n"]),
        ]

    def test_list_items_removed_and_added(self) -> None:
        """Removing a related item deletes its lines; adding a topic adds one."""
        written = edit(SIMPLE, lambda a: evolve(a, related=a.related[1:]))
        assert [tag for tag, _, _ in diff(SIMPLE, written)] == ["delete"]
        assert len(diff(SIMPLE, written)[0][1]) == 13
        written = edit(SIMPLE, lambda a: evolve(a, topics=(*a.topics, "Solar")))
        assert diff(SIMPLE, written) == [("insert", [], ["  - Solar\n"])]
        written = edit(SIMPLE, lambda a: evolve(a, topics=("First", *a.topics)))
        assert diff(SIMPLE, written) == [("insert", [], ["  - First\n"])]

    def test_line_endings_and_bom_are_kept(self) -> None:
        """An edit of a CRLF file with a BOM writes CRLF lines and keeps the BOM."""
        text = "\ufeff" + SIMPLE.replace("\n", "\r\n")
        written = edit(text, lambda a: evolve(a, heat=1, title="T", topics=()))
        assert written.startswith("\ufeff---\r\n")
        assert "\n" not in written.replace("\r\n", "")
        assert "quality: 48\r\nheat: 1\r\n" in written

    def test_quoting_of_the_source_is_kept(self) -> None:
        """A changed value keeps the quoting it had, where it can."""
        text = SIMPLE.replace('title: "Solar farm opens"', "title: 'Solar'")
        text = text.replace(
            "sourceUrl: https://news.example.net/solar",
            'sourceUrl: "https://news.example.net/solar"',
        )
        written = edit(
            text,
            lambda a: evolve(
                a,
                title="It's",
                source_url="https://n.example/",
                provider=evolve(a.provider, name="Dave's Tech Tips"),
            ),
        )
        assert "title: 'It''s'\n" in written
        assert 'sourceUrl: "https://n.example/"\n' in written
        assert "  name: Dave's Tech Tips\n" in written

    def test_plain_value_quoted_when_it_must_be(self) -> None:
        """A plain field gets quotes when its new text would read as another type."""
        written = edit(
            SIMPLE, lambda a: evolve(a, provider=evolve(a.provider, name="NO"))
        )
        assert diff(SIMPLE, written) == [
            ("replace", ["  name: Example Solar Weekly\n"], ['  name: "NO"\n'])
        ]

    def test_empty_value_filled(self) -> None:
        """A key with nothing after its colon gets a value, no stray space."""
        text = SIMPLE.replace("  domain: news.example.net\n", "  domain: \n")
        written = edit(
            text, lambda a: evolve(a, provider=evolve(a.provider, domain="d"))
        )
        assert diff(text, written) == [("replace", ["  domain: \n"], ["  domain: d\n"])]

    def test_comments_are_kept(self) -> None:
        """Comments on their own line and after a changed value are kept."""
        text = SIMPLE.replace("quality: 48\n", "# numbers\nquality: 48  # of 100\n")
        written = edit(text, lambda a: evolve(a, quality=50))
        assert diff(text, written) == [
            ("replace", ["quality: 48  # of 100\n"], ["quality: 50  # of 100\n"])
        ]

    def test_body_change(self) -> None:
        """A new body replaces only the text after the closing delimiter."""
        written = edit(SIMPLE, lambda a: evolve(a, body=""))
        assert written == SIMPLE.removesuffix("<p>Body.</p>\n")

    def test_body_after_a_closing_line_without_newline(self) -> None:
        """A body added after a closing line that had no newline gets one."""
        text = SIMPLE.removesuffix("\n<p>Body.</p>\n")
        assert text.endswith("---")
        written = edit(text, lambda a: evolve(a, body="<p>x</p>"))
        assert written == text + "\n<p>x</p>"

    def test_timestamp_offset_change_is_written(self) -> None:
        """The same moment with another offset is a change, and is written."""
        later = dt.timezone(dt.timedelta(hours=2))
        written = edit(
            SIMPLE,
            lambda a: evolve(
                a, published_date_time=a.published_date_time.astimezone(later)
            ),
        )
        assert diff(SIMPLE, written) == [
            (
                "replace",
                ["publishedDateTime: 2023-05-04T09:15:00Z\n"],
                ["publishedDateTime: 2023-05-04T11:15:00+02:00\n"],
            )
        ]

    def test_unknown_keys(self) -> None:
        """Unknown keys are kept, changed in place, removed and added."""
        text = SIMPLE.replace("published: true\n", "published: true\nprice: Free\n")
        text = text.replace("\nsecured:", "\nlevels:\n  - Beginner\n\nsecured:")
        written = edit(
            text,
            lambda a: evolve(
                a, extra=kept({"price": "$5", "levels": ("A", "B"), "rating": 4.5}, a)
            ),
        )
        assert diff(text, written) == [
            ("replace", ["price: Free\n"], ["price: $5\n"]),
            (
                "replace",
                ["  - Beginner\n"],
                ["  - A\n", "  - B\n", "\n", "rating: 4.5\n"],
            ),
        ]
        written = edit(text, lambda a: evolve(a, extra=kept({}, a)))
        assert diff(text, written) == [
            ("delete", ["price: Free\n"], []),
            ("delete", ["levels:\n", "  - Beginner\n", "\n"], []),
        ]

    def test_flow_style_is_rewritten_whole(self) -> None:
        """A changed flow collection is rewritten in block style."""
        text = SIMPLE.replace("topics:\n  - Energy\n", "topics: [Energy, Sun]\n")
        written = edit(text, lambda a: evolve(a, topics=("Energy",)))
        assert diff(text, written) == [
            ("replace", ["topics: [Energy, Sun]\n"], ["topics:\n", "  - Energy\n"])
        ]
        text = SIMPLE.replace(
            "provider:\n  name: Example Solar Weekly\n  domain: news.example.net\n",
            "provider: {name: P, domain: p.example}\n",
        )
        written = edit(text, lambda a: evolve(a, provider=evolve(a.provider, name="Q")))
        assert "provider:\n  name: Q\n  domain: p.example\n" in written

    def test_aliases_are_not_edited_through(self) -> None:
        """In a file with an alias, an edit changes only what it should."""
        text = SIMPLE.replace(
            "    provider:\n      name: A\n      domain: a.example.net\n",
            "    provider: &a\n      name: A\n      domain: a.example.net\n",
        )
        text = text.replace(
            "    provider:\n      name: B\n      domain: b.example.net\n",
            "    provider: *a\n",
        )
        article = newsrecord.loads(text)
        assert article.related[1].provider.name == "A"

        def change(article: newsrecord.Article) -> newsrecord.Article:
            first = article.related[0]
            provider = evolve(first.provider, name="Changed")
            return evolve(
                article, related=(evolve(first, provider=provider), article.related[1])
            )

        written = edit(text, change)
        assert newsrecord.loads(written).related[1].provider.name == "A"

    def test_reordered_keys(self) -> None:
        """A file with its own key order keeps it, and added keys find a place."""
        text = SIMPLE.replace(
            'title: "Solar farm opens"\nexcerpt: "A summary ..."\n',
            'excerpt: "A summary ..."\ntitle: "Solar farm opens"\n',
        )
        written = edit(text, lambda a: evolve(a, web_url="https://w.example/"))
        assert diff(text, written) == [("insert", [], ["webUrl: https://w.example/\n"])]
        assert written.index("webUrl") > written.index("sourceUrl")

    def test_removing_the_first_key_of_a_list_item(self) -> None:
        """A list item whose first key goes is rewritten, and reads back right."""
        text = SIMPLE.replace(
            "      - url: https://a.example.net/1.jpg\n        width: 10\n"
            "        height: 20\n",
            "      - isCached: true\n        url: https://a.example.net/1.jpg\n"
            "        width: 10\n        height: 20\n",
        )

        def change(article: newsrecord.Article) -> newsrecord.Article:
            first = article.related[0]
            image = evolve(first.images[0], is_cached=None)
            return evolve(
                article, related=(evolve(first, images=(image,)), article.related[1])
            )

        written = edit(text, change)
        assert (
            "      - url: https://a.example.net/1.jpg\n        width: 10\n" in written
        )


class TestScalars:
    @pytest.mark.parametrize(
        "text",
        [
            "Mint",
            "Dave's Tech Tips",
            "Broken Arrow, OK",
            "-x",
            "a#b",
            "a:b",
            "東京",
            "https://e.example/a?b=c#d",
        ],
    )
    def test_plain(self, text: str) -> None:
        """Text that reads back as itself, plain, is written plain."""
        assert plain_ok(text)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            " a",
            "a ",
            "true",
            "NO",
            "null",
            "~",
            "1",
            "-1",
            "0x1F",
            "1.5",
            ".inf",
            "2019-12-23",
            "a: b",
            "a:",
            "a #b",
            "- a",
            "-",
            "#a",
            "*a",
            "&a",
            "!a",
            "'a",
            '"a',
            "[a",
            "{a",
            "|",
            ">",
            "%a",
            "@a",
            "`a",
            "?",
            ":",
            "a\tb",
            "a\nb",
            "\x85",
            "\u2028",
            "\ufeff",
            "<<",
            "=",
            "---",
            "--- a",
            "...",
            "... a",
        ],
    )
    def test_not_plain(self, text: str) -> None:
        """Text YAML would read otherwise, or could not read plain, is not plain."""
        assert not plain_ok(text)

    def test_double_quoted_escapes(self) -> None:
        """Double quotes escape like JSON and keep non-ASCII raw."""
        assert double_quoted('a "b" \\ c\nd\re\tf\x00\x7f\u2028é') == (
            '"a \\"b\\" \\\\ c\\nd\\re\\tf\\u0000\\u007f\\u2028é"'
        )

    def test_timestamp_text(self) -> None:
        """Timestamps: Z for UTC, an offset otherwise, fractions only when there."""
        assert timestamp_text(dt.datetime(2019, 12, 23, tzinfo=dt.UTC)) == (
            "2019-12-23T00:00:00Z"
        )
        minus_eight = dt.timezone(-dt.timedelta(hours=8))
        assert timestamp_text(dt.datetime(2019, 12, 8, 9, 5, 1, 500, minus_eight)) == (
            "2019-12-08T09:05:01.0005-08:00"
        )
        odd = dt.timezone(dt.timedelta(hours=1, seconds=30))
        assert timestamp_text(dt.datetime(2019, 1, 1, 1, 0, 30, tzinfo=odd)) == (
            "2019-01-01T00:00:00Z"
        )

    @given(odd_texts())
    def test_any_text_reads_back(self, text: str) -> None:
        """Any text in any string field, or as a topic, reads back identically."""
        article = newsrecord.loads(SIMPLE)
        changed = evolve(
            article,
            title=text,
            featured_content=text,
            topics=(text,),
            provider=evolve(article.provider, name=text, domain=text),
            extra={}
            if any(f.key == text for f in FIELDS[newsrecord.Article])
            else {text: text},
        )
        back = newsrecord.loads(newsrecord.dumps(changed))
        assert back == changed
        assert back.title == back.provider.name == back.topics[0] == text

    @given(st.sampled_from(TRICKY_TEXTS))
    def test_plain_means_same_text(self, text: str) -> None:
        """Whatever is judged plain resolves, as YAML, to that very text."""
        if plain_ok(text):
            assert resolve(text) == text

    @given(timestamps())
    def test_timestamps_read_back(self, moment: dt.datetime) -> None:
        """Every aware timestamp reads back as the same moment and offset."""
        article = evolve(newsrecord.loads(SIMPLE), published_date_time=moment)
        back = newsrecord.loads(newsrecord.dumps(article)).published_date_time
        assert back == moment
        assert back.utcoffset() == moment.utcoffset()


class TestChecks:
    def test_wrong_values_are_reported(self) -> None:
        """A record built with wrong values fails with every problem, by key path."""
        article = newsrecord.loads(SIMPLE)
        with unchecked():
            broken = evolve(
                article,
                title=5,
                heat=2**40,
                published_date_time=dt.datetime(2020, 1, 1),  # noqa: DTZ001 (naive on purpose)
                related=(evolve(article.related[0], source_url="ftp://x"),),
            )
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(broken)
        assert [(e.key_path, e.code, e.line) for e in caught.value.errors] == [
            ("title", "type", None),
            ("publishedDateTime", "timezone", None),
            ("heat", "range", None),
            ("related[0].sourceUrl", "url", None),
        ]
        assert str(caught.value).splitlines() == [
            "<string>: 4 problems",
            "<string>: title: expected text, got 5 (an integer)",
            (
                "<string>: publishedDateTime: 2020-01-01T00:00:00 has no timezone: "
                "add Z or an offset such as +00:00"
            ),
            (
                "<string>: heat: 1099511627776 is outside the 32-bit range "
                "[-2147483648, 2147483647]"
            ),
            (
                "<string>: related[0].sourceUrl: expected an absolute http(s) URL "
                "(https://...), got 'ftp://x'"
            ),
        ]

    def test_unknown_keys_are_checked(self) -> None:
        """Unknown keys must be new text keys with values YAML can hold."""
        with unchecked():
            article = evolve(
                newsrecord.loads(SIMPLE),
                extra={"title": "x", "set": {1, 2}, 3: "x", "ok": {"deep": object()}},
            )
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(article)
        assert [(e.key_path, e.message) for e in caught.value.errors] == [
            ("title", "`title` is a key of the record: it cannot also be in `extra`"),
            ("set", "cannot be written as YAML: a value of type set"),
            ("", "keys must be text, not int (3)"),
            ("ok.deep", "cannot be written as YAML: a value of type object"),
        ]

    def test_body_must_be_text(self) -> None:
        """A body that is not text UTF-8 can hold is reported."""
        article = newsrecord.loads(SIMPLE)
        with pytest.raises(newsrecord.ValidationError, match="the body must be text"):
            newsrecord.dumps(evolve(article, body=b"x"))
        with pytest.raises(newsrecord.ValidationError, match="lone surrogate"):
            newsrecord.dumps(evolve(article, body="\ud800"))

    def test_token_never_shown(self) -> None:
        """A malformed token is reported without its value."""
        token = newsrecord.SecuredToken(b"secret-bytes", b"iv")
        with unchecked():
            article = evolve(newsrecord.loads(SIMPLE), secured=token)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(article)
        assert caught.value.errors[0].key_path == "secured"
        assert str(token) not in str(caught.value)
        assert "c2VjcmV0" not in str(caught.value)

    def test_not_an_article(self) -> None:
        """Anything but an Article is a TypeError, as json.dumps does."""
        with pytest.raises(TypeError, match=r"dumps\(\) takes a record, not dict"):
            newsrecord.dumps({"title": "x"})  # type: ignore[arg-type]


class TestSame:
    def test_stricter_than_equality(self) -> None:
        """Offsets, types, key order and NaN count; tuples and lists compare."""
        moment = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        assert moment == moment.astimezone(dt.timezone(dt.timedelta(hours=1)))
        assert not same(moment, moment.astimezone(dt.timezone(dt.timedelta(hours=1))))
        assert not same(True, 1)  # noqa: FBT003 (the point of the test)
        assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})
        assert same(float("nan"), float("nan"))
        assert same((1, "a"), [1, "a"])
        assert same(MappingProxyType({"a": (1,)}), {"a": [1]})


class TestProperties:
    @given(articles())
    def test_written_records_read_back(self, article: newsrecord.Article) -> None:
        """Any record written from scratch reads back equal: loads(dumps(a)) == a."""
        assert newsrecord.loads(newsrecord.dumps(article)) == article

    @given(styled_texts())
    def test_styled_files_round_trip(self, text: str) -> None:
        """Files in any of the format's styles are written back byte for byte."""
        assert newsrecord.dumps(newsrecord.loads(text)) == text

    @given(styled_texts(), st.data())
    def test_edits_touch_only_their_lines(self, text: str, data: st.DataObject) -> None:
        """A changed scalar rewrites a line; removals only delete; additions insert."""
        article = newsrecord.loads(text)
        name, change, expected = data.draw(st.sampled_from(_edits(article)))
        changed = change(article)
        written = newsrecord.dumps(changed)
        assert newsrecord.loads(written) == changed
        assert written.startswith("\ufeff") == text.startswith("\ufeff")
        if "\r\n" in text:
            assert "\n" not in written.replace("\r\n", "")
        changes = diff(text, written)
        if same(changed, article):
            assert changes == [], name
        elif expected == "one line":
            assert [(tag, len(old), len(new)) for tag, old, new in changes] == [
                ("replace", 1, 1)
            ], name
        else:
            assert {tag for tag, _, _ in changes} == {expected}, name
            lines = [line for _, old, new in changes for line in old + new]
            assert any(line.strip() for line in lines), name


_Edit = tuple[str, "Callable[[newsrecord.Article], newsrecord.Article]", str]


def _edits(article: newsrecord.Article) -> list[_Edit]:
    """The edits that apply to ``article``, with the line changes they make."""
    edits: list[_Edit] = [
        ("title", lambda a: evolve(a, title=a.title + "!"), "one line"),
        ("excerpt", lambda a: evolve(a, excerpt="x: y # z"), "one line"),
        (
            "time",
            lambda a: evolve(
                a, published_date_time=a.published_date_time + dt.timedelta(days=1)
            ),
            "one line",
        ),
        (
            "provider",
            lambda a: evolve(a, provider=evolve(a.provider, name="N")),
            "one line",
        ),
    ]
    for name in ("quality", "heat", "published", "featured_content", "secured"):
        if getattr(article, name) is None:
            value: object = {
                "quality": 5,
                "heat": -5,
                "published": True,
                "featured_content": "<p/>",
                "secured": TOKEN,
            }[name]
            edits.append((f"add {name}", _setter(name, value), "insert"))
        else:
            edits.append((f"remove {name}", _setter(name, None), "delete"))
    edits.extend(
        (f"remove {name}", _setter(name, ()), "delete")
        for name in ("topics", "images", "related")
        if getattr(article, name)
    )
    if article.topics:
        edits.append(
            ("add topic", lambda a: evolve(a, topics=(*a.topics, "New")), "insert")
        )
    if article.related and article.related[-1].images:
        edits.append(("related width", _widen_last_related_image, "one line"))
    if len(article.related) > 1:
        edits.append(
            ("drop related[0]", lambda a: evolve(a, related=a.related[1:]), "delete")
        )
    return edits


def _setter(
    name: str, value: object
) -> Callable[[newsrecord.Article], newsrecord.Article]:
    return lambda article: evolve(article, **{name: value})


def _widen_last_related_image(article: newsrecord.Article) -> newsrecord.Article:
    last = article.related[-1]
    image = evolve(last.images[-1], width=last.images[-1].width ^ 1)
    return evolve(
        article,
        related=(
            *article.related[:-1],
            evolve(last, images=(*last.images[:-1], image)),
        ),
    )


class TestUnusualLayouts:
    def test_a_key_written_twice_alike(self) -> None:
        """A list written twice, alike, is read once; its edit removes the copy.

        Unchanged, the file writes back byte for byte; another key's edit
        rewrites its own line; an edit of the list rewrites the front matter in
        the file's style, with the list once (edited in one place only, the
        file would hold two different lists).
        """
        text = SIMPLE.replace("topics:\n  - Energy\n", "topics:\n  - Energy\n" * 2)
        assert newsrecord.dumps(newsrecord.loads(text)) == text
        [(tag, old, new)] = diff(text, edit(text, lambda a: evolve(a, quality=3)))
        assert (tag, old, new) == ("replace", ["quality: 48\n"], ["quality: 3\n"])
        written = edit(text, lambda a: evolve(a, topics=("Energy", "Solar")))
        assert written.count("topics:") == 1
        assert written == SIMPLE.replace("  - Energy\n", "  - Energy\n  - Solar\n")

    def test_single_quotes_give_way_to_double(self) -> None:
        """A single-quoted value that gains a line break is double-quoted."""
        text = SIMPLE.replace('title: "Solar farm opens"', "title: 'Solar'")
        written = edit(text, lambda a: evolve(a, title="two\nlines"))
        assert 'title: "two\\nlines"\n' in written

    def test_numbers_of_unknown_keys(self) -> None:
        """Floats of unknown keys are written so YAML 1.1 reads them back."""
        values = {"big": 1e16, "small": 1e-7, "inf": float("inf"), "ninf": -1e400}
        written = edit(SIMPLE, lambda a: evolve(a, extra=values))
        assert "big: 1.0e+16\n" in written
        assert "small: 1.0e-07\n" in written
        assert "inf: .inf\n" in written
        assert "ninf: -.inf\n" in written
        nan = newsrecord.loads(
            newsrecord.dumps(
                evolve(newsrecord.loads(SIMPLE), extra={"n": float("nan")})
            )
        )
        assert nan.extra["n"] != nan.extra["n"]

    def test_unknown_keys_edited_through_extra(self) -> None:
        """``extra | {...}`` and ``extra.without(...)`` edit only their keys' lines.

        The edited mapping holds the file's text, through `attrs.evolve` and
        pickling; a `dict` given instead does not, and the record is written
        afresh.
        """
        text = SIMPLE.replace(
            "published: true\n", "published: true\nrank: 3  # weekly\nzip: 01234\n"
        )
        article = newsrecord.loads(text)
        assert isinstance(article.extra, ReadOnlyMapping)
        edits = {
            "changed": (
                article.extra | {"rank": 4},
                [("replace", ["rank: 3  # weekly\n"], ["rank: 4  # weekly\n"])],
            ),
            "removed": (
                article.extra.without("zip", "absent"),
                [("delete", ["zip: 01234\n"], [])],
            ),
            "added": (
                article.extra | {"reviewed": True},
                [("insert", [], ["\n", "reviewed: true\n"])],
            ),
        }
        for extra, expected in edits.values():
            edited = evolve(article, extra=extra)
            written = newsrecord.dumps(edited)
            assert diff(text, written) == expected
            copy = pickle.loads(pickle.dumps(edited))  # noqa: S301 (our own bytes)
            assert newsrecord.dumps(copy) == written
            assert newsrecord.loads(written) == edited
        assert newsrecord.dumps(evolve(article, extra=article.extra | {})) == text
        afresh = newsrecord.dumps(evolve(article, extra=dict(article.extra)))
        assert "zip: 668\n" in afresh  # the value read (an octal int), written anew
        assert {"a": 1} | article.extra == {"a": 1, "rank": 3, "zip": 668}
        assert type({"a": 1} | article.extra) is dict  # as a dict's | gives

    def test_unknown_scalar_changed_in_place(self) -> None:
        """A changed unknown number is rewritten on its line."""
        text = SIMPLE.replace("published: true\n", "published: true\nrank: 3\n")
        written = edit(text, lambda a: evolve(a, extra=kept({"rank": 4}, a)))
        assert diff(text, written) == [("replace", ["rank: 3\n"], ["rank: 4\n"])]

    def test_empty_value_before_a_comment(self) -> None:
        """A key with nothing but a comment after it gets its value before it."""
        text = SIMPLE.replace("  domain: news.example.net\n", "  domain:  # none\n")
        written = edit(
            text, lambda a: evolve(a, provider=evolve(a.provider, domain="d"))
        )
        assert "  domain: d  # none\n" in written

    def test_collection_after_a_dash_rewritten(self) -> None:
        """A changed list, a list item's first key, is rewritten after the dash."""
        text = SIMPLE.replace(
            "      - url: https://a.example.net/1.jpg\n",
            "      - tags: [a]\n        url: https://a.example.net/1.jpg\n",
        )

        def change(article: newsrecord.Article) -> newsrecord.Article:
            first = article.related[0]
            image = evolve(first.images[0], extra={"tags": ("a", "b")})
            return evolve(
                article, related=(evolve(first, images=(image,)), article.related[1])
            )

        written = edit(text, change)
        assert "      - tags:\n          - a\n          - b\n        url:" in written

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            # an explicit key: something before the key on its line
            ("  domain: news.example.net\n", "  ? domain\n  : news.example.net\n"),
            # keys of one mapping in different columns (a flow mapping over lines)
            (
                "provider:\n  name: Example Solar Weekly\n  domain: news.example.net\n",
                (
                    "provider: {name: Example Solar Weekly,\n"
                    "    domain: news.example.net}\n"
                ),
            ),
            # list items after a lone dash, and a tagged list
            ("topics:\n  - Energy\n", "topics:\n  -\n    Energy\n"),
            ("topics:\n  - Energy\n", "topics: !!seq\n  - Energy\n"),
            # a merge key from a flow mapping
            ("  name: Example Solar Weekly\n", "  <<: {name: Example Solar Weekly}\n"),
            # an anchored list whose items are aliased
            ("topics:\n  - Energy\n", "topics: &t\n  - &e Energy\n  - *e\n"),
        ],
    )
    def test_unusual_layouts_are_rewritten(self, old: str, new: str) -> None:
        """Layouts the editor does not follow are rewritten, and read back right."""
        text = SIMPLE.replace(old, new)
        assert text != SIMPLE

        def change(article: newsrecord.Article) -> newsrecord.Article:
            return evolve(
                article,
                provider=evolve(article.provider, domain="changed.example"),
                topics=(*article.topics, "More"),
            )

        edit(text, change)


def _before_secured(text: str, lines: str) -> str:
    """``SIMPLE``-like ``text`` with ``lines`` just before its ``secured`` key."""
    return text.replace("\nsecured:", "\n" + lines + "\nsecured:", 1)


# Edits beside a block scalar: the line left by a removed key, or added after the
# block, must not become part of the block.
_NEIGHBOURS: dict[
    str, tuple[str, Callable[[newsrecord.Article], newsrecord.Article]]
] = {
    "comment-after-removed-key": (
        "note: |\n  line\nrank: 1\n    # c\n",
        lambda a: evolve(a, extra=kept({"note": "line\n"}, a)),
    ),
    "folded-block": (
        "note: >\n  line\nrank: 1\n    # c\n",
        lambda a: evolve(a, extra=kept({"note": "line\n"}, a)),
    ),
    "spaces-after-removed-key": (
        "note: |\n  line\nrank: 1\n      \n",
        lambda a: evolve(a, extra=kept({"note": "line\n"}, a)),
    ),
    "block-in-a-list": (
        "notes:\n  - |\n    line\nrank: 1\n      # c\n",
        lambda a: evolve(a, extra=kept({"notes": ("line\n",)}, a)),
    ),
    "removed-quality-before-a-block": (
        "note: |\n  line\n",
        lambda a: evolve(a, quality=None),
    ),
}

# A keep-chomped block (`|+`, `>+`) at the end of the front matter, then a key
# added after it: its trailing blank lines stay its own.
_KEPT_BLANKS = {
    "literal": "note: |+\n  line\n\n\n",
    "folded": "note: >+\n  line\n\n",
    "in-a-list": "notes:\n  - |+\n    line\n\n",
}


class TestWrittenTextReadsBack:
    @pytest.mark.parametrize("name", sorted(_NEIGHBOURS))
    def test_edits_beside_a_block_scalar(self, name: str) -> None:
        """An edit never changes the value of a block scalar beside it."""
        lines, change = _NEIGHBOURS[name]
        text = _before_secured(SIMPLE, lines)
        changed = change(newsrecord.loads(text))
        again = newsrecord.loads(newsrecord.dumps(changed))
        assert again == changed
        assert again.extra == changed.extra

    @pytest.mark.parametrize("name", sorted(_KEPT_BLANKS))
    def test_keep_chomped_block_keeps_its_blank_lines(self, name: str) -> None:
        """A key added after a `|+` or `>+` block leaves the block's blank lines."""
        block = _KEPT_BLANKS[name]
        text = SIMPLE.replace("\n---\n<p>Body.</p>\n", "\n" + block + "---\n")
        loaded = newsrecord.loads(text)
        assert loaded.extra  # the block is an unknown key, after `secured`
        changed = evolve(loaded, extra=kept({**loaded.extra, "rank": 1}, loaded))
        written = newsrecord.dumps(changed)
        assert newsrecord.loads(written).extra == {**loaded.extra, "rank": 1}
        assert written == text.replace("---\n", "rank: 1\n---\n").replace(
            "rank: 1\n---\n", "---\n", 1
        )

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            (lambda a: evolve(a, title="y" * 1_100_000), "too-large"),
            (lambda a: evolve(a, topics=("t",) * 100_001), "too-many-nodes"),
            (
                lambda a: evolve(a, extra={"x": ("y",) * 60_000, "z": ("y",) * 60_000}),
                "too-many-nodes",
            ),
        ],
    )
    def test_text_beyond_the_limits_is_refused(
        self, change: Callable[[newsrecord.Article], newsrecord.Article], code: str
    ) -> None:
        """Text that loading would refuse under the default `Limits` is not given."""
        for article in (
            newsrecord.loads(SIMPLE),
            without_source(newsrecord.loads(SIMPLE)),
        ):
            with pytest.raises(newsrecord.ValidationError) as caught:
                newsrecord.dumps(change(article))
            (error,) = caught.value.errors
            assert error.code == code
            assert error.message.startswith("written, the record would not load back: ")

    @pytest.mark.parametrize("text", ["é" * 600, "€" * 400, "😀" * 300, "a" * 1200])
    def test_the_file_size_counts_bytes_as_load_does(
        self, tmp_path: Path, text: str
    ) -> None:
        """A text of few characters but more bytes than the limit is not written."""
        article = evolve(newsrecord.loads(SIMPLE), body=text)
        written = newsrecord.dumps(article)
        size = len(written.encode("utf-8"))
        path = tmp_path / "x.md"
        # One byte short; and as many bytes as the text has characters.
        for limit in {size - 1, len(written)} - {size}:
            limits = newsrecord.Limits(max_file_size=limit)
            with pytest.raises(newsrecord.ValidationError, match="would not load back"):
                newsrecord.dump(article, path, limits=limits)
            assert not path.exists()
        newsrecord.dump(article, path, limits=newsrecord.Limits(max_file_size=size))
        loaded = newsrecord.load(path, limits=newsrecord.Limits(max_file_size=size))
        assert loaded.body == text

    def test_limits_are_the_callers(self, tmp_path: Path) -> None:
        """`dumps` and `dump` take the limits the text must load within."""
        article = evolve(newsrecord.loads(SIMPLE), title="a longer title")
        small = newsrecord.Limits(max_front_matter_size=200)
        with pytest.raises(newsrecord.ValidationError, match="would not load back"):
            newsrecord.dumps(article, limits=small)
        path = tmp_path / "x.md"
        with pytest.raises(newsrecord.ValidationError, match="would not load back"):
            newsrecord.dump(article, path, limits=small)
        assert not path.exists()
        large = newsrecord.Limits(max_front_matter_size=2_000_000)
        big = evolve(article, title="y" * 1_100_000)
        newsrecord.dump(big, path, limits=large)
        assert newsrecord.load(path, limits=large).title == big.title
