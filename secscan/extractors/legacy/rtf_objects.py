"""RTF pictures (``\\pict``) and embedded objects (``\\object`` … ``\\objdata``) -> members.

A ``\\pict`` group holds one picture as hex digits (or ``\\binN`` raw bytes),
its format named by a control word: ``\\pngblip`` and ``\\jpegblip`` come out
as ``picture1.png`` / ``picture2.jpg`` for OCR, ``\\dibitmapN`` as a BMP (the
DIB with the file header it lacks). ``\\emfblip`` is an EMF file
(``picture3.emf``) and ``\\wmetafileN`` a WMF without its placeable header,
which is put back, its box ``\\picwgoal`` by ``\\pichgoal`` twips (else
``\\picw`` by ``\\pich``, 0.01 mm for the MM_ANISOTROPIC metafiles Word
writes), so it comes out as ``picture4.wmf``; both are read by the metafile
reader. OS/2 (``\\pmmetafileN``) and Mac (``\\macpict``) metafiles,
device-dependent ``\\wbitmapN`` bitmaps, and a picture whose data is not what
its type word says, are counted as not read. The ``\\nonshppict`` copy Word
writes for old readers is the same picture again and is not counted.

``\\objdata`` is an OLE1 object in hex (MS-OLEDS 2.2.4 ObjectHeader): OLE
version, FormatID (1 linked, 2 embedded), ClassName, TopicName, ItemName
(each a length-prefixed ANSI string), then NativeDataSize and the native
data. A ``Package`` object's native data is a Packager file (read with
``ole_embedded.parse_ole10native``); most others are an OLE compound file,
read through ``ole_objects`` like a Word ObjectPool storage; anything else is
handed on as ``object1`` for detection. A linked object holds no data. The
``\\result`` picture of an object is only the object's preview: it is read
when the object itself could not be.

Hex is decoded in one pass (strip non-hex digits, ``bytes.fromhex``), so the
work is linear and never more bytes come out than the file has.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.dib import bmp_from_dib
from secscan.extractors.legacy.officeart import DAMAGED, Picture, is_emf, is_wmf, placeable_wmf
from secscan.extractors.legacy.ole_embedded import parse_ole10native
from secscan.extractors.legacy.ole_objects import Objects, compound_objects
from secscan.model import Member, SkippedPart

# RTF picture-type control word -> Picture kind (an extension; unreadable kinds are counted only).
PICTURE_TYPES = {
    "pngblip": "png",
    "jpegblip": "jpg",
    "dibitmap": "dib",
    "emfblip": "emf",
    "wmetafile": "wmf",
    "pmmetafile": "met",  # OS/2 Presentation Manager metafile: not read
    "macpict": "pict",
    "wbitmap": "ddb",
}
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
)
# The size control words of a \\pict group (values in twips, or the metafile's xExt/yExt).
PICTURE_SIZES = frozenset({"picw", "pich", "picwgoal", "pichgoal"})
_TWIPS_PER_INCH, _HIMETRIC_PER_INCH = 1440, 2540
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]+")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINKED, _EMBEDDED = 1, 2
_MAX_NAME = 256


@dataclass
class Capture:
    """The data of one ``\\pict`` or ``\\objdata`` group as it is read."""

    kind: str  # "pict" or "objdata"
    chunks: list[str] = field(default_factory=list)  # hex text
    binary: list[str] = field(default_factory=list)  # \binN data, as latin-1 characters
    picture_type: str = ""  # a value of PICTURE_TYPES
    sizes: dict[str, int] = field(default_factory=dict)  # PICTURE_SIZES control words -> value
    in_object: RtfObject | None = None

    def data(self) -> bytes:
        if self.binary:
            return "".join(self.binary).encode("latin-1")
        return decode_hex(self.chunks)


@dataclass
class RtfObject:
    number: int
    read: bool = False  # its \objdata gave a member (or a skip saying why not)
    previews: list[Picture] = field(default_factory=list)  # \result pictures, used when it was not read


def decode_hex(chunks: list[str]) -> bytes:
    digits = _NOT_HEX.sub("", "".join(chunks))
    return bytes.fromhex(digits[: len(digits) // 2 * 2])


def picture(picture_type: str, data: bytes, sizes: dict[str, int] | None = None) -> Picture | None:
    """The picture of a ``\\pict`` group, by its signature when it has one, else by its type word;
    ``sizes`` are its PICTURE_SIZES control words (the box a WMF's placeable header gets)."""
    if not data:
        return None
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return Picture(kind, data)
    if picture_type == "dib":
        bmp = bmp_from_dib(data)
        return Picture("bmp", bmp) if bmp else Picture(DAMAGED, data)
    if picture_type == "emf":
        return Picture("emf", data) if is_emf(data) else Picture(DAMAGED, data)
    if picture_type == "wmf":
        if not is_wmf(data):
            return Picture(DAMAGED, data)
        width, height, inch = _wmf_box(sizes or {})
        return Picture("wmf", placeable_wmf(data, (0, 0, width, height), inch))
    if picture_type in ("png", "jpg", ""):  # said to be a PNG or JPEG (or nothing) but is not one
        return Picture(DAMAGED, data)
    return Picture(picture_type, data)


def _wmf_box(sizes: dict[str, int]) -> tuple[int, int, int]:
    """Width, height and units per inch of a ``\\wmetafile`` picture: its goal size in twips when
    given, else its picw/pich (the METAFILEPICT's xExt/yExt: 0.01 mm in MM_ANISOTROPIC); 0 when unknown."""
    width, height = sizes.get("picwgoal", 0), sizes.get("pichgoal", 0)
    if width > 0 and height > 0:
        return width, height, _TWIPS_PER_INCH
    return sizes.get("picw", 0), sizes.get("pich", 0), _HIMETRIC_PER_INCH


def object_members(data: bytes, number: int, meter: Meter) -> Objects:
    """The members of one ``\\objdata`` OLE1 object; empty for a linked one."""
    name = f"object{number}"
    try:
        format_id, class_name, native = _ole1(data)
    except CorruptFile as exc:
        return Objects(skipped=[SkippedPart("embedded object", f"{name} not read ({exc})")])
    if format_id != _EMBEDDED or not native:
        return Objects()
    if native.startswith(_OLE_MAGIC):
        return compound_objects(native, name, meter)
    if class_name.lower() == "package":
        try:
            member = parse_ole10native(struct.pack("<I", len(native)) + native)
        except CorruptFile as exc:
            return Objects(skipped=[SkippedPart("embedded object", f"{name} not read ({exc})")])
        member = Member(f"{name}/{member.name[:80]}", member.data)
    else:
        member = Member(name, native)
    meter.check_member(member.name, len(member.data), None)
    meter.add(len(member.data))
    return Objects(members=[member])


def _ole1(data: bytes) -> tuple[int, str, bytes]:
    """(FormatID, ClassName, NativeData) of an OLE1 ObjectHeader + EmbeddedObject."""
    if len(data) < 8:
        raise CorruptFile("\\objdata too short")
    format_id = struct.unpack_from("<I", data, 4)[0]
    if format_id == _LINKED:
        return format_id, "", b""  # what follows names the linked file; nothing of it is here
    if format_id != _EMBEDDED:
        raise CorruptFile(f"\\objdata of unknown FormatID {format_id:#x}")
    at = 8
    names = []
    for _ in range(3):  # ClassName, TopicName, ItemName
        text, at = _ansi(data, at)
        names.append(text)
    if at + 4 > len(data):
        raise CorruptFile("\\objdata ends before its native data")
    size = struct.unpack_from("<I", data, at)[0]
    native = data[at + 4 : at + 4 + size]
    if len(native) != size:
        raise CorruptFile("\\objdata native data runs past its end")
    return format_id, names[0], native


def _ansi(data: bytes, at: int) -> tuple[str, int]:
    if at + 4 > len(data):
        raise CorruptFile("\\objdata header cut short")
    length = struct.unpack_from("<I", data, at)[0]
    if length > _MAX_NAME or at + 4 + length > len(data):
        raise CorruptFile("\\objdata header string of implausible length")
    return data[at + 4 : at + 4 + length].split(b"\x00")[0].decode("latin-1"), at + 4 + length
