"""The shared corpus: the reference record field by field, and every real record."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import TYPE_CHECKING

import attrs
import pytest

import newsrecord
from conftest import REFERENCE, corpus_files, needs_corpus, other_kind_files
from newsrecord._model import file_key
from newsrecord._structure import source_document

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = needs_corpus


@pytest.fixture(scope="module")
def article() -> newsrecord.Article:
    return newsrecord.load(REFERENCE)


class TestReference:
    def test_scalars(self, article: newsrecord.Article) -> None:
        """The top-level scalars have the reference record's values and types."""
        assert article.category == "news"
        assert article.title.startswith("Facebook says group used AI-generated faces")
        assert article.excerpt.endswith("the large-scale ...")
        assert article.type == "article"
        assert article.quality == 27
        assert article.heat == -1
        assert article.published is False
        assert article.featured_content is None

    def test_dates_are_aware(self, article: newsrecord.Article) -> None:
        """Timestamps come back as timezone-aware datetimes in UTC."""
        assert article.published_date_time == dt.datetime(2019, 12, 23, tzinfo=dt.UTC)
        assert article.related[0].published_date_time == dt.datetime(
            2019, 12, 22, 12, 55, tzinfo=dt.UTC
        )

    def test_links(self, article: newsrecord.Article) -> None:
        """The first naming of the links is read; the second is absent."""
        assert article.source_url is not None
        assert article.source_url.startswith("https://www.scmp.com/tech/big-tech/")
        assert article.amp_url is not None
        assert article.amp_url.startswith("https://amp.scmp.com/")
        assert article.cdn_amp_url is not None
        assert article.cdn_amp_url.startswith(
            "https://amp-scmp-com.cdn.ampproject.org/"
        )
        assert (article.web_url, article.original_url, article.amp_web_url) == (
            None,
            None,
            None,
        )
        assert article.url == article.source_url

    def test_provider_and_topics(self, article: newsrecord.Article) -> None:
        """The provider map and the topic list are read in order."""
        assert article.provider == newsrecord.Provider(
            name="scmp.com", domain="scmp.com"
        )
        assert article.topics == ("AI", "Facebook AI")
        assert article.images == ()

    def test_related(self, article: newsrecord.Article) -> None:
        """Both related articles are read with their providers and images."""
        first, second = article.related
        assert first.provider.name == "Mint"
        assert first.quality == 59
        assert first.images == (
            newsrecord.Image(url=first.images[0].url, width=600, height=337),
        )
        assert first.images[0].url.endswith("1577018802874.JPG")
        assert second.provider == newsrecord.Provider(
            name="Santa Rosa Press Democrat", domain="pressdemocrat.com"
        )
        assert (second.images[0].width, second.images[0].height) == (800, 533)
        assert "$daE2N3K4ZzOUsqbU5sYshv6chUSi$" in second.images[0].url

    def test_secured_token(self, article: newsrecord.Article) -> None:
        """The token parses into 224 bytes of ciphertext and a 16-byte IV."""
        assert article.secured is not None
        assert len(article.secured.ciphertext) == 224
        assert len(article.secured.iv) == 16
        text = REFERENCE.read_text(encoding="utf-8")
        assert f'secured: "{article.secured}"\n' in text

    def test_body(self, article: newsrecord.Article) -> None:
        """The body is the text after the closing delimiter, unstripped."""
        assert article.body == "\n"

    def test_values_are_those_written(self, article: newsrecord.Article) -> None:
        """Every value read is the text written after its key, exactly."""
        lines = set(REFERENCE.read_text(encoding="utf-8").splitlines())
        links = ("source_url", "amp_url", "cdn_amp_url")
        expected = [
            f'title: "{article.title}"',
            f'excerpt: "{article.excerpt}"',
            f"type: {article.type}",
            *(f"{file_key(name)}: {getattr(article, name)}" for name in links),
            *(f"  - {topic}" for topic in article.topics),
        ]
        for related in article.related:
            expected += [
                f'  - title: "{related.title}"',
                f'    excerpt: "{related.excerpt}"',
                *(f"    {file_key(name)}: {getattr(related, name)}" for name in links),
                f"      name: {related.provider.name}",
                f"      domain: {related.provider.domain}",
                *(f"      - url: {image.url}" for image in related.images),
            ]
        assert [line for line in expected if line not in lines] == []


