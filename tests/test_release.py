"""The release configuration: which compiled wheels a release builds and publishes.

pyproject.toml's ``[tool.cibuildwheel]`` says what cibuildwheel builds, and
``.github/workflows/release.yml`` runs it once per platform and architecture. These
tests ask cibuildwheel itself which wheels the configuration selects. They check the
source tree, not an installed wheel, so they do not run against one
(``NEWSRECORD_INSTALLED``); outside CI they skip when cibuildwheel (the ``release``
extra) is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"

#: The platforms and architectures a release has compiled wheels for.
PLATFORMS = {
    "linux": {
        "manylinux_x86_64",
        "manylinux_aarch64",
        "musllinux_x86_64",
        "musllinux_aarch64",
    },
    "macos": {"macosx_x86_64", "macosx_arm64"},
    "windows": {"win_amd64"},
}

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("NEWSRECORD_INSTALLED")),
    reason="checks the source tree's release configuration, not the installed wheel",
)


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _supported_pythons() -> set[str]:
    """``cp311``, ...: the CPython versions the classifiers name."""
    classifiers = _pyproject()["project"]["classifiers"]
    versions = (
        re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", classifier)
        for classifier in classifiers
    )
    return {f"cp3{match[1]}" for match in versions if match}


def _identifiers(platform: str) -> set[str]:
    """What cibuildwheel would build on ``platform`` with this configuration."""
    if importlib.util.find_spec("cibuildwheel") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("cibuildwheel (the release extra) is not installed")
        pytest.skip("cibuildwheel (the release extra) is not installed")
    listed = subprocess.run(  # noqa: S603 (our own command line, no shell)
        [
            sys.executable,
            "-m",
            "cibuildwheel",
            "--print-build-identifiers",
            "--platform",
            platform,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split())


class TestCompiledWheels:
    @pytest.mark.parametrize("platform", sorted(PLATFORMS))
    def test_every_python_on_every_architecture(self, platform: str) -> None:
        """Each platform builds one wheel per supported CPython and architecture."""
        pythons = _supported_pythons()
        assert pythons >= {"cp311", "cp312", "cp313"}
        expected = {f"{py}-{tag}" for py in pythons for tag in PLATFORMS[platform]}
        assert _identifiers(platform) == expected

    def test_compiled_and_tested(self) -> None:
        """The wheels are compiled with mypyc and tested as the compiled build."""
        options = _pyproject()["tool"]["cibuildwheel"]
        assert options["environment"] == {"HATCH_BUILD_HOOK_ENABLE_MYPYC": "1"}
        assert options["test-environment"]["NEWSRECORD_COMPILED"] == "1"
        assert "pytest" in options["test-command"]
        assert {"tests", "conftest.py", "pyproject.toml"} <= set(
            options["test-sources"]
        )


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    if not WORKFLOW.is_file() and os.environ.get("CI") != "true":
        pytest.skip("the release workflow is not in this tree (an unpacked sdist)")
    with WORKFLOW.open(encoding="utf-8") as file:
        loaded: dict[str, Any] = yaml.safe_load(file)
    return loaded


class TestWorkflow:
    def test_runs_every_configured_architecture(self, workflow: dict[str, Any]) -> None:
        """The build matrix runs each architecture the configuration lists, once."""
        matrix = workflow["jobs"]["compiled"]["strategy"]["matrix"]["include"]
        ran = sorted((entry["platform"], entry["archs"]) for entry in matrix)
        tool = _pyproject()["tool"]["cibuildwheel"]
        configured = sorted(
            (platform, arch)
            for platform in PLATFORMS
            for arch in tool[platform]["archs"]
        )
        assert ran == configured

    def test_publishes_everything_by_trusted_publishing(
        self, workflow: dict[str, Any]
    ) -> None:
        """Publishing waits for every build and uses an OIDC token, not a secret."""
        jobs = workflow["jobs"]
        publish = jobs["publish"]
        assert set(publish["needs"]) == set(jobs) - {"publish"}
        assert publish["permissions"] == {"id-token": "write"}
        steps = [step.get("uses", "") for step in publish["steps"]]
        assert any(uses.startswith("pypa/gh-action-pypi-publish@") for uses in steps)
        assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")
