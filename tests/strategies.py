"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from records import record

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


# --- the core: text to fuzz the reader with -----------------------------------------

_VALID = Path(__file__).parent / "data" / "valid"

#: Valid records to mutate: the small record of the tests and every valid fixture.
SEEDS: tuple[str, ...] = (
    record(),
    *(path.read_bytes().decode("utf-8") for path in sorted(_VALID.glob("*.md"))),
)

#: What a mutation inserts: YAML's structural characters, line breaks of all kinds,
#: characters YAML refuses, a BOM, a lone surrogate, and some plain text.
_INSERTED = (
    *":-[]{}#&*!|>'\"%@`,?= \t\n\r",
    "\r\n", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ud800", "é", "😀",
    "---", "---\n", "  ", "- ", ": ", "<<: ", "!!int ", "!x ", "&a ", "*a", "~",
    "0x", "1_", "2019-13-45", "true", "null", "\\", "\\u", '"\\q"',
)  # fmt: skip


@st.composite
def mutated_records(draw: st.DrawFn) -> str:
    """A valid record with a few lines deleted, repeated, swapped or added to."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "insert"]))
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            at = draw(st.integers(0, len(lines[index])))
            added = "".join(
                draw(st.lists(st.sampled_from(_INSERTED), min_size=1, max_size=3))
            )
            lines[index] = lines[index][:at] + added + lines[index][at:]
    return "".join(lines)


def any_text() -> st.SearchStrategy[str]:
    """Any text at all, lone surrogates and control characters included."""
    return st.text(st.characters(codec=None, exclude_categories=()))


def framed_text() -> st.SearchStrategy[str]:
    """Any text, as front matter between two delimiter lines."""
    return any_text().map(lambda text: f"---\n{text}\n---\n")
