"""YAML's facts that the readers and the writer share, each stated once.

Which characters YAML allows, which break lines, which start something other
than a plain scalar, which words YAML 1.1 reads as a bool or as null, the
byte-order mark, and where a line and a column are.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

#: The byte-order mark: a file may open with it; YAML skips it.
BOM: Final = "\ufeff"

#: What YAML allows in a stream (``c-printable``), as the body of a regex class.
PRINTABLE: Final = (
    "\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
)
#: What of it stands for itself in a plain or single-quoted scalar on one line:
#: no tab, no line break (YAML 1.1's NEL, LS and PS are ones), no byte-order mark.
ON_ONE_LINE: Final = (
    "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
)
#: YAML 1.1's line breaks: LF, CR, NEL, LS and PS.
LINE_BREAKS: Final = "\n\r\x85\u2028\u2029"

#: YAML's indicators: a plain scalar starts with none of them, except ``-``, ``?``
#: and ``:`` before a character that is not a space.
INDICATORS: Final = frozenset("-?:,[]{}#&*!|>'\"%@`")

#: The words YAML 1.1 reads as a bool, and what they mean.
BOOL_WORDS: Final = {
    "yes": True, "Yes": True, "YES": True, "true": True, "True": True, "TRUE": True,
    "on": True, "On": True, "ON": True,
    "no": False, "No": False, "NO": False, "false": False, "False": False,
    "FALSE": False, "off": False, "Off": False, "OFF": False,
}  # fmt: skip
#: The words (and the empty text) YAML reads as null.
NULL_WORDS: Final = frozenset({"", "~", "null", "Null", "NULL"})

# Where lines end, as the positions in errors count them: LF, CRLF and a lone CR.
_LINE_END: Final = re.compile(r"\r\n|\r|\n")


class Lines:
    """The lines of a text: the 1-based line and column of any offset in it.

    Made once for a text, it places many offsets (a record can have thousands of
    problems) with one pass over the text.
    """

    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.starts = [0, *(match.end() for match in _LINE_END.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column (in characters) of ``offset``.

        An offset between the CR and the LF of a CRLF is on the line that CRLF
        ends, one column after the CR.
        """
        at = max(0, min(offset, self.size))
        line = bisect.bisect_right(self.starts, at)
        return line, at - self.starts[line - 1] + 1


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of ``offset`` in ``text``."""
    return Lines(text).position(offset)
