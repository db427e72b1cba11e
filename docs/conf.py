"""Sphinx configuration: MyST Markdown pages, the furo theme, API from docstrings.

The build runs with warnings as errors and nitpicky cross-references
(``sphinx-build -W --keep-going -n``), and offline: no intersphinx inventories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import newsrecord

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

project = "newsrecord"
author = "The newsrecord authors"
copyright = "The newsrecord authors"
release = newsrecord.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True

# `name` in a docstring is a cross-reference, as it reads in the source.
default_role = "py:obj"

myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"

# Standard-library names are linked through intersphinx elsewhere; this build is
# offline (no inventories to fetch), so they stay plain text instead of links.
nitpick_ignore = [
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "datetime.datetime"),
    ("py:class", "os.PathLike"),
    ("py:obj", "datetime"),
    ("py:obj", "open"),
    # The type variable of `from_dict`'s signature: a record class and its record.
    ("py:class", "newsrecord._model.R"),
    # Dask's own classes, as newsrecord.dask's signatures name them.
    ("py:class", "dask.bag.Bag"),
    ("py:class", "dask.bag.core.Bag"),
    ("py:class", "dask.dataframe.dask_expr._collection.DataFrame"),
]

html_theme = "furo"
html_title = f"newsrecord {release}"
html_static_path = ["_static"]
html_css_files = ["tables.css"]


def _public_name(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Point ``newsrecord._model.Article`` at ``newsrecord.Article``.

    Signatures name classes where they are defined, in private modules; they are
    documented where users import them from.
    """
    target = node.get("reftarget", "")
    module, _, name = target.rpartition(".")
    if not module.startswith("newsrecord._") or name not in newsrecord.__all__:
        return None
    node["reftarget"] = f"newsrecord.{name}"
    domain = env.get_domain("py")
    builder = app.builder
    return domain.resolve_xref(
        env, node["refdoc"], builder, node["reftype"], node["reftarget"], node, contnode
    )


#: Where a page asks for the tables of the kinds of record.
KINDS_TABLES = "<!-- the tables of the kinds of record -->"

#: What a table's rule column says of each rule of the field table.
RULE_WORDS = {
    "text": "text",
    "choice": "one of",
    "link": "an absolute http(s) URL",
    "image link": "an absolute http(s) URL, or a path from the root",
    "integer": "integer (32-bit)",
    "number": "number",
    "size": "integer, not negative",
    "bool": "bool",
    "timestamp": "timestamp with a timezone",
    "token": "the opaque token",
    "list of text": "list of text",
    "record": "map",
    "list of records": "list of maps",
}


def kinds_tables() -> str:
    """A section per kind of record and per part of one, from the field tables.

    News and its parts have their own page, the format reference; the parts the
    other kinds add (ratings, actions, accounts, ...) have a section here.
    """
    from newsrecord._spec import ARTICLE, KINDS, TABLES  # noqa: PLC0415 (docs only)

    on_format_page = _parts(ARTICLE, TABLES)
    sections, parts = [], {}
    for table in KINDS:
        if table is ARTICLE:
            continue
        heading = f"## `{table.kind}`: `{table.model.__name__}`"
        sections.append(_key_table(table, heading, on_format_page))
        parts.update(_parts(table, TABLES))
    for name, table in parts.items():
        if name not in on_format_page:
            sections.append(_key_table(table, f"## `{name}`", on_format_page))
    return "\n\n".join(sections)


def _parts(table: Any, tables: dict[type, Any]) -> dict[str, Any]:
    """The tables of the parts of a record of ``table``, at any depth, by name."""
    found: dict[str, Any] = {}
    for field in table.fields:
        if field.model is not None and field.model.__name__ not in found:
            found[field.model.__name__] = tables[field.model]
            found.update(_parts(tables[field.model], tables))
    return found


def _key_table(table: Any, heading: str, on_format_page: dict[str, Any]) -> str:
    """A kind's (or a part's) keys: attribute, type, and rule, in written order."""
    from newsrecord._hooks import choices  # noqa: PLC0415 (docs only)
    from newsrecord._spec import Rule  # noqa: PLC0415

    summary = (table.model.__doc__ or "").strip().splitlines()[0]
    annotations = vars(table.model)["__annotations__"]
    lines = [heading, "", summary, ""]
    if table.needs_one_of:
        keys = ", ".join(f"`{key}`" for key in table.needs_one_of)
        lines += [f"A record needs {table.needs}: one of {keys}.", ""]
    lines.append("| key | attribute | type | rule |")
    lines.append("| --- | --- | --- | --- |")
    for field in table.fields:
        words = RULE_WORDS[field.rule.value]
        if field.rule is Rule.CHOICE:
            words += " " + ", ".join(
                f"`{value}`" if value else "nothing" for value in choices(field.type)
            )
        if field.model is not None:
            name = field.model.__name__
            page = "format.md" if name in on_format_page else ""
            words += f": see [`{name}`]({page}#{name.lower()})"
        if field.required:
            words = f"required; {words}"
        annotation = annotations[field.attribute].replace("|", "\\|")
        lines.append(
            f"| `{field.key}` | `{field.attribute}` | `{annotation}` | {words} |"
        )
    return "\n".join(lines)


def _fill_kinds_tables(_app: Sphinx, _docname: str, source: list[str]) -> None:
    """Put the generated tables where a page asks for them."""
    if KINDS_TABLES in source[0]:
        source[0] = source[0].replace(KINDS_TABLES, kinds_tables())


def setup(app: Sphinx) -> None:
    """Register the resolver of private module paths, and the kinds' tables."""
    app.connect("missing-reference", _public_name)
    app.connect("source-read", _fill_kinds_tables)
