"""Plain text: pick the encoding, decode in pieces, clean, and hand out blocks of whole lines.

The encoding cascade lives in ``decoding`` (BOM the body agrees with, BOM-less
UTF-16, UTF-8, GB18030 or Big5 by score, charset-normalizer last), cleaning of
NULs, terminal escapes and line ends in ``clean``, and the grouping of lines
into blocks (with windows for a line too long to quote) in ``lines``. The file
is decoded 1 MiB at a time, so a huge file never needs a second full copy of
itself as one string.

Fail closed: bytes that do not decode become U+FFFD (matching goes on around
them) and are counted. Four or more make the body a skipped part ("N bytes
could not be decoded"), so such a file can be flagged but never ``clean``:
the shortest CJK marking (机密, 绝密, 秘密) is two characters, four bytes in any
double-byte encoding, so fewer bad bytes (a truncated last character, a stray
latin-1 letter) cannot hide one, while four could be a marking written in an
encoding other than the one the rest of the file uses.
"""

from __future__ import annotations

from secscan.config import ScanConfig
from secscan.extractors.text.clean import Cleaner
from secscan.extractors.text.decoding import choose_encoding, decode_pieces, encoding_of
from secscan.extractors.text.lines import LineChunker
from secscan.model import Extraction, FileKind, SkippedPart, TextBlock

KINDS = frozenset({FileKind.TEXT})
UNREAD_MIN = 4
# Tells the matcher each line of a block is a paragraph of its own (see secscan.match.lineblocks).
LINES = frozenset({"lines"})
OVERLAPPED = frozenset({"lines", "overlapped"})  # its last 512 characters open the next block too

__all__ = ["KINDS", "choose_encoding", "extract"]


def extract(data: bytes, config: ScanConfig) -> Extraction:
    """Decode ``data`` and return its non-blank lines as body blocks of whole lines."""
    encoding, start = encoding_of(data)
    cleaner, chunker = Cleaner(), LineChunker()
    blocks: list[TextBlock] = []
    bad = 0
    for text, undecodable, final in decode_pieces(data, start, encoding):
        bad += undecodable
        for line, chunk, overlapped in chunker.feed(cleaner.clean(text, final), final):
            blocks.append(TextBlock(chunk, part="body", line=line, hints=OVERLAPPED if overlapped else LINES))
    skipped: tuple[SkippedPart, ...] = ()
    if bad >= UNREAD_MIN:
        skipped = (SkippedPart("body", f"{bad:,} bytes could not be decoded as {encoding}"),)
    return Extraction(blocks=tuple(blocks), parts_read=("body",), skipped=skipped)
