"""The built distributions: what the wheel and the sdist hold, and what is installed.

`.ci/run` builds the sdist and the wheel into a folder and names it in
``NEWSRECORD_DIST``; without it these tests skip, except in CI (``CI=true``),
where a missing build is a failure. When ``NEWSRECORD_INSTALLED`` is set, the
suite runs against the installed wheel and proves it.
"""

from __future__ import annotations

import email.parser
import os
import sysconfig
import tarfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import newsrecord

if TYPE_CHECKING:
    from email.message import Message

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "newsrecord"
DIST = os.environ.get("NEWSRECORD_DIST")
IN_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.packaging


def _built(pattern: str) -> Path:
    """The one built file in ``NEWSRECORD_DIST`` that matches ``pattern``."""
    if not DIST:
        if IN_CI:
            pytest.fail("NEWSRECORD_DIST is not set: CI must build the distributions")
        pytest.skip("NEWSRECORD_DIST is not set: no built distributions to inspect")
    (path,) = Path(DIST).glob(pattern)
    return path


@pytest.fixture(scope="session")
def wheel_names() -> set[str]:
    with zipfile.ZipFile(_built("newsrecord-*.whl")) as wheel:
        return set(wheel.namelist())


@pytest.fixture(scope="session")
def metadata() -> Message:
    with zipfile.ZipFile(_built("newsrecord-*.whl")) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(wheel.read(name).decode("utf-8"))


@pytest.fixture(scope="session")
def sdist_names() -> set[str]:
    with tarfile.open(_built("newsrecord-*.tar.gz")) as sdist:
        return {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}


class TestWheel:
    def test_holds_the_package_and_nothing_else(self, wheel_names: set[str]) -> None:
        """The wheel holds the package's modules, py.typed and metadata, no more."""
        version = newsrecord.__version__
        info = f"newsrecord-{version}.dist-info"
        package = {f"newsrecord/{path.name}" for path in SOURCE.glob("*.py")}
        required = {
            *package,
            "newsrecord/py.typed",
            f"{info}/METADATA",
            f"{info}/WHEEL",
            f"{info}/RECORD",
            f"{info}/licenses/LICENSE",
        }
        optional = {f"{info}/entry_points.txt"}
        assert required <= wheel_names
        assert wheel_names - required <= optional

    def test_is_typed(self, wheel_names: set[str]) -> None:
        """The wheel carries the PEP 561 marker, so checkers use its annotations."""
        assert "newsrecord/py.typed" in wheel_names

    def test_holds_no_tests_or_stray_files(self, wheel_names: set[str]) -> None:
        """No tests, docs, caches or compiled files end up in the wheel."""
        stray = [
            name
            for name in wheel_names
            if "test" in name
            or "__pycache__" in name
            or name.endswith((".pyc", ".md"))
            or not name.startswith("newsrecord")
        ]
        assert stray == []


class TestMetadata:
    def test_names_this_version(self, metadata: Message) -> None:
        """The wheel's version is the package's single-sourced version."""
        assert metadata["Name"] == "newsrecord"
        assert metadata["Version"] == newsrecord.__version__

    def test_description_is_the_readme(self, metadata: Message) -> None:
        """The long description is README.md, declared as Markdown."""
        assert metadata["Description-Content-Type"] == "text/markdown"
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        description = metadata.get_payload()
        assert isinstance(description, str)
        assert description.strip() == readme.strip()

    def test_license_and_python(self, metadata: Message) -> None:
        """The licence expression, its file and the Python requirement are declared."""
        assert metadata["License-Expression"] == "MIT"
        assert metadata["License-File"] == "LICENSE"
        assert metadata["Requires-Python"] == ">=3.11"

    def test_classifiers(self, metadata: Message) -> None:
        """The classifiers say typed, and name each supported Python."""
        classifiers = set(metadata.get_all("Classifier") or [])
        assert "Typing :: Typed" in classifiers
        pythons = {
            c.rsplit(" :: ", 1)[1]
            for c in classifiers
            if c.startswith("Programming Language :: Python :: 3.")
        }
        assert pythons == {"3.11", "3.12", "3.13"}

    def test_urls_and_extras(self, metadata: Message) -> None:
        """The project URLs and the optional-dependency groups are declared."""
        urls = {url.split(", ")[0] for url in metadata.get_all("Project-URL") or []}
        assert {"Documentation", "Changelog", "Source"} <= urls
        extras = set(metadata.get_all("Provides-Extra") or [])
        assert {"test", "lint", "docs", "release"} <= extras


class TestSdist:
    def test_holds_what_the_test_suite_and_docs_need(
        self, sdist_names: set[str]
    ) -> None:
        """The sdist can build, test and document the project on its own."""
        needed = {
            "pyproject.toml",
            "README.md",
            "LICENSE",
            "CHANGELOG.md",
            "conftest.py",
            "src/newsrecord/py.typed",
            "src/newsrecord/__init__.py",
            "tests/conftest.py",
            "typing_tests/check_api.py",
            "docs/conf.py",
            "docs/index.md",
            "examples/record.md",
            ".pre-commit-hooks.yaml",  # tests/test_pre_commit.py checks it
            "fuzz/fuzz_loads.py",  # tests/test_fuzz.py checks the harness
            "fuzz/corpus/minimal.md",
            "bench/run.py",  # tests/test_bench.py runs the benchmark in quick mode
        }
        assert needed <= sdist_names

    def test_holds_no_build_output_or_caches(self, sdist_names: set[str]) -> None:
        """No virtual environment, build output or cache ends up in the sdist."""
        stray = [
            name
            for name in sdist_names
            if name.startswith((".venv", "dist/", "docs/_build", ".git/"))
            or "__pycache__" in name
            or ".mypy_cache" in name
            or ".ruff_cache" in name
            or ".hypothesis" in name
        ]
        assert stray == []


@pytest.mark.skipif(
    not os.environ.get("NEWSRECORD_INSTALLED"),
    reason="this run tests the source tree, not an installed wheel",
)
class TestInstalledWheel:
    def test_newsrecord_is_imported_from_site_packages(self) -> None:
        """The suite runs against the installed wheel, not the source tree."""
        module = Path(newsrecord.__file__).resolve()
        site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
        assert module.is_relative_to(site_packages)
        assert not module.is_relative_to(ROOT / "src")
