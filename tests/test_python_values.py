"""Any value given from Python: a record that writes and reads back, or our error.

Files are not the only way in: `from_dict` takes mappings, and every record's
constructor (so `attrs.evolve`) takes values. Here they get values of every
type, nested at random, under the keys the kinds know. Whatever they make must
be a record that `dumps` writes (or refuses with a `ValidationError`) and that
reads back equal; anything they refuse must be refused with an error of ours.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import newsrecord
from newsrecord._model import file_key

KINDS_DATA = Path(__file__).resolve().parent / "data" / "kinds"
#: A valid record of each kind, loaded from the project's own fixtures.
RECORDS = tuple(
    newsrecord.load_record(path) for path in sorted(KINDS_DATA.glob("*/valid-*.md"))
)
#: Every attribute of every kind, and its key as files write it.
ATTRIBUTES = sorted(
    {field.name for record in RECORDS for field in attrs.fields(type(record))}
)
KEYS = sorted({file_key(name) for name in ATTRIBUTES} | {"x-odd", ""})
#: The values that tell the kinds apart, and a few that tell none.
DECIDING = ["news", "article", "video", "course", "profile", "organization", "x"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["https://example.com/a", "/assets/a.png", *DECIDING]),
    st.sampled_from(["2019-12-23T00:00:00Z", "2019-12-23", "a;b"]),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.datetimes(),
    st.dates(),
    st.binary(max_size=4),
    st.just(()),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    ),
    max_leaves=6,
)
mappings = st.dictionaries(
    st.sampled_from([*KEYS, "category", "type", "taxonomy"]), values, max_size=8
)


def _reads_back(record: newsrecord.Record) -> None:
    """``record`` is written (or refused with our error) and reads back equal."""
    try:
        text = newsrecord.dumps(record)
    except newsrecord.ValidationError:
        return  # a record its kind cannot be told from, say: refused, said why
    back = newsrecord.loads_record(text)  # whatever its kind, it loads
    # A record made as one kind may be told another by its keys (a challenge
    # with only a title is as much a form): it then reads back as that.
    if type(back) is type(record):
        assert back == record


class TestFromDict:
    @given(mapping=mappings, kind=st.sampled_from([None, *newsrecord.KINDS.values()]))
    def test_any_mapping_is_a_record_or_our_error(
        self, mapping: dict[str, Any], kind: type[Any] | None
    ) -> None:
        """`from_dict` of any mapping gives a record, or a ValidationError."""
        try:
            record = newsrecord.from_dict(mapping, kind=kind)
        except newsrecord.ValidationError:  # KindError included: refused, as asked
            return
        _reads_back(record)

    @given(
        data=st.data(),
        base=st.sampled_from(RECORDS),
    )
    def test_a_real_mapping_with_any_value_changed(
        self, data: st.DataObject, base: newsrecord.Record
    ) -> None:
        """A valid record's mapping with keys given any value: a record or our error."""
        mapping = newsrecord.to_dict(base)
        changes = data.draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3))
        try:
            record = newsrecord.from_dict({**mapping, **changes}, kind=None)
        except newsrecord.ValidationError:  # KindError included: refused, as asked
            return
        _reads_back(record)


class TestConstruction:
    @given(data=st.data(), base=st.sampled_from(RECORDS))
    def test_any_value_is_checked(
        self, data: st.DataObject, base: newsrecord.Record
    ) -> None:
        """`attrs.evolve` with any values: a record that reads back, or our error.

        The record made holds what a loaded record holds (tuples for lists, a
        `datetime` for a timestamp's text), and so reads back equal.
        """
        names = [field.name for field in attrs.fields(type(base))]
        changes = data.draw(st.dictionaries(st.sampled_from(names), values, max_size=2))
        try:
            record = attrs.evolve(base, **changes)  # type: ignore[misc]
        except newsrecord.ValidationError:  # KindError included: refused, as asked
            return
        _reads_back(record)
