"""Records between processes: pickled as their attributes, made again as they were."""

from __future__ import annotations

import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import newsrecord
from newsrecord import _transport
from newsrecord._model import Record, unchanged, without_source
from newsrecord._spec import TABLES
from strategies import records_of
from test_cli import COURSE, VALID

KINDS = sorted(newsrecord.KINDS.values(), key=lambda model: model.__name__)


def sent(value: object) -> object:
    """``value`` sent as records travel, and received."""
    return pickle.loads(_transport.dumps(value))  # noqa: S301 (our own bytes)


@given(st.sampled_from(KINDS).flatmap(records_of))
def test_records_come_back_as_they_were(record: Record) -> None:
    """Records of every kind, as read from text, come back equal and write back.

    With the text they were read from, and without it (as Dask's workers make
    them), nested records and unknown keys included.
    """
    try:
        text = newsrecord.dumps(record)
    except newsrecord.ValidationError:  # too bare to tell its kind, written
        reject()
    read = newsrecord.loads_record(text)
    for original in (read, without_source(read)):
        copy = sent(original)
        assert type(copy) is type(original)
        assert copy == original
        for field in attrs.fields(type(original)):
            assert getattr(copy, field.name) == getattr(original, field.name)
        assert newsrecord.dumps(copy) == text


@pytest.mark.parametrize("path", [*VALID, COURSE], ids=lambda path: Path(path).name)
def test_a_loaded_record_still_writes_back_exactly(path: Path) -> None:
    """A record read from a file keeps its file and its values as read."""
    record = newsrecord.load_record(path)
    copy = sent(record)
    assert copy == record
    assert unchanged(copy)  # its values are still the very ones read
    assert newsrecord.dumps(copy).encode("utf-8") == Path(path).read_bytes()


def test_no_state_is_set_through_setstate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are made again by their slots, not by attrs' ``__setstate__``."""
    record = newsrecord.load(VALID[0])
    data = _transport.dumps([record, record.provider])

    def refused(*_: object) -> None:
        raise AssertionError("__setstate__ was called")

    for model in TABLES:
        monkeypatch.setattr(model, "__setstate__", refused)
    received = pickle.loads(data)  # noqa: S301 (our own bytes)
    assert received == [record, record.provider]
    assert received[0].provider is received[1]  # shared as it was
