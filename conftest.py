"""The documentation's examples are tests: Sybil runs every Python block.

Each ```` ```python ```` block of ``README.md`` and ``docs/*.md`` runs, in order,
in one namespace per file; blocks written as ``>>>`` sessions have their output
checked. Other blocks (shell commands, YAML) are left alone. The examples run from
the root of the checkout, so ``examples/record.md`` is where they say it is.
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path
from typing import Any

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser

ROOT = Path(__file__).resolve().parent


def _enter_root(namespace: dict[str, Any]) -> None:
    namespace["_cwd_before_examples"] = Path.cwd()
    os.chdir(ROOT)


def _leave_root(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_cwd_before_examples"])


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS)],
    patterns=["README.md", "docs/*.md"],
    setup=_enter_root,
    teardown=_leave_root,
).pytest()
