"""Group decoded text into blocks of whole lines, and cut a line too long to quote into windows.

One TextBlock per line costs ~180 bytes of objects for a ~120-byte line, more
than the text itself, and a Python call per line in every later stage (measured:
a 50 MB text made 420,000 blocks, 12x its size in memory). So lines travel in
blocks of about 64 Ki characters, whole lines each, and the matcher gives the few
lines that hold a keyword a block of their own (the ``lines`` hint says it may).

A line longer than a block (minified exports, a 50 MB text with no newline) is
cut into windows of 4 Ki characters that overlap by 512, far more than the
longest marking (~100 characters), so a marking across a cut is whole in the
next window; every window carries the line's number, and all but the last say
they are ``overlapped``, so the matcher leaves a hit in the shared tail to the
next window (which holds it whole) instead of counting a cut-short 机密★ too. Windows are small because
the scorer reads "the candidate's line" for cue words, and a 64 Ki slice of
prose holds some cue word somewhere.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

SIZE = 64 * 1024
WINDOW = 4 * 1024
OVERLAP = 512


class LineChunker:
    """Fed decoded text in pieces; yields (first line number, text, overlapped) blocks.

    A block is whole lines, or a window of a long line; ``overlapped`` says its last
    ``OVERLAP`` characters open the next window too.
    """

    def __init__(self, size: int = SIZE, window: int = WINDOW, overlap: int = OVERLAP) -> None:
        self.size, self.window, self.overlap = size, window, overlap
        self.line = 1
        self._carry = ""
        self._long = False  # the carry is the rest of a line already partly given out in windows

    def feed(self, text: str, final: bool) -> Iterator[tuple[int, str, bool]]:
        buf = self._carry + text if self._carry else text
        self._carry = ""
        pos = 0
        while pos < len(buf):
            if self._long:
                pos = yield from self._windows(buf, pos, final)
                if pos < 0:
                    return
                continue
            end = pos + self.size
            if end >= len(buf):
                if final:
                    yield from self._emit(buf[pos:])
                else:
                    self._carry = buf[pos:]
                return
            cut = buf.rfind("\n", pos, end)
            if cut < 0:
                self._long = True
                continue
            yield from self._emit(buf[pos:cut])
            pos = cut + 1

    def _emit(self, block: str) -> Iterator[tuple[int, str, bool]]:
        if block and not block.isspace():
            yield self.line, block, False
        self.line += block.count("\n") + 1

    def _windows(self, buf: str, pos: int, final: bool) -> Generator[tuple[int, str, bool], None, int]:
        """Windows of the long line at ``pos``; the position after it, or -1 if it goes on past ``buf``."""
        newline = buf.find("\n", pos)
        stop = newline if newline >= 0 else len(buf)
        while stop - pos > self.window:
            yield self.line, buf[pos : pos + self.window], True
            pos += self.window - self.overlap
        if newline < 0 and not final:
            self._carry = buf[pos:]
            return -1
        tail = buf[pos:stop]  # given out even if the last window held it: it reads the shared tail
        if tail and not tail.isspace():
            yield self.line, tail, False
        self.line += 1
        self._long = False
        return stop + 1
