"""The public functions: `load` and `loads`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ._read import read
from ._structure import structure

if TYPE_CHECKING:
    from ._model import Article


def loads(
    text: str | bytes, /, *, path: str | None = None, strict: bool = False
) -> Article:
    """Read a news record from its text (or its UTF-8 bytes).

    ``path`` only names the source in errors. With ``strict``, keys the model does
    not know are errors instead of being kept in ``extra``.

    Raises `FrontMatterError` when the file's frame or YAML is broken, `KindError`
    for a record of another kind, and `ValidationError` (listing every problem)
    when fields are wrong.
    """
    return structure(read(text, path), strict=strict)


def load(path: str | os.PathLike[str], *, strict: bool = False) -> Article:
    """Read the news record in the file at ``path``; see `loads`.

    Errors name the file as ``path`` was given. Reading the file may also raise
    `OSError` (a missing file, say), as `open` does.
    """
    name = os.fspath(path)
    with open(name, "rb") as file:  # noqa: PTH123 (os.PathLike in, plain open)
        data = file.read()
    return loads(data, path=name, strict=strict)