class TestRealNews:
    @pytest.mark.parametrize("path", corpus_files("news"), ids=lambda path: path.name)
    def test_loads_strictly(self, path: Path) -> None:
        """Every real news record loads, strictly (no unknown keys either)."""
        article = newsrecord.load(path, strict=True)
        assert article.category == "news"
        assert article.url.startswith("http")

    @pytest.mark.parametrize("path", corpus_files("news"), ids=lambda path: path.name)
    def test_keeps_its_text(self, path: Path) -> None:
        """The token, body, line endings and key positions are those of the file."""
        data = path.read_bytes()
        article = newsrecord.load(path)
        assert article == newsrecord.loads(data.decode("utf-8"))
        text = data.decode("utf-8")
        assert article.secured is not None
        assert f'secured: "{article.secured}"' in text
        assert text.endswith(article.body)
        document = source_document(article)
        assert document is not None
        newline = "\r\n" if b"\r\n" in data else "\n"
        assert document.newline == newline
        root = document.root
        for key, (key_start, value_start, _) in root.spans.items():
            assert text[key_start:value_start].startswith(f"{key}:")


#: The class each folder of the corpus holds: how its files were filed by hand.
#: The library decides a record's kind from its front matter alone; this is the
#: ground truth it is checked against.
FOLDER_KINDS: dict[str, type[newsrecord.Record]] = {
    "answers": newsrecord.Answer,
    "articles": newsrecord.Reading,
    "books": newsrecord.Book,
    "challenges": newsrecord.Challenge,
    "collections": newsrecord.Collection,
    "communities": newsrecord.Forum,
    "companies": newsrecord.Profile,
    "courses": newsrecord.Course,
    "downloads": newsrecord.Download,
    "events": newsrecord.Conference,
    "forms": newsrecord.Form,
    "news": newsrecord.Article,
    "organizations": newsrecord.Organization,
    "people": newsrecord.Profile,
    "videos": newsrecord.Video,
}


def _every_file() -> list[Path]:
    return sorted(REFERENCE.parent.glob("real/*/*.md"))


