"""How many bytes one PDF stream decodes to, counted without ever holding the decoded bytes.

pdfium inflates a page's content streams whole, in memory, when the page is
loaded, and it has no size limit: a 2 MB Flate stream of comment padding
became 3.1 GB of resident memory, and pdfium then dropped the text drawn
after the padding without a word. So sizes are counted here first, with the
stdlib's own decoders run in bounded steps:

- FlateDecode: ``zlib.decompressobj`` with ``max_length``, output thrown away
  chunk by chunk, stopping once ``room`` is passed (zlib is C, ~1 GB/s on
  padding, so a bomb is refused in about a second).
- LZWDecode and RunLengthDecode: a counting walk over the codes (LZW keeps
  each table entry's length, never its bytes), stopping at ``room``.
- ASCII85Decode and ASCIIHexDecode: decoded (they are at most 4x their
  input), then the next filter is counted.
- Image codecs (DCT, JPX, JBIG2, CCITT), Crypt and unknown filters: their
  encoded length, as they are not inflated to build a page's text.

A stream that cannot be decoded (damaged data) counts what it gave before the
damage, as pdfium does. Where the bytes cannot be decoded here at all (an
encrypted file's streams), :func:`most_decoded` bounds them by each filter's
largest possible expansion (deflate cannot exceed 1032:1). An image counts
the bytes its declared size decodes to (:func:`image_size`): pdfium decodes an
image row by row and stops at the declared height, and only to render a page.
"""

from __future__ import annotations

import base64
import binascii
import zlib

_IN = 64 * 1024
_OUT = 1024 * 1024
_FLATE = {"FlateDecode", "Fl"}
_LZW = {"LZWDecode", "LZW"}
_RUN_LENGTH = {"RunLengthDecode", "RL"}
_A85 = {"ASCII85Decode", "A85"}
_AHX = {"ASCIIHexDecode", "AHx"}
# The most one encoded byte can become: deflate 1032 (258 bytes per 2 bits), an LZW code at most the
# 4096-entry table's longest entry, a RunLength pair 128 bytes, an ASCII85 "z" four.
_MOST = {**dict.fromkeys(_FLATE, 1033), **dict.fromkeys(_LZW, 4096), **dict.fromkeys(_RUN_LENGTH, 64)}
_MOST.update(dict.fromkeys(_A85, 4))
_COMPONENTS = {"DeviceGray": 1, "G": 1, "DeviceRGB": 3, "RGB": 3, "DeviceCMYK": 4, "CMYK": 4}


def most_decoded(length: int, filters: list[str]) -> int:
    """The most ``length`` encoded bytes can decode to through ``filters``, without reading them."""
    for name in filters:
        length *= _MOST.get(name, 1)
    return length


def image_size(width: int, height: int, bits: int, colour_space: str | None) -> int:
    """Bytes of an image's decoded rows; an unknown colour space counts as four components."""
    components = _COMPONENTS.get(colour_space or "", 4)
    return (width * max(bits, 1) * components + 7) // 8 * height


def decoded_size(raw: bytes | memoryview, filters: list[str], room: int) -> int:
    """What ``raw`` decodes to through ``filters`` (names without '/'); stops counting past ``room``."""
    data = memoryview(raw)
    for index, name in enumerate(filters):
        last = index == len(filters) - 1
        if name in _A85 or name in _AHX:
            decoded = _ascii85(data) if name in _A85 else _ascii_hex(data)
            if last:
                return len(decoded)
            data = memoryview(decoded)
            continue
        if name in _FLATE:
            return _inflated(data, room)
        if name in _LZW:
            return _lzw_size(data, room)
        if name in _RUN_LENGTH:
            return _run_length_size(data, room)
        return len(data)  # image codecs, Crypt, unknown: not expanded to read text
    return len(data)


def _inflated(data: memoryview, room: int) -> int:
    decompressor = zlib.decompressobj()
    produced = 0
    offset = 0
    pending: bytes | memoryview = b""
    try:
        while not decompressor.eof and produced <= room:
            if not pending:
                if offset >= len(data):
                    break
                pending = data[offset : offset + _IN]
                offset += len(pending)
            produced += len(decompressor.decompress(pending, _OUT))
            pending = decompressor.unconsumed_tail
    except zlib.error:
        pass  # damaged: pdfium keeps what inflated before the damage, and so does the count
    return produced


def _lzw_size(data: memoryview, room: int) -> int:
    """LZW as PDF uses it (MSB first, 9-12 bit codes, early change), counting lengths only."""
    lengths = [1] * 256 + [0, 0]  # 256 clear, 257 end of data
    width, bits, value, produced, previous = 9, 0, 0, 0, -1
    for byte in data.tobytes():
        value, bits = (value << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (value >> bits) & ((1 << width) - 1)
            if code == 257:
                return produced
            if code == 256:
                del lengths[258:]
                width, previous = 9, -1
                continue
            if code > len(lengths) or (code == len(lengths) and previous < 0):
                return produced  # damaged: no decoder can go on from a code not yet in the table
            length = lengths[code] if code < len(lengths) else lengths[previous] + 1
            if previous >= 0 and len(lengths) < 4096:
                lengths.append(lengths[previous] + 1)
            produced += length
            if produced > room:
                return produced
            previous = code
            width = min(12, max(9, (len(lengths) + 1).bit_length()))
        value &= (1 << bits) - 1
    return produced


def _run_length_size(data: memoryview, room: int) -> int:
    raw = data.tobytes()
    produced = offset = 0
    while offset < len(raw) and produced <= room:
        length = raw[offset]
        if length == 128:
            break
        if length < 128:
            produced += length + 1
            offset += length + 2
        else:
            produced += 257 - length
            offset += 2
    return produced


def _ascii85(data: memoryview) -> bytes:
    text = data.tobytes()
    end = text.find(b"~>")
    body = bytes(text if end < 0 else text[:end]).removeprefix(b"<~")
    try:
        return base64.a85decode(b"".join(body.split()))
    except ValueError:
        return b""


def _ascii_hex(data: memoryview) -> bytes:
    text = data.tobytes().split(b">", 1)[0]
    digits = b"".join(text.split())
    try:
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    except binascii.Error:
        return b""
