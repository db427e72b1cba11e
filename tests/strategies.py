"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

# --- the core: plain scalars -------------------------------------------------------

#: Characters that make up YAML 1.1's ints, floats, bools, nulls and timestamps.
_SCALAR_ALPHABET = "0123456789+-._: xXbBoOeEtTzZnNyYaAfFlLsSuU~=<٢²"

#: Spellings that YAML 1.1 gives a meaning to, to mix with random text.
_SCALAR_SEEDS = (
    "yes", "No", "ON", "off", "true", "False", "null", "~", "NULL",
    "0", "-0", "+12", "0b101", "0x1F", "017", "1_000", "190:20:30", "0b_", "0x_",
    "1.5", "-.5", ".inf", "-.INF", ".NaN", "1e5", "1.0e+5", "6.8523015e+5",
    "2019-12-23", "2019-12-23T00:00:00Z", "2019-1-2 3:04:05.678 -5",
    "2019-12-23t00:00:00.1+01:00", "2019-02-30", "2019-12-23T00:00:00+25:00",
    "=", "<<", "١٢", "²",
)  # fmt: skip


def plain_scalars() -> st.SearchStrategy[str]:
    """Text that may be a plain scalar YAML 1.1 reads as something else than text."""
    return st.one_of(
        st.sampled_from(_SCALAR_SEEDS),
        st.text(st.sampled_from(_SCALAR_ALPHABET), min_size=1, max_size=12),
        st.builds(
            str.__add__,
            st.sampled_from(_SCALAR_SEEDS),
            st.text(st.sampled_from(_SCALAR_ALPHABET), max_size=3),
        ),
    )