class TestEveryKind:
    def test_every_folder_has_a_class(self) -> None:
        """Every folder of the corpus is checked against a class: none is skipped."""
        folders = {path.parent.name for path in _every_file()}
        assert folders == set(FOLDER_KINDS)

    @pytest.mark.parametrize("path", _every_file(), ids=lambda path: path.name)
    def test_loads_as_its_kind(self, path: Path) -> None:
        """Every real file loads, by its front matter alone, into its kind's class."""
        record = newsrecord.load_record(path)
        assert type(record) is FOLDER_KINDS[path.parent.name]
        # The same from its text alone, with no name to go by.
        assert type(newsrecord.loads_record(path.read_bytes())) is type(record)

    @pytest.mark.parametrize("path", _every_file(), ids=lambda path: path.name)
    def test_writes_back_byte_for_byte(self, path: Path) -> None:
        """Every real file of every kind is written back exactly as read."""
        data = path.read_bytes()
        record = newsrecord.load_record(path)
        assert newsrecord.dumps(record).encode("utf-8") == data

    @pytest.mark.parametrize("path", _every_file(), ids=lambda path: path.name)
    def test_an_edit_changes_one_line(self, path: Path) -> None:
        """Changing a record's title (or name) rewrites that line and no other."""
        text = path.read_bytes().decode("utf-8")
        record = newsrecord.load_record(path)
        name = "name" if "title" not in attrs.fields_dict(type(record)) else "title"
        if getattr(record, name) is None:
            name = "name"
        edited = attrs.evolve(record, **{name: "An edited headline"})  # type: ignore[misc]
        written = newsrecord.dumps(edited)
        before, after = text.splitlines(), written.splitlines()
        assert len(before) == len(after)
        changed = [new for old, new in zip(before, after, strict=True) if old != new]
        assert len(changed) == 1
        assert changed[0].startswith(f"{file_key(name)}: ")
        assert newsrecord.loads_record(written) == edited

    @pytest.mark.parametrize("path", _every_file(), ids=lambda path: path.name)
    def test_every_edit_rewrites_only_its_own_lines(self, path: Path) -> None:
        """Each field changed alone rewrites its lines in one place, and no other.

        Text, numbers, timestamps and a nested name are replaced by one line;
        an item added to a list adds lines and removes none; the last item taken
        away removes lines and adds none. Each record written reads back as edited.
        """
        text = path.read_bytes().decode("utf-8")
        before = text.splitlines(keepends=True)
        record = newsrecord.load_record(path)
        edits = list(_edits(record))
        assert edits  # every real record has fields to edit
        for name, value, change in edits:
            edited = attrs.evolve(record, **{name: value})  # type: ignore[misc]
            written = newsrecord.dumps(edited)
            assert newsrecord.loads_record(written) == edited, name
            after = written.splitlines(keepends=True)
            hunks = [
                (tag, before[old:old_end], after[new:new_end])
                for tag, old, old_end, new, new_end in difflib.SequenceMatcher(
                    None, before, after, autojunk=False
                ).get_opcodes()
                if tag != "equal"
            ]
            assert len(hunks) == 1, (name, hunks)
            tag, removed, added = hunks[0]
            if change == "replace":
                assert removed, name
                assert len(added) == 1, (name, added)
            else:
                assert tag == change, (name, hunks)

    @pytest.mark.parametrize("path", other_kind_files(), ids=lambda path: path.name)
    def test_load_names_the_kind(self, path: Path) -> None:
        """`load` refuses a record of another kind, naming it and `load_record`."""
        with pytest.raises(newsrecord.KindError) as caught:
            newsrecord.load(path)
        expected = FOLDER_KINDS[path.parent.name]
        assert caught.value.kind is not None
        assert newsrecord.KINDS[caught.value.kind] is expected
        assert len(caught.value.errors) == 1
        assert f"`{caught.value.kind}`" in str(caught.value)
        assert "load_record" in str(caught.value)


def _edits(record: newsrecord.Record) -> Iterator[tuple[str, object, str]]:
    """For each field a record has, a new value, and the change it makes in lines.

    The change is ``"replace"`` (the value's lines, by one), ``"insert"`` (an
    item added to a list) or ``"delete"`` (the list's last item taken away).
    Tokens, bodies and the keys that tell the kind are left as they are.
    """
    for field in attrs.fields(type(record)):
        if field.name in _NOT_EDITED:
            continue
        value = getattr(record, field.name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, str) and value:
            link = value.startswith(("http://", "https://", "/"))
            yield field.name, value + ("x" if link else " edited"), "replace"
        elif isinstance(value, int):
            yield field.name, value + 1, "replace"
        elif isinstance(value, dt.datetime):
            yield field.name, value + dt.timedelta(days=1), "replace"
        elif isinstance(value, tuple) and value:
            yield field.name, (*value, value[0]), "insert"
            if len(value) > 1:
                yield field.name, value[:-1], "delete"
        elif isinstance(getattr(value, "name", None), str) and value.name:
            renamed = attrs.evolve(value, name=value.name + " edited")
            yield field.name, renamed, "replace"


#: What `_edits` leaves alone: what is not a field of the file's front matter
#: as such (its unknown keys and its body), the token, and the keys a kind is
#: told by.
_NOT_EDITED = frozenset({"extra", "body", "secured", "type", "category", "taxonomy"})
