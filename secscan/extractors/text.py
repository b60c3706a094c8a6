"""Plain text: pick the encoding, then one TextBlock per line.

The encoding cascade is BOM, strict UTF-8, then strict GB18030 or Big5 (chosen
by a plausibility score), and charset-normalizer only for what is left. The
issue author measured that charset-normalizer alone misreads short Chinese text
(29 bytes ``机密★5年\\n关于加强管理的通知`` in GB18030 came back as euc_jis_2004),
while strict UTF-8 then strict GB18030 was right 6 of 6. Big5 bytes almost
always decode as GB18030 too, into rare characters, so the two are told apart
by how much of the decoded text falls in each charset's common-character block
(GB2312 level-1 hanzi vs Big5 level-1 hanzi, plus punctuation rows).

ASCII-compatible encodings are decoded line by line from the bytes (a 0x0A byte
is never part of a UTF-8, GB18030 or Big5 multibyte character), so a huge file
never needs a second full copy of itself as one string.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from secscan.config import ScanConfig
from secscan.model import Extraction, TextBlock

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings in which a b"\n" byte always is a newline: safe to split bytes first.
_LINE_SAFE = {"utf-8", "gb18030", "big5", "ascii"}
_SAMPLE = 64 * 1024
_MIN_SCORE = 0.6


def extract(data: bytes, config: ScanConfig) -> Extraction:
    """Decode ``data`` and return one body block per non-blank line."""
    encoding, start = _bom(data)
    if encoding is None:
        encoding = choose_encoding(data)
    errors = "strict" if encoding in ("utf-8", "gb18030", "big5") else "replace"
    try:
        blocks = tuple(_blocks(data, start, encoding, errors))
    except UnicodeDecodeError:
        # The sample looked like this encoding but a later line does not: ask
        # the detector about the whole file rather than drop anything.
        encoding = _normalizer_guess(data)
        blocks = tuple(_blocks(data, start, encoding, "replace"))
    return Extraction(blocks=blocks, parts_read=("body",))


def _bom(data: bytes) -> tuple[str | None, int]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None, 0


def choose_encoding(data: bytes) -> str:
    """The encoding of BOM-less ``data``: utf-8, gb18030, big5 or charset-normalizer's guess."""
    if _decodes(data, "utf-8"):
        return "utf-8"
    sample = _non_ascii_sample(data)
    scores = {enc: _plausibility(sample, enc) for enc in ("gb18030", "big5")}
    best = max(scores, key=lambda enc: scores[enc])
    if scores[best] >= _MIN_SCORE:
        return best
    return _normalizer_guess(data)


def _decodes(data: bytes, encoding: str) -> bool:
    """Strict validity check in 1 MiB chunks, so no full decoded copy is built."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for offset in range(0, len(data), 1 << 20):
            decoder.decode(view[offset : offset + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii_sample(data: bytes) -> bytes:
    """Up to 64 KiB from the start of the first line holding a non-ASCII byte."""
    first = next((i for i, byte in enumerate(data[: 1 << 20]) if byte >= 0x80), 0)
    start = data.rfind(b"\n", 0, first) + 1
    end = data.rfind(b"\n", start, start + _SAMPLE)
    return data[start : end if end > start else start + _SAMPLE]


def _plausibility(sample: bytes, encoding: str) -> float:
    """Share of non-ASCII characters that sit in ``encoding``'s common block (0 if undecodable)."""
    try:
        text = sample.decode(encoding, errors="strict")
    except UnicodeDecodeError:
        # A sample may end mid-character; judge what decodes before that.
        text = sample.decode(encoding, errors="ignore") if encoding == "big5" else ""
        if not text:
            return 0.0
    wide = [ch for ch in text if ord(ch) >= 0x80]
    if not wide:
        return 0.0
    common = sum(1 for ch in wide if _is_common(ch, encoding))
    return common / len(wide)


def _is_common(ch: str, encoding: str) -> bool:
    if 0xE000 <= ord(ch) <= 0xF8FF:  # private use: never ordinary text
        return False
    try:
        raw = ch.encode("gb2312" if encoding == "gb18030" else "big5")
    except UnicodeEncodeError:
        return False
    if len(raw) != 2:
        return False
    lead = raw[0]
    if encoding == "gb18030":
        return 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7  # punctuation rows, level-1 hanzi
    return 0xA1 <= lead <= 0xA3 or 0xA4 <= lead <= 0xC6  # symbols, level-1 hanzi


def _normalizer_guess(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    return best.encoding if best is not None else "utf-8"


def _blocks(data: bytes, start: int, encoding: str, errors: str) -> Iterator[TextBlock]:
    for number, line in enumerate(_lines(data, start, encoding, errors), 1):
        if line.strip():
            yield TextBlock(line, part="body", line=number)


def _lines(data: bytes, start: int, encoding: str, errors: str) -> Iterator[str]:
    """Decoded lines; a lone CR also ends a line (old Mac text)."""
    if codecs.lookup(encoding).name not in _LINE_SAFE:
        text = data[start:].decode(encoding, errors)
        for line in text.split("\n"):
            yield from line.removesuffix("\r").split("\r")
        return
    while start <= len(data):
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        line = data[start:end].decode(encoding, errors).removesuffix("\r")
        yield from line.split("\r")
        start = end + 1
