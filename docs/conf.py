"""Sphinx configuration: MyST Markdown pages, the furo theme, API from docstrings.

The build runs with warnings as errors and nitpicky cross-references
(``sphinx-build -W --keep-going -n``), and offline: no intersphinx inventories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def setup(app: Sphinx) -> None:
    """Register the resolver of private module paths."""
    app.connect("missing-reference", _public_name)
