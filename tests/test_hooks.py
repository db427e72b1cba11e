"""The field hooks' shortcuts: each answers as the rule it stands for."""

from __future__ import annotations

import base64
import binascii

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsrecord import SecuredToken
from newsrecord._hooks import ROOT_PATH, URL, is_root_path, is_url

# What URLs are made of, and what the pattern treats apart: ASCII whitespace
# (which `\S` refuses under re.ASCII), other spaces and controls (which it takes).
_URL_PIECES = (
    "http://", "https://", "HTTP://", "http:/", "ftp://", "https:", "//",
    "a", "example.com", "/", "?", "#", ":", "%20", "=", "&", "-",
    " ", "\t", "\n", "\r", "\f", "\v", "\x00", "\x7f", "\xa0", "\u2003", "é", "😀",
)  # fmt: skip


class TestIsUrl:
    @given(st.lists(st.sampled_from(_URL_PIECES), max_size=8).map("".join))
    @example("https://a")
    @example("https://")
    @example("http:///a")
    @example("https://?q")
    @example("https://#f")
    @example("https://a b")
    @example("https://a\tb")
    @example("https://a\xa0b")
    @example("https://\x00")
    def test_agrees_with_the_pattern(self, text: str) -> None:
        assert is_url(text) == (URL.fullmatch(text) is not None)

    @given(st.text())
    def test_agrees_on_any_text(self, text: str) -> None:
        assert is_url(text) == (URL.fullmatch(text) is not None)
        assert is_url("https://" + text) == (
            URL.fullmatch("https://" + text) is not None
        )


class TestIsRootPath:
    @given(st.lists(st.sampled_from(("/", *_URL_PIECES)), max_size=8).map("".join))
    @example("/")
    @example("//")
    @example("/assets/images/a.png")
    @example("//cdn.example.com/a.png")
    @example("/a b")
    @example("/a\tb")
    @example("/a\xa0b")
    @example("/\x00")
    @example("assets/a.png")
    def test_agrees_with_the_pattern(self, text: str) -> None:
        assert is_root_path(text) == (ROOT_PATH.fullmatch(text) is not None)

    @given(st.text())
    def test_agrees_on_any_text(self, text: str) -> None:
        assert is_root_path(text) == (ROOT_PATH.fullmatch(text) is not None)
        assert is_root_path("/" + text) == (ROOT_PATH.fullmatch("/" + text) is not None)


def _by_base64_module(text: str) -> bytes | None:
    """What `base64` itself makes of a token half: the bytes, or None if refused."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


_BASE64_PIECES = (
    "QUJD",
    "QUI=",
    "QQ==",
    "QR==",
    "QUJ=",
    "=",
    "==",
    "A",
    "+/",
    "é",
    " ",
    "\n",
)


class TestTokenHalves:
    @given(
        st.lists(st.sampled_from(_BASE64_PIECES), min_size=1, max_size=6).map("".join)
    )
    @example("QUJD" * 5 + "QQ==")  # 16 bytes, canonical
    @example("QUJD" * 5 + "QR==")  # the same bytes, with padding bits set
    @example("QUJD" * 5 + "QQ")  # the same, padding left out
    def test_agree_with_the_base64_module(self, half: str) -> None:
        """A half is taken exactly when base64 decodes it canonically."""
        iv = base64.b64encode(bytes(16)).decode("ascii")
        expected = _by_base64_module(half)
        ok = expected is not None and expected and len(expected) % 16 == 0
        if ok:
            assert SecuredToken.parse(f"{half};{iv}").ciphertext == expected
        else:
            with pytest.raises(ValueError, match="ciphertext"):
                SecuredToken.parse(f"{half};{iv}")
