"""Which kind of record a front matter holds, from the front matter alone.

Everything here is read from the field tables (`newsrecord._spec`): never a file's
name or folder.

1. The *deciding keys* are the keys some kind gives a fixed set of values
   (``category``, ``type``, ``taxonomy``: fields of the rule `Rule.CHOICE`). A
   kind is a candidate when each deciding key the front matter has is one of its
   keys, with one of its values, and each deciding key it requires is there:
   ``category: news`` is news only, ``type: course`` a course only.
   When no kind is a candidate, a deciding value that one kind alone takes, of
   a key that every kind having it requires, decides (``category: news`` with
   ``type: podcast`` is news, with a wrong ``type``).
2. Several candidates (``type: article`` without ``category`` is a reading, a
   function, a challenge or a form; no ``type`` at all, a forum, a challenge or
   a form) are told apart by their keys: the kind missing fewest of its
   required keys, then knowing most of the front matter's keys, then with the
   fewest keys of its own (the closest fit).
3. A kind chosen by its keys alone, not by a deciding key, must explain the
   front matter: none of its required keys missing, and more keys known than not.
   Anything else is no kind: `Unknown` says what was seen and which kinds were
   closest.
"""

from __future__ import annotations

import difflib
import functools
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._hooks import choices
from ._spec import BY_KIND, KINDS, TABLES, Rule, Table

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Set as AbstractSet

#: The class of each kind of record, by the kind's name (``news``, ``course``, ...).
KIND_CLASSES: Final[Mapping[str, type[Any]]] = MappingProxyType(
    {name: table.model for name, table in BY_KIND.items()}
)


def model_named(name: str | None) -> type[Any] | None:
    """The class of the kind ``name`` names, or ``None`` (every kind) for ``None``.

    `ValueError`, naming the kinds, for a name that is no kind's.
    """
    if name is None:
        return None
    if name not in KIND_CLASSES:
        message = f"unknown kind {name!r}: one of {', '.join(KIND_CLASSES)}"
        raise ValueError(message)
    return KIND_CLASSES[name]


def kind_name(record: object) -> str:
    """The name of the kind of ``record`` (``news``, ``course``, ...)."""
    return TABLES[type(record)].kind or type(record).__name__


def _deciding(table: Table) -> dict[str, tuple[frozenset[str], bool]]:
    """A kind's deciding keys: their values, and whether the kind requires each."""
    return {
        field.key: (frozenset(choices(field.type)), field.required)
        for field in table.fields
        if field.rule is Rule.CHOICE
    }


_DECIDING: Final = {table.kind: _deciding(table) for table in KINDS}
_KNOWN: Final = {table.kind: table.keys for table in KINDS}
_REQUIRED: Final = {
    table.kind: frozenset(field.key for field in table.fields if field.required)
    for table in KINDS
}
#: Every deciding key of any kind.
DECIDING_KEYS: Final = frozenset(key for keys in _DECIDING.values() for key in keys)


def _markers() -> dict[tuple[str, str], Table]:
    """The deciding values that tell one kind whatever else is wrong.

    A value of a deciding key that every kind having it requires (``category``,
    ``taxonomy``), when one kind alone takes that value: ``category: news`` is
    news, ``category: stats`` a stats page.
    """
    markers = {}
    for key in sorted(DECIDING_KEYS):
        having = [table for table in KINDS if key in _DECIDING[table.kind]]
        if not all(_DECIDING[table.kind][key][1] for table in having):
            continue
        for table in having:
            for value in _DECIDING[table.kind][key][0]:
                takers = [
                    other for other in having if value in _DECIDING[other.kind][key][0]
                ]
                if takers == [table]:
                    markers[key, value] = table
    return markers


#: The deciding values of one kind only, whose key every kind having it requires.
_MARKERS: Final = _markers()


@attrs.frozen
class Unknown:
    """No kind fits: what was seen, and the kinds that came closest."""

    seen: str  #: what the front matter says, as a message words it
    close: tuple[str, ...]  #: the closest kinds' names, closest first
    key: str | None  #: the deciding key at fault, if one is


def kind_of(root: Mapping[str, object]) -> Table | Unknown:
    """The table of the kind ``root`` (a front matter's top-level mapping) holds."""
    pairs = tuple([(key, root[key]) for key in _DECIDING_ORDER if key in root])
    candidates = _candidates(pairs)
    if pairs and len(candidates) == 1:
        return candidates[0]  # its deciding keys say it
    keys = root.keys()
    seen = dict(pairs)
    if not candidates:
        for key, value in pairs:  # in the order of the deciding keys
            marked = _MARKERS.get((key, value)) if isinstance(value, str) else None
            if marked is not None:
                return marked  # its other values are wrong: its fields say how
        return _unknown_value(seen)
    try:
        best = _told_by_keys(pairs, frozenset(keys))
    except TypeError:  # a deciding value that is no scalar: not to be cached
        best = _best_fit(candidates, keys)
    if best is not None:
        return best
    ranked = _ranked(candidates, keys)
    shown = ", ".join(f"`{key}`" for key in list(keys)[:_SHOWN_KEYS])
    more = len(keys) - _SHOWN_KEYS
    said = f"{_said(seen)}, and " if seen else ""
    what = f"{said}the keys {shown}" + (f" and {more} more" if more > 0 else "")
    return Unknown(what, tuple(_name(table) for table in ranked[:3]), None)


