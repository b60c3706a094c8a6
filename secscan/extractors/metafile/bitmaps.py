"""The bitmaps a metafile draws -> picture files, for the pipeline to OCR as members.

EMF and WMF carry device-independent bitmaps without the 14-byte file header
a ``.bmp`` has (a DIB given as BITMAPINFO and bits, or packed), and EMF+
carries raw 24/32-bit pixels or a whole PNG/JPEG/GIF/TIFF file. Each becomes a
file an image library opens. The headers are a few packed integers, so they
are written here; Pillow would have to decode and re-encode every pixel.
"""

from __future__ import annotations

import struct

from secscan.extractors._common.dib import DIB_HEADER_SIZES, bmp_from_dib
from secscan.extractors.metafile.records import unpack

Picture = tuple[bytes, str]  # a file and its extension

_PICTURE_MAGIC = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8", "jpg"),
    (b"GIF8", "gif"),
    (b"II*", "tif"),
    (b"MM\x00*", "tif"),
)
_BI_JPEG, _BI_PNG = 4, 5  # compressions whose bits are a whole JPEG or PNG file
# EMF+ PixelFormat -> bits per pixel, for the formats a BMP holds as they are.
_PLUS_FORMATS = {0x00021808: 24, 0x00022009: 32, 0x0026200A: 32, 0x000E200B: 32}


def picture_ext(data: bytes) -> str:
    for magic, ext in _PICTURE_MAGIC:
        if data.startswith(magic):
            return ext
    return "bmp" if data.startswith(b"BM") else "bin"


def dib_picture(bmi: bytes, bits: bytes) -> Picture | None:
    """A bitmap given as BITMAPINFO + bits -> a BMP (or its JPEG/PNG, as is); None for an unknown header."""
    (size,) = unpack("<I", bmi, 0)
    if size >= 40:
        (compression,) = unpack("<I", bmi, 16)
        if compression in (_BI_JPEG, _BI_PNG):
            return bits, "jpg" if compression == _BI_JPEG else "png"
    if size not in DIB_HEADER_SIZES:
        return None
    return _bmp(bmi, bits), "bmp"


def packed_dib_picture(dib: bytes) -> Picture | None:
    """A DIB whose bits follow its header and colour table (WMF)."""
    if len(dib) >= 40 and unpack("<I", dib, 0)[0] >= 40 and unpack("<I", dib, 16)[0] in (_BI_JPEG, _BI_PNG):
        (size,) = unpack("<I", dib, 0)
        return dib_picture(dib[:size], dib[size:])
    bmp = bmp_from_dib(dib)
    return None if bmp is None else (bmp, "bmp")


def raw_bitmap(width: int, height: int, stride: int, pixel_format: int, body: bytes) -> bytes | None:
    """An EMF+ uncompressed bitmap -> a BMP; None for a pixel format or layout a BMP cannot hold as is."""
    bits = _PLUS_FORMATS.get(pixel_format)
    row = ((width * (bits or 0) + 31) // 32) * 4
    if bits is None or width <= 0 or height <= 0 or stride != row or len(body) < row * height:
        return None
    pixels = body[: row * height]
    # A negative height: EMF+ rows run top down, a BMP's bottom up unless told.
    info = struct.pack("<IiiHHIIiiII", 40, width, -height, 1, bits, 0, len(pixels), 2835, 2835, 0, 0)
    return _bmp(info, pixels)


def _bmp(bmi: bytes, bits: bytes) -> bytes:
    """BITMAPINFO + bits with the BITMAPFILEHEADER a .bmp file starts with."""
    return b"BM" + struct.pack("<IHHI", 14 + len(bmi) + len(bits), 0, 0, 14 + len(bmi)) + bmi + bits
