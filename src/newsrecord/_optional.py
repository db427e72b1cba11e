"""The optional dependencies: imported when used, with the extra that installs them.

Importing newsrecord imports none of them; the function that needs one asks for it
here, and a missing one is reported in one line that names the extra to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType


def require(module: str, *, extra: str, purpose: str) -> ModuleType:
    """The module named ``module``, imported; `ModuleNotFoundError` naming ``extra``.

    ``purpose`` says what needs it: ``"Parquet export"``.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        missing = (exc.name or module).partition(".")[0]
        message = (
            f"{purpose} needs {missing}; install it with: "
            f"pip install 'newsrecord[{extra}]'"
        )
        raise ModuleNotFoundError(message, name=exc.name) from exc
