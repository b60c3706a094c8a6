"""Make decoded text matchable: no NULs, no terminal escape sequences, one kind of line end.

Text that reaches secscan from logs, terminals and broken exports carries bytes
that split a marking for the matcher without changing what a reader sees: NUL
padding or NULs between characters, ANSI colour codes (``\\x1b[31m机密\\x1b[0m``,
or one in the middle of ``TOP\\x1b[1m SECRET``), OSC window titles. They are
removed, not replaced by spaces, because a reader sees the characters on either
side as adjacent. CR LF and a lone CR (old Mac text) become LF, so line numbers
count the lines an editor shows. The text arrives in pieces; an escape sequence
or a CR LF cut by a piece boundary is held back and joined to the next piece.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final, or the 8-bit CSI), OSC (ESC ] ... BEL or ESC \), other two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\^_]"
)
_HOLD = 256  # an escape sequence this close to the end of a piece may continue in the next


class Cleaner:
    """Cleans text fed in pieces; ``clean(piece, final)`` returns what is ready."""

    def __init__(self) -> None:
        self._held = ""

    def clean(self, piece: str, final: bool) -> str:
        text = self._held + piece
        self._held = ""
        if not final:
            text = self._hold_back(text)
        if "\x00" in text:
            text = text.replace("\x00", "")
        if "\x1b" in text or "\x9b" in text:
            text = _ESCAPES.sub("", text)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def _hold_back(self, text: str) -> str:
        cut = len(text)
        if text.endswith("\r"):
            cut -= 1  # perhaps the first half of CR LF
        escape = max(text.rfind("\x1b", len(text) - _HOLD), text.rfind("\x9b", len(text) - _HOLD))
        if escape >= 0 and not _ESCAPES.match(text, escape):
            cut = min(cut, escape)  # an unfinished sequence: wait for the rest
        self._held = text[cut:]
        return text[:cut]
