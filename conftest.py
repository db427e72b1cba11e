"""The documentation's examples are tests: Sybil runs every Python and console block.

Each ```` ```python ```` block of ``README.md`` and ``docs/*.md`` runs, in order,
in one namespace per file; blocks written as ``>>>`` sessions have their output
checked. The examples run from the root of the checkout, so ``examples/record.md``
is where they say it is.

Each ```` ```console ```` block is a shell session: every ``$ command`` runs in
a POSIX shell (the sessions are not run on Windows), in a copy of the project's
``examples/`` folder made for the page (so that ``newsrecord fmt`` changes the
copy only), with the ``newsrecord`` of the environment that runs the tests
first on ``PATH``; the lines after a command are what it prints, standard output
and standard error as a terminal shows them. ``$?`` is the status of the
command before, as in a shell. Output is compared line by line, trailing spaces
left out and run times (``(0.02 s)``, ``"seconds": 0.018``) read as any time. On
a mismatch, the failure shows the block as it should read. Other blocks (``sh``
commands, YAML) are left alone.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

import pytest
from sybil import Example, Sybil
from sybil.parsers.myst import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).resolve().parent

#: The namespace key of a page's copy of ``examples/``.
_FOLDER: Final = "_console_folder"
#: The namespace key of the status of a page's last command, for ``$?``.
_STATUS: Final = "_console_status"
#: Times, which vary from run to run.
_TIMES: Final = re.compile(r'\(\d+\.\d+ s\)|"seconds": \d+(?:\.\d+)?')


def _enter_root(namespace: dict[str, Any]) -> None:
    namespace["_cwd_before_examples"] = Path.cwd()
    os.chdir(ROOT)


def _leave_root(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_cwd_before_examples"])
    if _FOLDER in namespace:
        shutil.rmtree(namespace[_FOLDER])


def _sessions(block: str) -> list[tuple[str, list[str]]]:
    """The commands of a console block, each with the lines written after it."""
    sessions: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        elif sessions and sessions[-1][0].endswith("\\"):
            command, output = sessions[-1]
            sessions[-1] = (f"{command}\n{line}", output)
        elif sessions:
            sessions[-1][1].append(line)
        else:
            message = f"a console block starts with a `$ ` command line: {line!r}"
            raise ValueError(message)
    return sessions


def _run(command: str, namespace: dict[str, Any]) -> list[str]:
    """Run one command of a page's session; the lines it prints."""
    if _FOLDER not in namespace:
        folder = Path(tempfile.mkdtemp(prefix="newsrecord-docs-")) / "examples"
        shutil.copytree(ROOT / "examples", folder)
        namespace[_FOLDER] = folder.parent
    environment = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
        ),
        "PYTHONUNBUFFERED": "1",  # standard output and error in the order written
        "COLUMNS": "80",
    }
    result = subprocess.run(  # noqa: S603 (the docs' own commands)
        ["/bin/sh", "-c", f"(exit {namespace.get(_STATUS, 0)}); {command}"],
        cwd=namespace[_FOLDER] / "examples",
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    namespace[_STATUS] = result.returncode
    return result.stdout.splitlines()


def _comparable(lines: list[str]) -> list[str]:
    return [_TIMES.sub("<time>", line.rstrip()) for line in lines]


def _evaluate_console(example: Example) -> str | None:
    """Run a console block's commands; what differs from the block, if anything."""
    if os.name != "posix":
        pytest.skip("the console sessions are POSIX shell sessions")
    block: str = example.parsed
    expected: list[str] = []
    actual: list[str] = []
    for command, written in _sessions(block):
        expected += [f"$ {command}", *written]
        actual += [f"$ {command}", *_run(command, example.namespace)]
    if _comparable(expected) == _comparable(actual):
        return None
    shown = "\n".join(actual)
    return f"the session prints something else; the block should read:\n{shown}\n"


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS),
        CodeBlockParser("console", _evaluate_console),
    ],
    patterns=["README.md", "docs/*.md"],
    setup=_enter_root,
    teardown=_leave_root,
).pytest()
