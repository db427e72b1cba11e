"""How type checkers see the public API: `mypy typing_tests` must pass.

Nothing here runs. Each `assert_type` pins the type a checker infers; each
``type: ignore[code]`` pins a misuse the checker must refuse (strict mypy reports
an ignore that is not needed, so a misuse that became legal fails the check).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, assert_type

import attrs

import newsrecord

if TYPE_CHECKING:
    from pathlib import Path


def check_reading(path: Path, text: str, data: bytes) -> None:
    assert_type(newsrecord.load(path), newsrecord.Article)
    assert_type(newsrecord.load("examples/record.md"), newsrecord.Article)
    assert_type(newsrecord.load(path, strict=True), newsrecord.Article)
    assert_type(newsrecord.loads(text), newsrecord.Article)
    assert_type(newsrecord.loads(data, path="record.md"), newsrecord.Article)
    assert_type(newsrecord.loads(text, path=None, strict=False), newsrecord.Article)
    assert_type(newsrecord.loads(bytearray(data)), newsrecord.Article)
    assert_type(newsrecord.loads(memoryview(data)), newsrecord.Article)


def check_reading_file_objects(path: Path) -> None:
    with path.open("rb") as binary:
        assert_type(newsrecord.load(binary), newsrecord.Article)
    with path.open(encoding="utf-8") as text:
        assert_type(newsrecord.load(text, strict=True), newsrecord.Article)
    assert_type(newsrecord.load(io.BytesIO(b"")), newsrecord.Article)
    assert_type(newsrecord.load(io.StringIO("")), newsrecord.Article)
    assert_type(newsrecord.load(sys.stdin), newsrecord.Article)


def check_reading_misuse(path: Path, text: str) -> None:
    newsrecord.loads(text, "record.md")  # type: ignore[call-arg]
    newsrecord.loads(text=text)  # type: ignore[call-arg]
    newsrecord.load(path, True)  # type: ignore[call-arg]  # noqa: FBT003
    newsrecord.load(42)  # type: ignore[arg-type]
    newsrecord.loads(text, strict="yes")  # type: ignore[arg-type]
    newsrecord.loads(42)  # type: ignore[arg-type]
    newsrecord.loads(path)  # type: ignore[arg-type]
    newsrecord.loads(io.StringIO(text))  # type: ignore[arg-type]
    newsrecord.load(b"examples/record.md")  # type: ignore[arg-type]
    newsrecord.load([text])  # type: ignore[arg-type]


def check_loading_a_folder(path: Path) -> None:
    results = newsrecord.load_dir(path, workers=2, exclude=["drafts"], strict=True)
    assert_type(results, newsrecord.LoadResults)
    assert_type(len(results), int)
    for result in results:
        assert_type(result, newsrecord.LoadResult)
        assert_type(result.path, str)
        assert_type(result.record, newsrecord.Record | None)
        assert_type(result.error, newsrecord.NewsRecordError | OSError | None)


def check_loading_a_folder_misuse(path: Path) -> None:
    newsrecord.load_dir(path, 2)  # type: ignore[call-arg]
    newsrecord.load_dir(path, workers="2")  # type: ignore[arg-type]
    newsrecord.load_dir(42)  # type: ignore[arg-type]


def check_exporting(path: Path) -> None:
    exported = newsrecord.export(path, path / "out.jsonl", workers=2, strict=True)
    assert_type(exported, newsrecord.Exported)
    assert_type(exported.records, int)


def check_exporting_misuse(path: Path) -> None:
    newsrecord.export(path, path / "out.jsonl", workers="2")  # type: ignore[arg-type]


def check_article(article: newsrecord.Article) -> None:
    assert_type(article.category, Literal["news"])
    assert_type(article.title, str)
    assert_type(article.excerpt, str)
    assert_type(article.published_date_time, dt.datetime)
    assert_type(article.type, Literal["article", "video"])
    assert_type(article.provider, newsrecord.Provider)
    assert_type(article.source_url, str | None)
    assert_type(article.web_url, str | None)
    assert_type(article.url, str)
    assert_type(article.quality, int | None)
    assert_type(article.heat, int | None)
    assert_type(article.published, bool | None)
    assert_type(article.featured_content, str | None)
    assert_type(article.topics, tuple[str, ...])
    assert_type(article.images, tuple[newsrecord.Image, ...])
    assert_type(article.related, tuple[newsrecord.RelatedArticle, ...])
    assert_type(article.secured, newsrecord.SecuredToken | None)
    assert_type(article.body, str)
    assert_type(article.extra, Mapping[str, Any])


def check_extra_is_edited_as_a_read_only_mapping(article: newsrecord.Article) -> None:
    extra = article.extra
    if isinstance(extra, newsrecord.ReadOnlyMapping):  # as a record's always is
        assert_type(extra | {"rank": 4}, newsrecord.ReadOnlyMapping)
        assert_type(extra.without("rank"), newsrecord.ReadOnlyMapping)
        attrs.evolve(article, extra=extra | {"rank": 4})


def check_article_is_frozen(article: newsrecord.Article) -> None:
    article.title = "Another title"  # type: ignore[misc]


def check_provider(
    provider: newsrecord.Provider,
    publisher: newsrecord.Publisher,
    author: newsrecord.Author,
) -> None:
    assert_type(provider.name, str)
    assert_type(provider.domain, str)
    assert_type(provider.images, tuple[newsrecord.Image, ...])
    assert_type(provider.authors, tuple[newsrecord.Author, ...])
    assert_type(provider.publishers, tuple[newsrecord.Publisher, ...])
    assert_type(publisher.domain, str | None)
    assert_type(author.name, str)


def check_parts(
    image: newsrecord.Image,
    related: newsrecord.RelatedArticle,
    token: newsrecord.SecuredToken,
) -> None:
    assert_type(image.url, str)
    assert_type(image.width, int)
    assert_type(image.is_cached, bool | None)
    assert_type(image.title, str | None)
    assert_type(related.type, str)
    assert_type(related.published_date_time, dt.datetime)
    assert_type(related.provider, newsrecord.Provider)
    assert_type(token.ciphertext, bytes)
    assert_type(token.iv, bytes)
    assert_type(newsrecord.SecuredToken.parse(str(token)), newsrecord.SecuredToken)


def check_errors(error: newsrecord.NewsRecordError) -> None:
    assert_type(error.code, str)
    assert_type(error.path, str | None)
    assert_type(error.line, int | None)
    assert_type(error.column, int | None)
    if isinstance(error, newsrecord.FrontMatterError):
        assert_type(error.message, str)
    if isinstance(error, newsrecord.ValidationError):
        assert_type(error.errors, tuple[newsrecord.FieldError, ...])
        problem = error.errors[0]
        assert_type(problem.key_path, str)
        assert_type(problem.message, str)
        assert_type(problem.line, int | None)
        assert_type(problem.format(error.path), str)
    if isinstance(error, newsrecord.KindError):
        assert_type(error.kind, str | None)


def check_error_hierarchy() -> None:
    base: type[ValueError] = newsrecord.NewsRecordError
    validation: type[newsrecord.NewsRecordError] = newsrecord.ValidationError
    kind: type[newsrecord.ValidationError] = newsrecord.KindError
    frame: type[newsrecord.NewsRecordError] = newsrecord.FrontMatterError
    assert_type(newsrecord.__version__, str)
    del base, validation, kind, frame
