"""How much a record may hold: bounds that keep hostile input cheap to refuse.

The defaults are far beyond any real record (real front matter is a few
kilobytes and four levels deep) and far below what would take a reader long or
much memory.
"""

from __future__ import annotations

from typing import Final

import attrs

#: The codes of the errors for a text beyond a bound of `Limits`.
BEYOND_CODES: Final = frozenset({"too-large", "too-deep", "too-many-nodes"})


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    """`TypeError` for anything but an int (a bool included), `ValueError` below 1."""
    if type(value) is not int or value < 1:
        msg = f"Limits.{attribute.name} must be a positive int, not {value!r}"
        raise (ValueError if type(value) is int else TypeError)(msg)


@attrs.frozen
class Limits:
    """Bounds on a record's size and shape; pass one to `load` or `loads`.

    A record beyond any of them is refused with a `FrontMatterError` before it is
    read further: ``too-large`` for the sizes, ``too-deep`` for the nesting,
    ``too-many-nodes`` for the values. A record with more problems than
    ``max_problems`` is refused with a `ValidationError` that lists that many and
    says how many more it found.
    """

    #: The largest file, in bytes (in characters for text): 16 MiB.
    max_file_size: int = attrs.field(default=16 * 1024 * 1024, validator=_positive)
    #: The largest front matter, in characters: 1 MiB. Its values may hold no
    #: more text than that either, once YAML aliases are expanded.
    max_front_matter_size: int = attrs.field(default=1024 * 1024, validator=_positive)
    #: The deepest nesting of mappings and lists in the front matter.
    max_depth: int = attrs.field(default=100, validator=_positive)
    #: The most values (keys' values, list items, nested ones) after expanding
    #: YAML aliases: no "billion laughs".
    max_values: int = attrs.field(default=100_000, validator=_positive)
    #: The most problems a `ValidationError` lists. Past them, the rest of the
    #: record is only checked for how many more there are (at the least: one for
    #: each value with any problem), which takes far less time and memory.
    max_problems: int = attrs.field(default=100, validator=_positive)

    def __reduce__(self) -> str | tuple[object, ...]:
        """Pickled by name when it is the default: a kept record pickles small."""
        if self is DEFAULT_LIMITS:
            return "DEFAULT_LIMITS"
        return (type(self), attrs.astuple(self))


DEFAULT_LIMITS = Limits()


#: The bounds on a file's text, as opposed to the bound on an error's problems.
_BOUNDS_OF_TEXT = tuple(
    field.name for field in attrs.fields(Limits) if field.name != "max_problems"
)


def covers(limits: Limits, read_with: Limits) -> bool:
    """Whether text read within ``read_with`` also loads within ``limits``.

    So it does when no bound of ``limits`` on the text is tighter.
    """
    return limits is read_with or all(
        getattr(limits, name) >= getattr(read_with, name) for name in _BOUNDS_OF_TEXT
    )
