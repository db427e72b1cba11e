"""YAML's facts, stated once: they agree with what PyYAML does."""

from __future__ import annotations

import re

import pytest
import yaml

from newsrecord._syntax import (
    BOM,
    BOOL_WORDS,
    INDICATORS,
    LINE_BREAKS,
    NULL_WORDS,
    ON_ONE_LINE,
    PRINTABLE,
)


class TestWords:
    @pytest.mark.parametrize("word", sorted(BOOL_WORDS))
    def test_bool_words_are_bools(self, word: str) -> None:
        """Each bool word is the bool PyYAML's safe loader reads."""
        assert yaml.safe_load(f"x: {word}") == {"x": BOOL_WORDS[word]}

    @pytest.mark.parametrize("word", sorted(NULL_WORDS))
    def test_null_words_are_null(self, word: str) -> None:
        """Each null word (and nothing at all) is null to PyYAML's safe loader."""
        assert yaml.safe_load(f"x: {word}") == {"x": None}

    @pytest.mark.parametrize("word", ["y", "n", "Yes!", "nil", "None", "TRUE1"])
    def test_near_words_are_text(self, word: str) -> None:
        """Words that only look like bools or nulls are neither."""
        assert word not in BOOL_WORDS
        assert word not in NULL_WORDS
        assert yaml.safe_load(f"x: {word}") == {"x": word}


class TestCharacters:
    def test_printable_is_pyyaml_s(self) -> None:
        """The printable class is the one PyYAML's reader checks a stream with."""
        ours = re.compile(f"[^{PRINTABLE}]")
        for code in [*range(0x20000), 0x10FFFF]:
            char = chr(code)
            assert bool(ours.match(char)) == bool(
                yaml.reader.Reader.NON_PRINTABLE.match(char)
            ), hex(code)

    @pytest.mark.parametrize("char", ["\t", *LINE_BREAKS, BOM])
    def test_on_one_line_leaves_out_tabs_breaks_and_bom(self, char: str) -> None:
        """A tab, a line break or a byte-order mark does not stand for itself."""
        assert re.fullmatch(f"[{ON_ONE_LINE}]", char) is None
        assert re.fullmatch(f"[{PRINTABLE}]", char) is not None

    @pytest.mark.parametrize("char", sorted(INDICATORS))
    def test_indicators_do_not_start_a_plain_scalar(self, char: str) -> None:
        """A value starting with an indicator and a space is no plain text."""
        try:
            value = yaml.safe_load(f"x: {char} y")
        except yaml.YAMLError:
            return
        assert value != {"x": f"{char} y"}