@functools.lru_cache(maxsize=1024)
def _told_by_keys(
    pairs: tuple[tuple[str, object], ...], keys: frozenset[str]
) -> Table | None:
    """`_best_fit` of the candidates of ``pairs``, remembered.

    Files of one repository have few sets of keys: each is ranked once.
    """
    return _best_fit(_candidates_of(pairs), keys)


def _best_fit(candidates: tuple[Table, ...], keys: AbstractSet[str]) -> Table | None:
    """The candidate that fits ``keys`` best, if it explains them; else ``None``."""
    best = _ranked(candidates, keys)[0]
    missing, unknown, _ = _fit(best, keys)
    if missing == 0 and len(keys) - unknown > unknown:
        return best
    return None


def _ranked(candidates: tuple[Table, ...], keys: AbstractSet[str]) -> list[Table]:
    """The candidates, the closest fit to ``keys`` first."""
    return sorted(candidates, key=lambda table: _fit(table, keys))


_SHOWN_KEYS: Final = 8
_DECIDING_ORDER: Final = tuple(sorted(DECIDING_KEYS))


def _candidates(pairs: tuple[tuple[str, object], ...]) -> tuple[Table, ...]:
    """The kinds that the deciding keys and values in ``pairs`` admit.

    Deciding values repeat across a repository (``category: news`` and ``type:
    article``, mostly): the answer for each combination is worked out once. A
    value that is no scalar (a list, say) cannot be a key of the cache.
    """
    try:
        return _candidates_of(pairs)
    except TypeError:  # unhashable: a list or a mapping
        return tuple(table for table in KINDS if _admits(table, dict(pairs)))


@functools.lru_cache(maxsize=256)
def _candidates_of(pairs: tuple[tuple[str, object], ...]) -> tuple[Table, ...]:
    return tuple(table for table in KINDS if _admits(table, dict(pairs)))


def _name(table: Table) -> str:
    return table.kind or table.model.__name__


def may_be(table: Table, root: Mapping[str, object]) -> bool:
    """Whether ``root``'s deciding keys allow it to be of ``table``'s kind.

    A record built as a challenge with a title alone is one, although its front
    matter, read with no kind asked for, is as much a form's.
    """
    return _admits(table, {key: root[key] for key in DECIDING_KEYS if key in root})


def _admits(table: Table, seen: Mapping[str, object]) -> bool:
    deciding = _DECIDING[table.kind]
    for key, value in seen.items():
        if key not in deciding or not isinstance(value, str):
            return False
        if value not in deciding[key][0]:
            return False
    return all(key in seen for key, (_, required) in deciding.items() if required)


def _fit(table: Table, keys: AbstractSet[str]) -> tuple[int, int, int]:
    """How well a kind fits: required keys missing, keys unknown, its own keys."""
    known = _KNOWN[table.kind]
    missing = _REQUIRED[table.kind].difference(keys)
    return len(missing), len(keys - known), len(known)


def evidence(table: Table, root: Mapping[str, object]) -> tuple[str, bool]:
    """What in ``root`` says it is of ``table``'s kind, as a message words it.

    And whether that is decisive: deciding values that this kind alone takes
    (``type: course``), or a value that tells it whatever else is wrong
    (``category: news``); else the kind was told by the keys ``root`` has
    (``type: article`` is a reading's, a function's, a challenge's or a form's).
    """
    deciding = _DECIDING[table.kind]
    said = _said({key: root[key] for key in deciding if key in root})
    pairs = tuple([(key, root[key]) for key in _DECIDING_ORDER if key in root])
    if pairs and _candidates(pairs) == (table,):
        return said, True
    if any(
        isinstance(value, str) and _MARKERS.get((key, value)) is table
        for key, value in pairs
    ):
        return said, True
    return (f"{said} and its keys" if said else "its keys"), False


def lacking(table: Table, root: Mapping[str, object]) -> str:
    """The deciding keys ``table``'s kind requires that ``root`` lacks, worded."""
    return ", ".join(
        f"`{key}: {next(iter(values))}`" if len(values) == 1 else f"`{key}`"
        for key, (values, required) in _DECIDING[table.kind].items()
        if required and key not in root
    )


def _said(seen: Mapping[str, object]) -> str:
    return ", ".join(f"`{key}: {value}`" for key, value in sorted(seen.items()))


def _unknown_value(seen: Mapping[str, object]) -> Unknown:
    """No kind takes these deciding values: the kinds whose values come closest."""
    # The key to blame: the first whose value no kind takes along with the others.
    for key in sorted(DECIDING_KEYS):
        if key not in seen:
            continue
        others = {other: value for other, value in seen.items() if other != key}
        if not any(_admits(table, others) for table in KINDS):
            continue
        value = str(seen[key])
        names = {
            name: table
            for table in KINDS
            for name in _DECIDING[table.kind].get(key, ((), False))[0]
        }
        close = difflib.get_close_matches(value, sorted(names), n=3, cutoff=0.5)
        kinds = tuple(dict.fromkeys(_name(names[name]) for name in close))
        return Unknown(_said(seen), kinds, key)
    return Unknown(_said(seen), (), None)
