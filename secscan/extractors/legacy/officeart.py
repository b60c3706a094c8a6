"""Pictures of .doc, .xls and .ppt files: OfficeArt BLIP records (MS-ODRAW) -> members.

Every legacy Office format stores its pictures as OfficeArt BLIP records: an
8-byte record header whose type says the picture format, then a fixed header,
then the picture file. PowerPoint keeps them one after another in the
``Pictures`` stream; Excel in the BStore of its MsoDrawingGroup, each inside
an FBSE record; Word in the ``Data`` stream (inline pictures, after a PICF)
and in the WordDocument stream (floating pictures, at the FBSE's foDelay).

The fixed header is rgbUid1 (16 bytes), rgbUid2 (16 more, only for the odd
record instance, e.g. JPEG 0x46B, PNG 0x6E1) and a tag byte: 17 or 33 bytes
before a JPEG, PNG, DIB or TIFF. These sizes follow MS-ODRAW 2.2.23-2.2.31 and
were checked by decoding every picture of the corpus files with Pillow
(tests/test_legacy_embedded.py decodes them again).

JPEG, PNG and TIFF come out byte for byte; a DIB gets the 14-byte BMP file
header it lacks. A metafile (OfficeArtBlipEMF 0xF01A, WMF 0xF01B, PICT 0xF01C,
MS-ODRAW 2.2.24-2.2.26) has the UIDs and a 34-byte OfficeArtMetafileHeader
(2.2.31: cbSize, the metafile's size; rcBounds; ptSize in EMUs; cbSave, the
compressed size; compression, 0x00 DEFLATE or 0xFE none; filter, 0xFE), then
the metafile, as a zlib stream when compressed. Every metafile BLIP of the
corpus .doc/.xls/.ppt files (about 80, all zlib) inflates to exactly cbSize
bytes; cbSave is sometimes smaller than the data (the record length is what
counts). Inflation is bounded by cbSize and by the limits of the file's
``Meter`` (``Inflater``). An EMF comes out as it is; a WMF BLIP holds the
metafile without its 22-byte placeable header, so one is put back, built from
rcBounds as PowerPoint's own export does (its units vary: the metafile's
window, or 0.01 mm; the reader maps the window onto it either way). EMF and
WMF pictures are members the pipeline reads as metafiles; PICT (Mac), and a
metafile that does not inflate or is not what its type says, are counted, never
silently dropped: the caller reports them as a skipped part.
No Python library parses OfficeArt (olefile reads the container only; POI's
HSLF/HWPF are Java), and the part needed is this small.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from secscan.config import Limits
from secscan.extractors._common.bounded import RATIO_FLOOR, Meter
from secscan.extractors._common.dib import bmp_from_dib
from secscan.model import Member, SkippedPart

# recType -> (file extension, {recInstance: bytes of fixed header after the record header})
_BITMAPS: dict[int, tuple[str, dict[int, int]]] = {
    0xF01D: ("jpg", {0x46A: 17, 0x46B: 33, 0x6E2: 17, 0x6E3: 33}),
    0xF02A: ("jpg", {0x46A: 17, 0x46B: 33, 0x6E2: 17, 0x6E3: 33}),  # CMYK JPEG
    0xF01E: ("png", {0x6E0: 17, 0x6E1: 33}),
    0xF01F: ("dib", {0x7A8: 17, 0x7A9: 33}),
    0xF029: ("tif", {0x6E4: 17, 0x6E5: 33}),
}
_METAFILES: dict[int, tuple[str, dict[int, int]]] = {
    0xF01A: ("emf", {0x3D4: 50, 0x3D5: 66}),
    0xF01B: ("wmf", {0x216: 50, 0x217: 66}),
    0xF01C: ("pict", {0x542: 50, 0x543: 66}),
}
_MAGIC = {
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "tif": (b"II*\x00", b"MM\x00*"),
}
_FBSE, _BSTORE = 0xF007, 0xF001
_FBSE_FIXED = 36  # btWin32 .. unused3, before the name and the embedded BLIP
_MAX_DEPTH = 16
# A BLIP record header: recVer 0 + recInstance (2 bytes, little-endian), then recType.
_HEADER_PATTERN = re.compile(
    b"|".join(
        re.escape(struct.pack("<HH", instance << 4, kind))
        for table in (_BITMAPS, _METAFILES)
        for kind, (_, instances) in table.items()
        for instance in instances
    )
)


_METAFILE_HEADER = 34  # OfficeArtMetafileHeader: cbSize, rcBounds, ptSize, cbSave, compression, filter
_DEFLATE, _NONE = 0x00, 0xFE
_PLACEABLE_KEY = 0x9AC6CDD7
_PLACEABLE = struct.pack("<I", _PLACEABLE_KEY)
_EMU_PER_INCH = 914400

_READABLE = frozenset({"jpg", "png", "tif", "bmp", "gif", "emf", "wmf"})
DAMAGED = "damaged"  # the kind of a picture whose bytes are not what its type says


@dataclass(frozen=True)
class Picture:
    kind: str  # file extension: jpg, png, tif, bmp, gif, emf, wmf; or pict, damaged ... which are not read
    data: bytes  # the picture file; for one not read, its bytes (only used to tell copies apart)

    @property
    def readable(self) -> bool:
        return self.kind in _READABLE


class Inflater:
    """Inflates the metafile BLIPs of one file within the limits of its ``Meter``.

    Nothing is added to the meter here (the caller charges the members it
    returns); the bytes inflated so far are counted against the room the meter
    has left, so all the pictures of a file together stay under
    ``max_expanded_size``, and each under ``max_ratio``.
    """

    def __init__(self, meter: Meter | None = None) -> None:
        self.meter = meter if meter is not None else Meter(Limits())
        self.spent = 0

    def inflate(self, packed: bytes, declared: int, what: str) -> bytes | None:
        """The zlib stream ``packed``, which says it inflates to ``declared`` bytes; None when it is damaged,
        cut short or longer than declared. Raises LimitExceeded past a limit."""
        limits = self.meter.limits
        room = max(limits.max_expanded_size - self.meter.total - self.spent, 0)
        cap = min(room, max(RATIO_FLOOR, int(len(packed) * limits.max_ratio)))
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(packed, min(declared, cap) + 1)
        except zlib.error:
            return None
        if len(data) > cap:  # one byte past the cap: say which limit it is
            self.meter.check_member(what, self.spent + len(data), None)
            self.meter.check_member(what, len(data), len(packed))
        if len(data) > declared or not inflater.eof:
            return None
        self.spent += len(data)
        return data


def parse_blip(
    buf: bytes, at: int, limit: int | None = None, inflater: Inflater | None = None
) -> tuple[Picture, int] | None:
    """The BLIP record at ``at`` (ending by ``limit``) and the offset after it, or None when there is none.

    A metafile is inflated by ``inflater`` (default limits when there is none)."""
    limit = len(buf) if limit is None else min(limit, len(buf))
    if at < 0 or at + 8 > limit:
        return None
    ver_inst, kind, length = struct.unpack_from("<HHI", buf, at)
    end = at + 8 + length
    table = _BITMAPS if kind in _BITMAPS else _METAFILES if kind in _METAFILES else None
    if table is None or ver_inst & 0xF or end > limit:
        return None
    extension, headers = table[kind]
    fixed = headers.get(ver_inst >> 4)
    if fixed is None or length < fixed:
        return None
    body = buf[at + 8 + fixed : end]
    if table is _METAFILES:
        header = at + 8 + fixed - _METAFILE_HEADER
        compression, filter_ = buf[header + 32], buf[header + 33]
        if compression not in (_DEFLATE, _NONE) or filter_ != _NONE:
            return None
        return _metafile(extension, buf, header, body, inflater or Inflater()), end
    if extension == "dib":
        bmp = bmp_from_dib(body)
        return (Picture("bmp", bmp), end) if bmp else None
    if not body.startswith(_MAGIC[extension]):
        return None
    return Picture(extension, body), end


def _metafile(extension: str, buf: bytes, header: int, body: bytes, inflater: Inflater) -> Picture:
    """The EMF or WMF file of a metafile BLIP (``header``: its OfficeArtMetafileHeader); PICT as it is."""
    (declared,) = struct.unpack_from("<I", buf, header)
    if extension == "pict":
        return Picture(extension, body)
    if buf[header + 32] == _DEFLATE:
        data = inflater.inflate(body, declared, f"{extension.upper()} picture")
        if data is None:
            return Picture(DAMAGED, body)
    else:
        data = body
    if extension == "emf":
        return Picture("emf", data) if is_emf(data) else Picture(DAMAGED, body)
    if not is_wmf(data):
        return Picture(DAMAGED, body)
    bounds = struct.unpack_from("<4i", buf, header + 4)
    width_emu = struct.unpack_from("<i", buf, header + 20)[0]
    inch = round((bounds[2] - bounds[0]) * _EMU_PER_INCH / width_emu) if width_emu > 0 else 1440
    return Picture("wmf", placeable_wmf(data, bounds, inch))


def is_emf(data: bytes) -> bool:
    """Whether ``data`` starts with an EMF header record (type 1, signature " EMF")."""
    return len(data) >= 88 and data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF"


def is_wmf(data: bytes) -> bool:
    """Whether ``data`` starts with a placeable or a standard WMF header (MS-WMF 2.3.2)."""
    if data[:4] == _PLACEABLE:
        return True
    if len(data) < 18:
        return False
    kind, words, version = struct.unpack_from("<HHH", data)
    return kind in (1, 2) and words == 9 and version in (0x100, 0x300)


def placeable_wmf(data: bytes, bounds: tuple[int, ...], inch: int) -> bytes:
    """``data`` (a WMF) with a placeable header (META_PLACEABLE, MS-WMF 2.3.2.3) for ``bounds``
    (left, top, right, bottom) at ``inch`` units per inch; as it is when it has one or the box is empty.

    The header's box is 16-bit: larger bounds are scaled down, and ``inch`` with them."""
    left, top, right, bottom = bounds
    if data[:4] == _PLACEABLE or right <= left or bottom <= top:
        return data
    scale = -(-max(abs(v) for v in bounds) // 0x7FFF)
    box = [round(v / scale) for v in bounds]
    words = struct.pack("<IH4hHI", _PLACEABLE_KEY, 0, *box, min(max(round(inch / scale), 1), 0xFFFF), 0)
    checksum = 0
    for (word,) in struct.iter_unpack("<H", words):
        checksum ^= word
    return words + struct.pack("<H", checksum) + data


def sequence(buf: bytes, inflater: Inflater | None = None) -> Iterator[Picture]:
    """The BLIPs of a stream that is a plain run of records (PowerPoint's ``Pictures``)."""
    inflater = inflater or Inflater()
    at = 0
    while at + 8 <= len(buf):
        found = parse_blip(buf, at, inflater=inflater)
        if found is not None:
            yield found[0]
        (length,) = struct.unpack_from("<I", buf, at + 4)
        at += 8 + length


def bstore(buf: bytes, delay: bytes = b"", inflater: Inflater | None = None) -> Iterator[Picture]:
    """The BLIPs of the FBSE records in an OfficeArt record tree (a DggContainer or a BStore).

    An FBSE holds its BLIP after its name, or points at it with ``foDelay`` in
    the delay stream (the WordDocument stream for Word).
    """
    inflater = inflater or Inflater()
    stack = [(0, len(buf), 0)]
    while stack:
        at, end, depth = stack.pop()
        while at + 8 <= end:
            ver_inst, kind, length = struct.unpack_from("<HHI", buf, at)
            body_end = min(at + 8 + length, end)
            if ver_inst & 0xF == 0xF and depth < _MAX_DEPTH:
                stack.append((body_end, end, depth))
                at, end, depth = at + 8, body_end, depth + 1
                continue
            if kind == _FBSE:
                picture = _fbse_picture(buf, at + 8, body_end, delay, inflater)
                if picture is not None:
                    yield picture
            at = body_end


def _fbse_picture(buf: bytes, start: int, end: int, delay: bytes, inflater: Inflater) -> Picture | None:
    if end - start < _FBSE_FIXED:
        return None
    (fo_delay,) = struct.unpack_from("<I", buf, start + 28)
    embedded = start + _FBSE_FIXED + buf[start + 33]  # cbName bytes of name, then the BLIP
    if embedded + 8 <= end:
        found = parse_blip(buf, embedded, end, inflater)
    elif delay and fo_delay != 0xFFFFFFFF:
        found = parse_blip(delay, fo_delay, inflater=inflater)
    else:
        found = None
    return found[0] if found else None


def scan(buf: bytes, inflater: Inflater | None = None) -> Iterator[Picture]:
    """BLIPs wherever they sit in ``buf`` (Word's Data stream: PICFs and other data between them).

    Candidates are found by their record header and kept only when the whole
    record parses and the picture starts with its format's signature; one
    regex pass over the buffer, so linear in its size.
    """
    inflater = inflater or Inflater()
    consumed = 0
    for match in _HEADER_PATTERN.finditer(buf):
        if match.start() < consumed:
            continue
        found = parse_blip(buf, match.start(), inflater=inflater)
        if found is not None:
            yield found[0]
            consumed = found[1]


def picture_members(
    pictures: Iterator[Picture] | list[Picture], prefix: str = ""
) -> tuple[list[Member], list[SkippedPart]]:
    """Members ``{prefix}picture1.png`` ... for the readable pictures (each distinct picture once),
    and a skipped part counting the others (PICT, damaged ...), when there are any."""
    members: list[Member] = []
    unread: dict[str, int] = {}
    seen: set[bytes] = set()
    for picture in pictures:
        digest = hashlib.sha256(picture.data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        if picture.readable:
            members.append(Member(f"{prefix}picture{len(members) + 1}.{picture.kind}", picture.data))
        else:
            label = picture.kind if picture.kind == DAMAGED else picture.kind.upper()
            unread[label] = unread.get(label, 0) + 1
    skipped = []
    if unread:
        count = sum(unread.values())
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(unread.items()))
        skipped.append(SkippedPart("pictures", f"{count} not read ({kinds}: not decodable for OCR)"))
    return members, skipped
