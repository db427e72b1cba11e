"""Comparing records: whether two values would be written the same way."""

from __future__ import annotations

import datetime as dt
import math
from collections import abc
from typing import Any

import attrs

from ._render import timestamp_text

_EQ_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def same(  # noqa: C901, PLR0911 (one case per type)
    left: object, right: object, *, as_written: bool = False
) -> bool:
    """Whether two values would be written the same way.

    Stricter than ``==``: timestamps must also have the same offset, types must
    match (``True`` is not ``1``), key order counts, and NaN is NaN. With
    ``as_written``, timestamps are the same when they are written the same (an
    offset with seconds is written in UTC).
    """
    if left is right:
        return True
    if isinstance(left, str) and isinstance(right, str):
        return str.__eq__(left, right)
    cls = type(left)
    if cls is not type(right):
        both_maps = isinstance(left, abc.Mapping) and isinstance(right, abc.Mapping)
        both_lists = isinstance(left, (tuple, list)) and isinstance(
            right, (tuple, list)
        )
        if not (both_maps or both_lists):
            return False
    names = _EQ_FIELDS.get(cls)
    if names is None and attrs.has(cls):
        names = tuple(field.name for field in attrs.fields(cls) if field.eq)
        _EQ_FIELDS[cls] = names
    if names is not None:
        return all(
            same(getattr(left, name), getattr(right, name), as_written=as_written)
            for name in names
        )
    if isinstance(left, abc.Mapping):
        assert isinstance(right, abc.Mapping)  # noqa: S101 (narrowing for mypy)
        return list(left) == list(right) and all(
            same(left[key], right[key], as_written=as_written) for key in left
        )
    if isinstance(left, (tuple, list)):
        assert isinstance(right, (tuple, list))  # noqa: S101 (narrowing for mypy)
        return len(left) == len(right) and all(
            same(one, other, as_written=as_written)
            for one, other in zip(left, right, strict=True)
        )
    if isinstance(left, dt.datetime):
        assert isinstance(right, dt.datetime)  # noqa: S101 (narrowing for mypy)
        if as_written:
            return timestamp_text(left) == timestamp_text(right)
        return left == right and left.utcoffset() == right.utcoffset()
    if isinstance(left, float) and math.isnan(left):
        return isinstance(right, float) and math.isnan(right)
    return bool(left == right)
