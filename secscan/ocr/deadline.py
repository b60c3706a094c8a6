"""The per-file OCR time budget (``--timeout``), shared by all pages of one file.

OCR is the one stage whose cost grows with what a file *shows* rather than its
size (a 300-page scanned PDF is a small file), so it checks the clock between
pages and passes and gives up with ``LimitExceeded``: a file that was not fully
read is an ``error``, never ``clean``.
"""

from __future__ import annotations

import time

from secscan.errors import LimitExceeded


class Deadline:
    """Seconds left for OCR of one file; ``check()`` raises once they are spent."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def check(self, what: str = "page") -> None:
        if self.remaining() <= 0:
            raise LimitExceeded(f"OCR time limit of {self.seconds:g} s per file reached before the {what}")
