"""Shared fixtures: the shared corpus of real records, when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REFERENCE = CORPUS / "reference.md"
REAL = CORPUS / "real"


def corpus_files(kind: str) -> list[Path]:
    """The real records of one kind (a folder of the corpus), sorted."""
    return sorted((REAL / kind).glob("*.md"))


def other_kind_files() -> list[Path]:
    """Every real record that is not a news record."""
    return sorted(path for path in REAL.glob("*/*.md") if path.parent.name != "news")


needs_corpus = pytest.mark.skipif(
    not REFERENCE.is_file(), reason="the shared corpus is not beside this checkout"
)
