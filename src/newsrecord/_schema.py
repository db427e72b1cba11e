"""A JSON Schema (draft 2020-12) of a record's front matter, for editors.

One schema per kind of record (news by default), or one that accepts a record of
any kind.

Derived from the field table (`newsrecord._spec`): it gives the keys (spelled as
in the file), the required keys, each key's rule and the links of which a record
needs one. The patterns are those the structuring layer checks, rewritten
for the ECMA-262 dialect that JSON Schema uses.

The schema judges what an editor sees. The VS Code YAML extension reads front
matter as YAML 1.2 and checks the JSON values it gets, so:

- a text field takes any scalar: newsrecord keeps the text of a plain scalar, so
  ``domain:`` (nothing, null to an editor) and a provider named ``1848`` are fine;
- a timestamp is a string: YAML 1.2 has no timestamps, and the pattern takes both
  the YAML form (``2019-12-23T00:00:00Z``, ``2019-12-23 00:00:00 +1``) and the ISO
  8601 calendar forms that newsrecord reads from quoted text; it needs a time and a
  timezone, as newsrecord does;
- an optional integer or boolean may be null (newsrecord reads it as absent).

What no schema can tell, newsrecord still reports: a date that is not in the
calendar (``2019-02-30``), an integer written as ``1.0``, a quoted ``"yes"`` in a
boolean field. Some rare spellings newsrecord reads by YAML 1.1 rules are text to
a YAML 1.2 editor and draw a complaint there: ``yes``/``no``/``on``/``off`` as
booleans, ``1_000``, ``0b101`` or ``1:30`` as integers. ISO week dates and unusual
separators, which Python reads from quoted timestamps, are not in the pattern.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ._hooks import INT32_MAX, INT32_MIN, ROOT_PATH, URL, choices
from ._spec import BY_KIND, KINDS, NULL_IS_ABSENT, TABLES, Field, Rule, Table

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_ASCII_SPACE: Final = r"\t\n\v\f\r "


def ecma_pattern(pattern: str) -> str:
    r"""A Python ``re.ASCII`` pattern as an anchored ECMA-262 one.

    ECMA's ``\s`` also matches non-ASCII spaces, so the ASCII classes are spelled
    out; any other class shorthand is refused rather than translated wrongly.
    """
    translated = pattern.replace(r"[^\s", f"[^{_ASCII_SPACE}").replace(
        r"\S", f"[^{_ASCII_SPACE}]"
    )
    leftover = re.search(r"\\[sSwWbB]", translated)
    if leftover is not None:
        msg = f"no ECMA-262 translation for {leftover.group()!r} in {pattern!r}"
        raise ValueError(msg)
    return f"^(?:{translated})$"


_B64: Final = "[A-Za-z0-9+/]"
# Canonical padding: the last character before "=" or "==" carries no spare bits.
_B64_TAIL_1: Final = f"{_B64}{{21}}[AQgw]=="  # 16 bytes, 48n + 16 in all
_B64_TAIL_2: Final = f"{_B64}{{42}}[AEIMQUYcgkosw048]="  # 32 bytes, 48n + 32
_CIPHERTEXT: Final = f"(?:{_B64}{{64}})*(?:{_B64}{{64}}|{_B64_TAIL_1}|{_B64_TAIL_2})"

#: `SecuredToken.parse` as a pattern: a ciphertext of a non-zero multiple of 16
#: bytes and an IV of exactly 16, both canonical standard base64.
TOKEN_PATTERN: Final = f"^{_CIPHERTEXT};{_B64_TAIL_1}$"

_DATE: Final = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{8}"
_TIME: Final = "[0-9]{1,2}(?::?[0-9]{2}(?::?[0-9]{2}(?:[.,][0-9]*)?)?)?"
_ZONE: Final = "[ \\t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2}(?::?[0-9]{2}(?:\\.[0-9]+)?)?)?)"

#: A date, a time and a timezone, as YAML 1.1 or ISO 8601 (calendar dates) write
#: them; a little wider than either, never narrower.
TIMESTAMP_PATTERN: Final = f"^(?:{_DATE})(?:[Tt]|[ \\t]+){_TIME}{_ZONE}$"

_TEXT: Final[dict[str, Any]] = {"type": ["string", "number", "boolean", "null"]}
_INTEGER: Final[dict[str, Any]] = {
    "type": "integer",
    "minimum": INT32_MIN,
    "maximum": INT32_MAX,
}

_URL: Final = {
    "type": "string",
    "pattern": ecma_pattern(URL.pattern),
    "description": "an absolute http(s) URL",
}

#: The schema of each rule of a single value (`newsrecord._spec.Rule`).
_RULES: Final[dict[Rule, dict[str, Any]]] = {
    Rule.TEXT: _TEXT,
    Rule.LINK: _URL,
    Rule.IMAGE_LINK: {
        **_URL,
        "pattern": ecma_pattern(f"{URL.pattern}|{ROOT_PATH.pattern}"),
        "description": "an absolute http(s) URL or a path starting with /",
    },
    Rule.INT32: _INTEGER,
    Rule.SIZE: {**_INTEGER, "minimum": 0},
    Rule.NUMBER: {"type": "number"},
    Rule.BOOL: {"type": "boolean"},
    Rule.TIMESTAMP: {
        "type": "string",
        "pattern": TIMESTAMP_PATTERN,
        "description": "a date and time with a timezone: 2019-12-23T00:00:00Z",
    },
    Rule.TOKEN: {
        "type": "string",
        "pattern": TOKEN_PATTERN,
        "description": "the opaque token: <base64 ciphertext>;<base64 IV>",
    },
}


def json_schema(*, strict: bool = False, kind: str | None = "news") -> dict[str, Any]:
    """The JSON Schema of the front matter of a record of ``kind``.

    ``kind`` names a kind (``news``, ``course``, ...: see `newsrecord.KINDS`), or
    is ``None`` for a schema that accepts a record of any kind. Keys the model
    does not know are allowed, as newsrecord keeps them; with ``strict`` they are
    not, as with ``load(..., strict=True)``.
    """
    definitions: dict[str, Any] = {}
    if kind is None:
        kinds = [_reference(table.model, definitions, strict=strict) for table in KINDS]
        return {
            "$schema": DIALECT,
            "title": "Record",
            "description": "The YAML front matter of a record of any kind.",
            "anyOf": kinds,
            "$defs": dict(sorted(definitions.items())),
        }
    if kind not in BY_KIND:
        message = f"no kind of record is named {kind!r}: one of {', '.join(BY_KIND)}"
        raise ValueError(message)
    root = _object(BY_KIND[kind], definitions, strict=strict)
    return {
        "$schema": DIALECT,
        "title": f"{kind.capitalize()} record",
        "description": f"The YAML front matter of a {kind} record (newsrecord).",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _object(
    table: Table, definitions: dict[str, Any], *, strict: bool
) -> dict[str, Any]:
    properties = {
        field.key: _field(field, definitions, strict=strict) for field in table.fields
    }
    required = [field.key for field in table.fields if field.required]
    summary = (table.model.__doc__ or "").strip().splitlines()[0]
    schema: dict[str, Any] = {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": required,
        "additionalProperties": not strict,
    }
    if table.needs_one_of:
        schema["anyOf"] = [{"required": [key]} for key in table.needs_one_of]
    return schema


def _field(
    field: Field, definitions: dict[str, Any], *, strict: bool
) -> dict[str, Any]:
    """The schema of a field, by its rule in the field table."""
    rule = field.rule
    if rule is Rule.RECORD:
        return _reference(field.model, definitions, strict=strict)
    if rule is Rule.RECORDS:
        items = _reference(field.model, definitions, strict=strict)
        return {"type": "array", "items": items}
    if rule is Rule.TEXTS:
        return {"type": "array", "items": _TEXT}
    if rule is Rule.CHOICE:
        allowed: list[str | None] = list(choices(field.type))
        # An empty choice is the key written with nothing after it: null to an
        # editor, the empty text to newsrecord (``type:`` in older functions).
        return {"enum": [*allowed, None] if "" in allowed else allowed}
    schema = _RULES[rule]
    if not field.required and rule in NULL_IS_ABSENT:
        # Only these read null as absent; text keeps the text "null", and a
        # link's null is checked as its text.
        return {**schema, "type": [schema["type"], "null"]}
    return schema


def _reference(
    model: type[Any] | None, definitions: dict[str, Any], *, strict: bool
) -> dict[str, Any]:
    assert model is not None  # noqa: S101 (a nested rule names its model)
    name = model.__name__
    if name not in definitions:
        definitions[name] = {}  # a placeholder, should the model recurse
        definitions[name] = _object(TABLES[model], definitions, strict=strict)
    return {"$ref": f"#/$defs/{name}"}
