"""The version: one source, the same in the metadata, the changelog and the docs."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import os
import re
import tomllib
from pathlib import Path

import newsrecord
from newsrecord._version import COMPILED_MODULES, build

ROOT = Path(__file__).resolve().parents[1]
# PEP 440 versions as this project writes them: release, then pre, post or dev.
_VERSION = re.compile(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?")
_RELEASE = re.compile(
    r"^## \[(?P<version>[^]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.MULTILINE
)


def _changelog() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


class TestVersion:
    def test_is_a_pep_440_version(self) -> None:
        """`__version__` is a plain PEP 440 version."""
        assert _VERSION.fullmatch(newsrecord.__version__)

    def test_matches_the_installed_metadata(self) -> None:
        """The installed distribution's version is `__version__`: one source."""
        assert importlib.metadata.version("newsrecord") == newsrecord.__version__


class TestBuild:
    def test_says_how_it_was_built(self) -> None:
        """The source tree and the plain wheel are pure Python; a compiled one says so.

        CI sets ``NEWSRECORD_COMPILED=1`` when it tests a compiled wheel.
        """
        compiled = os.environ.get("NEWSRECORD_COMPILED") == "1"
        assert build() == ("compiled" if compiled else "pure Python"), (
            "a compiled build in place leaves extension modules beside the sources, "
            "and they hide the sources: remove src/*.so and src/newsrecord/*.so"
        )

    def test_names_the_modules_the_build_compiles(self) -> None:
        """`COMPILED_MODULES` is the list pyproject.toml gives the compiler."""
        with (ROOT / "pyproject.toml").open("rb") as file:
            hooks = tomllib.load(file)["tool"]["hatch"]["build"]["targets"]["wheel"]
        compiled = hooks["hooks"]["mypyc"]["include"]
        assert compiled == [f"/src/newsrecord/{name}.py" for name in COMPILED_MODULES]

    def test_names_modules_of_the_package(self) -> None:
        """The modules a compiled wheel compiles are the package's own, by name."""
        for name in COMPILED_MODULES:
            assert importlib.import_module(f"newsrecord.{name}").__name__


class TestChangelog:
    def test_has_an_unreleased_section_first(self) -> None:
        """The changelog's first section is ``[Unreleased]``, above every release."""
        sections = re.findall(r"^## (.+)$", _changelog(), re.MULTILINE)
        assert sections[0] == "[Unreleased]"

    def test_releases_are_dated_and_in_order(self) -> None:
        """Each release has a real, past date; newer releases come first."""
        releases = list(_RELEASE.finditer(_changelog()))
        dates = [dt.date.fromisoformat(match["date"]) for match in releases]
        assert dates == sorted(dates, reverse=True)
        assert all(date <= dt.datetime.now(dt.UTC).date() for date in dates)

    def test_a_released_version_has_its_entry(self) -> None:
        """A version that is not a development one has a dated changelog entry."""
        version = newsrecord.__version__
        released = [match["version"] for match in _RELEASE.finditer(_changelog())]
        if ".dev" in version:
            assert version.split(".dev")[0] not in released
        else:
            assert released[0] == version
