"""Shared fixtures: the shared corpus of real records, when it is there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REFERENCE = CORPUS / "reference.md"
REAL = CORPUS / "real"
DATA = Path(__file__).resolve().parent / "data"

# Property tests run in seconds by default; HYPOTHESIS_PROFILE=thorough runs more.
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def corpus_files(kind: str) -> list[Path]:
    """The real records of one kind (a folder of the corpus), sorted."""
    return sorted((REAL / kind).glob("*.md"))


def other_kind_files() -> list[Path]:
    """Every real record that is not a news record."""
    return sorted(path for path in REAL.glob("*/*.md") if path.parent.name != "news")


def valid_files() -> list[Path]:
    """The project's own valid records, one per oddity of the format."""
    return sorted((DATA / "valid").glob("*.md"))


needs_corpus = pytest.mark.skipif(
    not REFERENCE.is_file(), reason="the shared corpus is not beside this checkout"
)


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Print the figures tests report with ``record_property("summary", ...)``."""
    lines = [
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("newsrecord figures")
        for line in lines:
            terminalreporter.write_line(line)
