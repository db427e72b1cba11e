"""Conformance: the records in ``tests/data`` read, or fail, as their JSON says.

``valid/NAME.md`` reads into the record written out in ``valid/NAME.json`` (see
`records.as_data` for its shape). ``invalid/NAME.md`` fails as ``invalid/NAME.json``
says: the class of the error, and for each problem its code, key path, line and
column, with the message where the JSON gives one. ``"strict": true`` reads the
record with ``strict=True``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import newsrecord
from newsrecord._structure import source_document
from records import as_data

DATA = Path(__file__).parent / "data"
VALID = sorted((DATA / "valid").glob("*.md"))
INVALID = sorted((DATA / "invalid").glob("*.md"))


def _name(path: Path) -> str:
    return path.stem


def expected(path: Path) -> Any:
    """The JSON beside a record."""
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def read(path: Path, *, strict: bool = False) -> dict[str, Any]:
    """A valid record as the JSON beside it writes it."""
    article = newsrecord.load(path, strict=strict)
    source = source_document(article)
    assert source is not None
    return {
        "record": as_data(article),
        "url": article.url,
        "file": {"bom": source.bom, "newline": source.newline},
    }


def _has_extra(data: Any) -> bool:
    if isinstance(data, dict):
        return bool(data.get("extra")) or any(
            _has_extra(item) for item in data.values()
        )
    if isinstance(data, list):
        return any(_has_extra(item) for item in data)
    return False


def failure(error: newsrecord.NewsRecordError) -> dict[str, Any]:
    """An error as the JSON beside an invalid record writes it."""
    data: dict[str, Any] = {"class": type(error).__name__}
    if isinstance(error, newsrecord.FrontMatterError):
        data.update(
            code=error.code,
            line=error.line,
            column=error.column,
            message=error.message,
        )
    if isinstance(error, newsrecord.KindError):
        data["kind"] = error.kind
    if isinstance(error, newsrecord.ValidationError):
        data["errors"] = [
            {
                "code": field_error.code,
                "key_path": field_error.key_path,
                "line": field_error.line,
                "column": field_error.column,
                "message": field_error.message,
            }
            for field_error in error.errors
        ]
    return data


def _pinned(observed: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """``observed``, keeping the messages only where ``spec`` pins them."""

    def keep(found: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value
            for key, value in found.items()
            if key != "message" or key in want
        }

    kept = keep(observed, spec)
    if "errors" in kept:
        wants = spec.get("errors", [])
        kept["errors"] = [
            keep(found, wants[index] if index < len(wants) else {})
            for index, found in enumerate(kept["errors"])
        ]
    return kept


class TestFixtures:
    def test_every_record_has_its_json(self) -> None:
        """Every record in tests/data has the JSON that says what it gives."""
        records = VALID + INVALID
        assert records
        assert [
            path for path in records if not path.with_suffix(".json").is_file()
        ] == []
        jsons = sorted(DATA.glob("*/*.json"))
        assert [path for path in jsons if not path.with_suffix(".md").is_file()] == []


class TestValid:
    @pytest.mark.parametrize("path", VALID, ids=_name)
    def test_reads_as_expected(self, path: Path) -> None:
        """The record reads into exactly the values its JSON lists."""
        assert read(path) == expected(path)

    @pytest.mark.parametrize("path", VALID, ids=_name)
    def test_strict_reads_the_same_or_names_unknown_keys(self, path: Path) -> None:
        """Strictly, a record reads the same, or fails naming only unknown keys."""
        want = expected(path)
        if not _has_extra(want["record"]):
            assert read(path, strict=True) == want
            return
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.load(path, strict=True)
        assert {error.code for error in caught.value.errors} == {"unknown-key"}

    @pytest.mark.parametrize("path", VALID, ids=_name)
    def test_text_and_bytes_read_the_same(self, path: Path) -> None:
        """`loads` of the file's text and of its bytes give the same record."""
        data = path.read_bytes()
        from_bytes = newsrecord.loads(data)
        from_text = newsrecord.loads(data.decode("utf-8"))
        assert from_bytes == from_text
        assert as_data(from_bytes) == as_data(from_text)


class TestInvalid:
    @pytest.mark.parametrize("path", INVALID, ids=_name)
    def test_fails_as_expected(self, path: Path) -> None:
        """The record fails with the error, positions and key paths its JSON lists."""
        spec = expected(path)
        with pytest.raises(newsrecord.NewsRecordError) as caught:
            newsrecord.load(path, strict=spec.pop("strict", False))
        assert _pinned(failure(caught.value), spec) == spec
        assert caught.value.path == str(path)
        assert str(caught.value).startswith(f"{path}:")
