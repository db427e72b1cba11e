"""Shared fixtures: the shared corpus of real records, when it is there, the
choice of PyYAML loader, and Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from newsrecord import _frontmatter

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REFERENCE = CORPUS / "reference.md"
REAL = CORPUS / "real"
DATA = Path(__file__).resolve().parent / "data"


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


class _PythonNodeLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, stopping at the node graph."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


@pytest.fixture(params=["libyaml", "python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with PyYAML's libyaml loader, then with its pure-Python one.

    The package uses whichever PyYAML was built with; both must read the same.
    """
    if request.param == "python":
        monkeypatch.setattr(_frontmatter, "_BaseLoader", yaml.SafeLoader)
        monkeypatch.setattr(_frontmatter, "_NodeLoader", _PythonNodeLoader)
    elif not yaml.__with_libyaml__:  # pragma: no cover (depends on the PyYAML build)
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


# Hypothesis: a few seconds by default; HYPOTHESIS_PROFILE=ci runs 3,000 examples a
# property, as CI does for the differential tests (.ci/run); HYPOTHESIS_PROFILE=
# thorough for a long run.
settings.register_profile("quick", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=3_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


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
