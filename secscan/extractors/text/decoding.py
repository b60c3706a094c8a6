"""Pick a text file's encoding and decode it in pieces, counting the bytes that would not decode.

The cascade is a BOM the body agrees with, BOM-less UTF-16 (``detect.text``),
UTF-8 (allowed a stray bad byte: one byte in a hundred non-ASCII ones), then
strict GB18030 or Big5 chosen by a plausibility score, and charset-normalizer
only for what is left. The issue author measured that charset-normalizer alone
misreads short Chinese text (29 bytes ``机密★5年\\n关于加强管理的通知`` in GB18030
came back as euc_jis_2004), while strict UTF-8 then strict GB18030 was right 6
of 6. Big5 bytes almost always decode as GB18030 too, into rare characters, so
the two are told apart by how much of a 16 KiB sample falls in each charset's
common-character block (GB2312 level-1 hanzi vs Big5 level-1 hanzi, plus
punctuation rows).

Decoding never fails: a byte that does not decode becomes U+FFFD and is
counted, so matching goes on around it and the reader can say how much was not
read. The count comes from an error handler that escapes each bad byte as a
lone surrogate (which no decoder produces from valid input) and one regex pass
that swaps them for U+FFFD, so a clean piece costs nothing extra. Pieces of
1 MiB through an incremental decoder keep memory at one copy of the text.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterator
from functools import cache

from secscan.detect.text import UTF16_PLAUSIBLE, plausible_share, utf16_without_bom

PIECE = 1 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 16 * 1024
# Big5 as Windows writes it (cp950 is Big5 plus the Microsoft extensions).
_CANDIDATES = ("gb18030", "cp950")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_ASCII = bytes(range(128))
_MIN_SCORE = 0.6
_UTF8_BAD_SHARE = 0.01
_ESCAPED = re.compile("[\udc00-\udcff]")
_HANDLER = "secscan.escape-undecodable"


class _Undecodable(threading.local):
    """Bytes the handler has escaped in this thread: a piece that added none needs no regex pass."""

    count = 0


_UNDECODABLE = _Undecodable()


def _escape(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    _UNDECODABLE.count += len(bad)
    return "".join(chr(0xDC00 + byte) for byte in bad), exc.end


codecs.register_error(_HANDLER, _escape)


def encoding_of(data: bytes) -> tuple[str, int]:
    """The encoding of ``data`` and where its text starts (after a BOM the body agrees with)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if _bom_agrees(data[len(bom) : len(bom) + _SAMPLE], encoding):
                return encoding, len(bom)
            # FF FE before a UTF-8 body: the BOM is a lie, the body decides (the BOM is no text).
            return choose_encoding(data[len(bom) :]), len(bom)
    return choose_encoding(data), 0


def _bom_agrees(body: bytes, encoding: str) -> bool:
    width = 4 if "32" in encoding else 2 if "16" in encoding else 1
    body = body[: len(body) // width * width]
    text = body.decode(encoding, _HANDLER)
    if encoding == "utf-8":
        return _bad_share(body, len(_ESCAPED.findall(text))) <= _UTF8_BAD_SHARE
    return plausible_share(text) >= UTF16_PLAUSIBLE or not body


def choose_encoding(data: bytes) -> str:
    """The encoding of BOM-less ``data``: UTF-16, UTF-8, GB18030, cp950 (Big5) or charset-normalizer's."""
    utf16 = utf16_without_bom(data[:8192])
    if utf16 is not None:
        return utf16
    bad = _utf8_bad_bytes(data)
    if not bad or bad <= _UTF8_BAD_SHARE * _non_ascii(data):
        return "utf-8"
    sample = _non_ascii_sample(data)
    scores = {enc: _plausibility(sample, enc) for enc in _CANDIDATES}
    best = max(scores, key=lambda enc: scores[enc])
    if scores[best] >= _MIN_SCORE:
        return best
    return _normalizer_guess(data)


def decode_pieces(data: bytes, start: int, encoding: str) -> Iterator[tuple[str, int, bool]]:
    """``data[start:]`` decoded 1 MiB at a time: (text, bytes in it that would not decode, last piece)."""
    decoder = codecs.getincrementaldecoder(encoding)(_HANDLER)
    view = memoryview(data)
    offset = start
    while True:
        end = min(offset + PIECE, len(data))
        before = _UNDECODABLE.count
        text = decoder.decode(view[offset:end], final=end >= len(data))
        bad = 0
        if _UNDECODABLE.count != before:
            text, bad = _ESCAPED.subn("\ufffd", text)
        yield text, bad, end >= len(data)
        if end >= len(data):
            return
        offset = end


def _utf8_bad_bytes(data: bytes) -> int:
    """Bytes of ``data`` that are not UTF-8, counted 1 MiB at a time (0 costs one strict pass)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)
    try:
        for offset in range(0, len(data), PIECE):
            decoder.decode(view[offset : offset + PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return sum(bad for _, bad, _ in decode_pieces(data, 0, "utf-8"))
    return 0


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, _ASCII))


def _bad_share(data: bytes, bad: int) -> float:
    return bad / max(1, _non_ascii(data))


def _non_ascii_sample(data: bytes) -> bytes:
    """Up to 16 KiB from the start of the first line holding a non-ASCII byte."""
    found = _NON_ASCII.search(data)
    first = found.start() if found else 0
    start = data.rfind(b"\n", 0, first) + 1
    end = data.rfind(b"\n", start, start + _SAMPLE)
    return data[start : end if end > start else start + _SAMPLE]


def _plausibility(sample: bytes, encoding: str) -> float:
    """Share of non-ASCII characters that sit in ``encoding``'s common block (0 if undecodable)."""
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return 0.0
        text = sample[: exc.start].decode(encoding)  # the sample was cut inside a character
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if not wide:
        return 0.0
    return len(_common_chars(encoding).findall(text)) / wide


@cache
def _common_chars(encoding: str) -> re.Pattern[str]:
    """A character class of the punctuation rows and level-1 hanzi of GB2312 or Big5."""
    if encoding == "gb18030":
        leads, trails = [*range(0xA1, 0xA4), *range(0xB0, 0xD8)], range(0xA1, 0xFF)
    else:
        leads, trails = list(range(0xA1, 0xC7)), range(0x40, 0xFF)
    chars = []
    for lead in leads:
        for trail in trails:
            try:
                char = bytes((lead, trail)).decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and ord(char) >= 0x80 and not 0xE000 <= ord(char) <= 0xF8FF:
                chars.append(char)
    return re.compile("[" + re.escape("".join(chars)) + "]")


def _normalizer_guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    return best.encoding if best is not None else "utf-8"
