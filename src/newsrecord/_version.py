"""The version of newsrecord, in one place, and how this copy of it was built."""

from __future__ import annotations

import importlib
from typing import Final

__version__ = "0.1.0"

#: The modules a compiled wheel holds as extension modules (see pyproject.toml).
COMPILED_MODULES: Final = (
    "_fastyaml",
    "_scalars",
    "_hooks",
    "_direct",
    "_read",
    "_kinds",
    "_token",
    "_transport",
    "_json",
)


def build() -> str:
    """``"compiled"`` when the reader's modules are compiled, else ``"pure Python"``.

    Both builds behave the same; the compiled one reads records faster.
    """
    for name in COMPILED_MODULES:
        module = importlib.import_module(f"newsrecord.{name}")
        if (module.__file__ or "").endswith(".py"):
            return "pure Python"
    return "compiled"
