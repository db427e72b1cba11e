"""Records for the tests: a valid news record's text, and records as plain data.

`record` gives the text of a small valid news record, with top-level lines
replaced, removed or added, so a test shows only what it changes. `as_data` turns
a loaded record into JSON-able data, field by field in the file's spelling, for
comparing with the expected results in ``tests/data``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from newsrecord import SecuredToken
from newsrecord._model import READING, file_key

#: The ``secured`` token of `record`: 224 bytes of ciphertext and a 16-byte IV.
CIPHERTEXT = bytes((i * 7 + 3) % 256 for i in range(224))
IV = bytes((i * 11 + 5) % 256 for i in range(16))
TOKEN = (
    base64.b64encode(CIPHERTEXT).decode("ascii")
    + ";"
    + base64.b64encode(IV).decode("ascii")
)

_RECORD = f"""\
---
category: news
title: "Night trains return to the northern line"
excerpt: "After eleven years without them, sleeper services restart in May ..."
publishedDateTime: 2024-02-05T06:15:00Z
sourceUrl: https://rail.example.com/2024/02/night-trains-return
ampUrl: https://rail.example.com/2024/02/night-trains-return/amp
cdnAmpUrl: https://rail-example-com.cdn.ampproject.org/c/s/rail.example.com/2024/02/night-trains-return/amp
type: article
quality: 48
heat: 7
published: true

provider:
  name: Example Rail Desk
  domain: rail.example.com

topics:
  - Transport

secured: "{TOKEN}"
---
"""

_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z]+):", re.MULTILINE)


def record(
    lines: Mapping[str, str] | None = None,
    /,
    *,
    drop: tuple[str, ...] = (),
    add: str = "",
) -> str:
    """The valid record's text, changed at its top-level keys.

    ``lines`` replaces the line of each key (``{"quality": "quality: x"}``; the new
    text may span lines). A replaced block (``provider``, ``topics``) loses its
    indented lines too. ``drop`` removes keys the same way, and ``add`` is inserted
    before the closing ``---``.
    """
    lines = lines or {}
    out: list[str] = []
    skipping = False
    for line in _RECORD.splitlines(keepends=True):
        match = _TOP_LEVEL_KEY.match(line)
        if match is not None:
            key = match.group(1)
            skipping = key in drop or key in lines
            if key in lines:
                out.append(lines[key].rstrip("\n") + "\n")
            if skipping:
                continue
        elif skipping and line.startswith(" "):
            continue
        elif line.startswith("---") and out and add:
            out.append(add.rstrip("\n") + "\n")
        out.append(line)
    return "".join(out)


def as_data(value: Any) -> Any:  # noqa: PLR0911 (one return per kind of value)
    """A loaded record (or any value in it) as JSON-able data.

    Records become mappings keyed in the file's spelling, with ``extra`` and, for an
    Article, ``body`` under their own names; a field left at its default (``None``,
    ``()``, no extra keys, an empty body) is left out. Datetimes become ISO 8601
    text, tokens their lengths and text, tuples lists.
    """
    if isinstance(value, SecuredToken):
        return {
            "ciphertext_bytes": len(value.ciphertext),
            "iv_bytes": len(value.iv),
            "text": str(value),
        }
    if attrs.has(type(value)):
        data: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.name.startswith("_") or item == field.default:
                continue
            name = (
                field.name if field.name in {"extra", "body"} else file_key(field.name)
            )
            data[name] = as_data(item)
        return data
    if isinstance(value, Mapping):
        return {key: as_data(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [as_data(item) for item in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    return value


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Records made inside are not checked by their constructors.

    As the readers make them; a test makes a wrong record this way to show that
    writing refuses it too.
    """
    reading = READING.set(True)
    try:
        yield
    finally:
        READING.reset(reading)
