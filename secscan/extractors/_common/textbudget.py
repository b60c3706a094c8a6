"""A cap on how much text one spreadsheet may produce, against reference amplification.

A workbook cell holds an index into the shared-string table, so a 100 KB file
can point 50,000 cells at one 1 MB string (poi/poc-shared-strings.xlsx) and
ask for 50 GB of text. No ZIP limit sees that: the parts are small. Every
spreadsheet reader charges the text it emits here and stops with
``LimitExceeded`` past the budget, instead of exhausting memory.
"""

from __future__ import annotations

from secscan.config import Limits
from secscan.errors import LimitExceeded

MAX_TEXT = 64 * 1024 * 1024  # characters; far above any real sheet, far below a machine's memory


class TextBudget:
    def __init__(self, limits: Limits, what: str) -> None:
        self.left = min(limits.max_expanded_size, MAX_TEXT)
        self.total = self.left
        self.what = what

    def charge(self, characters: int) -> None:
        """Count ``characters`` about to be joined into text; raise before they are, when over."""
        self.left -= characters
        if self.left < 0:
            raise LimitExceeded(f"{self.what} expands to more than {self.total:,} characters of text")
