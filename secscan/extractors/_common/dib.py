"""Device-independent bitmaps: a DIB (as Office, RTF and metafiles embed it) made into a BMP file Pillow
reads.

A DIB is a BMP without its 14-byte file header; the header's pixel offset depends on the info
header's size and the palette, so it is computed here rather than guessed.
"""

from __future__ import annotations

import struct

DIB_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)  # BITMAPCOREHEADER ... BITMAPV5HEADER


def bmp_from_dib(dib: bytes) -> bytes | None:
    """A BMP file from a DIB (BITMAPINFOHEADER + palette + pixels), or None if it is not one."""
    if len(dib) < 12:
        return None
    (size,) = struct.unpack_from("<I", dib)
    if size not in DIB_HEADER_SIZES or len(dib) < size:
        return None
    if size == 12:  # BITMAPCOREHEADER: RGBTRIPLE palette
        (bits,) = struct.unpack_from("<H", dib, 10)
        palette = 3 * (1 << bits) if bits <= 8 else 0
    else:
        bits, compression = struct.unpack_from("<HI", dib, 14)
        (used,) = struct.unpack_from("<I", dib, 32) if size >= 36 else (0,)
        palette = 4 * (used or (1 << bits if bits <= 8 else 0))
        if size == 40 and compression in (3, 6):  # BI_BITFIELDS, BI_ALPHABITFIELDS: masks follow
            palette += 12 if compression == 3 else 16
    offset = 14 + size + palette
    if offset > 14 + len(dib):
        return None
    return b"BM" + struct.pack("<IHHI", 14 + len(dib), 0, 0, offset) + dib
