"""The ``secured`` token's text: two halves of standard base64, checked and decoded.

`newsrecord._model.SecuredToken.parse` reads a token's text with `token_parts`.
Every record of most kinds holds a token, read once for each record loaded: this
module is written so that it can also be compiled (see pyproject.toml).
"""

from __future__ import annotations

import binascii
from typing import Final

#: The IV's size, and what the ciphertext's size is a multiple of, in bytes.
IV_SIZE: Final = 16
BLOCK_SIZE: Final = 16

_BASE64: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def token_parts(text: str) -> tuple[bytes, bytes]:
    """The ciphertext and the IV of a token's ``text``: ``<ciphertext>;<IV>``.

    `ValueError` if it is malformed: both halves must be standard base64 with
    canonical padding, the IV exactly `IV_SIZE` bytes, the ciphertext non-empty
    and a multiple of `BLOCK_SIZE` bytes. Messages give lengths, never the token.
    """
    halves = text.split(";")
    if len(halves) != 2:
        message = (
            f"must be two base64 parts joined by ';' "
            f"(found {len(halves)} part(s) in {len(text)} characters)"
        )
        raise ValueError(message)
    ciphertext = _decoded(halves[0], "ciphertext")
    iv = _decoded(halves[1], "IV")
    if len(iv) != IV_SIZE:
        message = f"the IV must be {IV_SIZE} bytes, not {len(iv)}"
        raise ValueError(message)
    if not ciphertext or len(ciphertext) % BLOCK_SIZE:
        message = (
            f"the ciphertext must be a non-empty multiple of {BLOCK_SIZE} "
            f"bytes, not {len(ciphertext)}"
        )
        raise ValueError(message)
    return ciphertext, iv


def _decoded(text: str, what: str) -> bytes:
    """The bytes of a half, ``what`` the messages call it; `ValueError` if not base64.

    Through binascii itself, as ``base64.b64decode(text, validate=True)`` calls it,
    which leaves two things to check: that the text is canonical, as encoding the
    bytes again writes them: the padding they need and no more, and 0 in the bits
    the padding leaves unused in the last character (encoding again would cost
    about as much as decoding).
    """
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as exc:  # their messages show no data
        message = f"the {what} ({len(text)} characters) is not standard base64"
        error = ValueError(message)
        error.__cause__ = exc  # compiled, `raise ... from` is left out
        raise error  # noqa: B904 (the cause is set above)
    size = len(text)
    padding = 2 if text.endswith("==") else 1 if text.endswith("=") else 0
    # Two = leave 4 bits unused, one leaves 2: the last character's value is then
    # a multiple of 16, or of 4.
    unused = 16 if padding == 2 else 4
    if size != (len(data) + 2) // 3 * 4 or (
        padding and _BASE64.index(text[size - padding - 1]) % unused
    ):
        message = f"the {what} ({size} characters) is not canonically padded base64"
        raise ValueError(message)
    return data
