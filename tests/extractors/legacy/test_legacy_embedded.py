"""Pictures and embedded objects of .doc, .xls, .ppt and .rtf files are read, or said to be unread.

The fixtures (tests/fixtures/legacy/, made by tests/fixtures/make_legacy.py; see
its README for where each file comes from) are scanned end to end through
``scan_bytes``: an embedded workbook must come back as a member with its path
and its text read, a marked embedded text file must give its container the
level, and a picture must be a member the pipeline OCRs. Tests marked ``ocr``
need RapidOCR and skip without it.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import time
import zlib

import olefile
import pytest
from locations import FIXTURES
from PIL import Image
from realworld import REALWORLD

from secscan.config import Limits, ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.errors import LimitExceeded
from secscan.extractors import get_extractor
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.dib import bmp_from_dib
from secscan.extractors.legacy.officeart import (
    DAMAGED,
    Inflater,
    bstore,
    parse_blip,
    picture_members,
    placeable_wmf,
    sequence,
)
from secscan.extractors.legacy.officeart import scan as scan_blips
from secscan.extractors.legacy.ole_objects import compound_objects
from secscan.extractors.legacy.ppt import _objects as ppt_objects
from secscan.match.catalog import load_catalog
from secscan.model import Extraction, FileResult, Level, Status

LEGACY = FIXTURES / "legacy"
HAS_RAPIDOCR = all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))
needs_ocr = pytest.mark.skipif(not HAS_RAPIDOCR, reason="RapidOCR not installed: pip install 'secscan[ocr]'")


def scan(name: str, scan_config: ScanConfig, data: bytes | None = None) -> dict[str, FileResult]:
    payload = (LEGACY / name).read_bytes() if data is None else data
    return {result.path: result for result in scan_bytes(name, name, payload, scan_config)}


def extraction(name: str, scan_config: ScanConfig, data: bytes | None = None) -> Extraction:
    payload = (LEGACY / name).read_bytes() if data is None else data
    extractor = get_extractor(detect(payload, name).kind)
    assert extractor is not None
    return extractor(payload, scan_config)


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def reasons(result: FileResult) -> str:
    return result.error or ""


# --- embedded objects in .doc / .xls / .ppt ------------------------------------------


@pytest.mark.parametrize(
    "name, member",
    [
        ("embedded-simple-2007_marked.doc", "ObjectPool/_1577691201/simple-text-file.txt"),
        ("embedded-simple-2007_marked.xls", "MBD0009CF7B/simple-text-file.txt"),
        ("embedded-simple-2007_marked.ppt", "ExOleObjStg1/simple-text-file.txt"),
    ],
)
def test_marked_embedded_file_flags_its_container(name: str, member: str, scan_config: ScanConfig) -> None:
    results = scan(name, scan_config)
    inner = results[f"{name}!{member}"]
    assert (inner.type, inner.status, inner.level) == ("text", Status.FLAGGED, Level.SECRET)
    assert [f.match for f in inner.findings] == ["机密★5年"]
    outer = results[name]
    assert (outer.status, outer.level) == (Status.FLAGGED, Level.SECRET)


@pytest.mark.parametrize(
    "member, kind, text",
    [
        ("ObjectPool/_1269427300.doc", "doc", "I am a sample document"),
        ("ObjectPool/_1269427326.ppt", "ppt", "Click to edit Master title style"),
        ("ObjectPool/_1269427460.xls", "xls", "This is the first file"),
        ("ObjectPool/_1269427461.xls", "xls", "This is the second file"),
    ],
)
def test_doc_object_pool_documents_are_read_as_documents(
    member: str, kind: str, text: str, scan_config: ScanConfig
) -> None:
    name = "word_with_embeded.doc"
    result = scan(name, scan_config)[f"{name}!{member}"]
    assert (result.type, result.status) == (kind, Status.CLEAN)
    found = {m.name: m for m in extraction(name, scan_config).members}
    inner = extraction(member, scan_config, found[member].data)
    assert any(text in block.text for block in inner.blocks)


def test_a_storage_made_standalone_lists_exactly_its_own_entries(scan_config: ScanConfig) -> None:
    name = "word_with_embeded.doc"
    with olefile.OleFileIO(str(LEGACY / name)) as ole:
        expected = sorted(e[2:] for e in ole.listdir() if e[:2] == ["ObjectPool", "_1269427460"])
    member = next(m for m in extraction(name, scan_config).members if m.name == "ObjectPool/_1269427460.xls")
    with olefile.OleFileIO(member.data) as inner:
        assert sorted(inner.listdir()) == expected


@pytest.mark.parametrize("member, kind", [("ExOleObjStg1.doc", "doc"), ("ExOleObjStg2.xls", "xls")])
def test_ppt_ole_objects_are_inflated_and_read(member: str, kind: str, scan_config: ScanConfig) -> None:
    name = "ole2-embedding-2003.ppt"
    results = scan(name, scan_config)
    assert (results[f"{name}!{member}"].type, results[f"{name}!{member}"].status) == (kind, Status.CLEAN)
    # The EMF previews of the two objects are pictures too, read as metafiles: nothing is left unread.
    assert results[name].status == Status.CLEAN
    assert [results[f"{name}!picture{n}.emf"].type for n in (1, 2)] == ["emf", "emf"]


def test_rtf_object_holding_a_compound_file_is_read(scan_config: ScanConfig) -> None:
    results = scan("object_xls.rtf", scan_config)
    member = results["object_xls.rtf!object1.xls"]
    assert member.type == "xls" and member.status != Status.ERROR
    assert "object_xls.rtf!object1.xls!picture1.png" in results


def test_unreadable_object_kind_is_a_skipped_part_not_clean(scan_config: ScanConfig) -> None:
    result = scan("testMSEquation-govdocs-863534.doc", scan_config)["testMSEquation-govdocs-863534.doc"]
    assert result.status == Status.SKIPPED
    assert "embedded object: ObjectPool/_1145964739 (Microsoft Equation 3.0) not read" in reasons(result)
    assert any(s.part == "embedded object" for s in result.coverage.skipped)


def test_damaged_compressed_object_is_said_to_be_unread(scan_config: ScanConfig) -> None:
    buffer = io.BytesIO((LEGACY / "ole2-embedding-2003.ppt").read_bytes())
    with olefile.OleFileIO(buffer, write_mode=True) as ole:
        stream = bytearray(ole.openstream("PowerPoint Document").read())
        at = stream.find(struct.pack("<HH", 0x10, 0x1011))  # the first compressed ExOleObjStg
        stream[at + 12 : at + 14] = b"\x00\x00"  # its zlib header
        ole.write_stream("PowerPoint Document", bytes(stream))
    result = scan("broken.ppt", scan_config, buffer.getvalue())["broken.ppt"]
    assert result.status == Status.SKIPPED
    assert "ExOleObjStg1 not read (damaged compressed data)" in reasons(result)


def test_embedded_objects_count_against_the_expansion_limit() -> None:
    scan_config = ScanConfig(catalog=load_catalog(), ocr=False, limits=Limits(max_expanded_size=200_000))
    result = scan("word_with_embeded.doc", scan_config)["word_with_embeded.doc"]
    assert result.status == Status.ERROR
    assert "expanded size limit" in reasons(result)


def test_damaged_compound_object_is_said_to_be_unread() -> None:
    assert compound_objects(b"not a compound file", "object1", Meter(Limits())).skipped


# --- pictures in .doc / .xls / .ppt ---------------------------------------------------


@pytest.mark.parametrize(
    "name, member, fmt, size",
    [
        ("Doc1_ole.doc", "picture1.jpg", "JPEG", (208, 177)),  # Data stream, after a PICF
        ("picture_in_cell.xls", "picture1.png", "PNG", (80, 15)),  # MsoDrawingGroup BStore
        ("57272_corrupted_usereditatom.ppt", "picture1.jpg", "JPEG", (128, 128)),  # Pictures stream
    ],
)
def test_pictures_are_members_that_pillow_decodes(
    name: str, member: str, fmt: str, size: tuple[int, int], scan_config: ScanConfig
) -> None:
    found = {m.name: m for m in extraction(name, scan_config).members}
    image = decoded(found[member].data)
    assert (image.format, image.size) == (fmt, size)
    results = scan(name, scan_config)
    assert results[f"{name}!{member}"].type == fmt.lower()
    # With OCR off the picture is not read, so neither is the file: never clean by omission.
    assert results[name].status == Status.SKIPPED


@pytest.mark.parametrize(
    "name, member, text",
    [
        ("ole2-embedding-2003.ppt", "picture1.emf", "OLE embedding is thoroughly unremarkable."),  # Pictures
        ("embedded-simple-2007_marked.ppt", "picture1.wmf", "simple-text-file.txt"),  # Pictures, a WMF
        ("embedded-simple-2007_marked.xls", "picture1.emf", "simple-text-file.txt"),  # drawing group
        ("Doc1_ole.doc", "picture2.emf", "MSj00974840000[1].wav"),  # Data stream, after a PICF
        ("word_with_embeded.doc", "picture4.emf", "I am a sample document"),
    ],
)
def test_metafile_pictures_are_members_whose_text_is_read(
    name: str, member: str, text: str, scan_config: ScanConfig
) -> None:
    found = extraction(name, scan_config)
    assert not [s for s in found.skipped if s.part == "pictures"]
    picture = {m.name: m for m in found.members}[member]
    kind = member.rsplit(".", 1)[1]
    assert detect(picture.data, member).kind == kind
    assert text in [block.text for block in extraction(member, scan_config, picture.data).blocks]
    result = scan(name, scan_config)[f"{name}!{member}"]
    assert result.type == kind and "body" in result.coverage.parts and not result.coverage.skipped


WPS = (
    "TXT.txt",
    "PDF.pdf",
    "XML.xml",
    "DOC.doc",
    "DOCX.docx",
    "XLS.xls",
    "XLSX.xlsx",
    "PPT.ppt",
    "PPTX.pptx",
)


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
@pytest.mark.parametrize("name, kind", [("doc", "emf"), ("xls", "emf"), ("ppt", "wmf")])
def test_wps_attachment_icons_are_read_metafiles(name: str, kind: str, scan_config: ScanConfig) -> None:
    """tika's testWPSAttachment files show each of their 9 objects as an icon metafile with its name."""
    path = f"testWPSAttachment.{name}"
    data = (REALWORLD / "tika" / path).read_bytes()
    results = {r.path: r for r in scan_bytes(path, path, data, scan_config)}
    assert results[path].status == Status.CLEAN  # was: pictures: 9 not read (9 EMF/WMF)
    assert [results[f"{path}!picture{n}.{kind}"].type for n in range(1, 10)] == [kind] * 9
    found = {m.name: m for m in extraction(path, scan_config, data).members}
    labels = [
        extraction(f"p.{kind}", scan_config, found[f"picture{n}.{kind}"].data).blocks[0].text
        for n in range(1, 10)
    ]
    assert labels == list(WPS)


def test_wmf_blip_gets_a_placeable_header_from_its_bounds(scan_config: ScanConfig) -> None:
    name = "embedded-simple-2007_marked.ppt"
    with olefile.OleFileIO(str(LEGACY / name)) as ole:
        stream = ole.openstream("Pictures").read()
    bounds = struct.unpack_from("<4i", stream, 8 + 16 + 4)  # after the record header, rgbUid1 and cbSize
    wmf = {m.name: m for m in extraction(name, scan_config).members}["picture1.wmf"].data
    key, handle, *box, inch, reserved, checksum = struct.unpack_from("<IH4hHIH", wmf)
    assert (key, handle, tuple(box), reserved) == (0x9AC6CDD7, 0, bounds, 0)
    assert inch == 101  # bounds 120 units wide, ptSize 1,089,000 EMUs (1.19 in)
    words = struct.unpack_from("<10H", wmf)
    xor = 0
    for word in words:
        xor ^= word
    assert checksum == xor
    assert wmf[22:28] == b"\x01\x00\x09\x00\x00\x03"  # the metafile as the BLIP held it
    # A 16-bit box: larger bounds (0.01 mm ones, say) are scaled down, units per inch with them.
    scaled = placeable_wmf(wmf[22:], (0, 0, 64267, 60325), 2540)
    assert struct.unpack_from("<4hH", scaled, 6) == (0, 0, 32134, 30162, 1270)
    assert placeable_wmf(wmf[22:], (0, 0, 0, 0), 96) == wmf[22:]  # no box: the standard header stays


def metafile_blip(
    kind: int, instance: int, metafile: bytes, *, compress: bool = True, size: int = -1, uids: int = 1
) -> bytes:
    """An OfficeArtBlipEMF/WMF/PICT record holding ``metafile``, zlib-compressed or not."""
    data = zlib.compress(metafile) if compress else metafile
    declared = len(metafile) if size < 0 else size
    bounds, size_emu, method = (0, 0, 100, 50), (914400, 457200), 0x00 if compress else 0xFE
    header = struct.pack("<I4i2iIBB", declared, *bounds, *size_emu, len(data), method, 0xFE)
    body = b"\x07" * 16 * uids + header + data
    return struct.pack("<HHI", instance << 4, kind, len(body)) + body


def small_emf() -> bytes:
    """A real EMF (with text): the first picture of ole2-embedding-2003.ppt, inflated."""
    with olefile.OleFileIO(str(LEGACY / "ole2-embedding-2003.ppt")) as ole:
        stream = ole.openstream("Pictures").read()
    picture = parse_blip(stream, 0)
    assert picture is not None and picture[0].kind == "emf"
    return picture[0].data


def test_damaged_metafile_blips_are_skipped_parts_not_crashes() -> None:
    emf = small_emf()
    good = metafile_blip(0xF01A, 0x3D4, emf)
    assert [p.kind for p in sequence(good)] == ["emf"]
    assert [p.kind for p in sequence(metafile_blip(0xF01A, 0x3D4, emf, compress=False))] == ["emf"]
    assert [p.data for p in sequence(metafile_blip(0xF01A, 0x3D5, emf, uids=2))] == [emf]  # 66-byte header
    broken = bytearray(good)
    broken[8 + 50 : 8 + 52] = b"\x00\x00"  # the zlib header
    cut = good[: 8 + 50 + 40]
    cut = struct.pack("<HHI", 0x3D4 << 4, 0xF01A, len(cut) - 8) + cut[8:]  # a record that ends mid-stream
    damaged = [
        bytes(broken),
        cut,
        metafile_blip(0xF01A, 0x3D4, emf, size=len(emf) - 1),  # inflates past its declared size
        metafile_blip(0xF01A, 0x3D4, b"\x00" * 200),  # inflates, but to no EMF
        metafile_blip(0xF01B, 0x216, b"not a wmf header at all"),
    ]
    for record in damaged:
        assert [p.kind for p in sequence(record)] == [DAMAGED]
    pict = metafile_blip(0xF01C, 0x542, b"\x00" * 600)
    members, skipped = picture_members([*sequence(pict + bytes(broken) + good)])
    assert [m.name for m in members] == ["picture1.emf"]
    assert [s.reason for s in skipped] == ["2 not read (1 PICT, 1 damaged: not decodable for OCR)"]


def test_damaged_metafile_blip_in_a_ppt_is_said_to_be_unread(scan_config: ScanConfig) -> None:
    buffer = io.BytesIO((LEGACY / "ole2-embedding-2003.ppt").read_bytes())
    with olefile.OleFileIO(buffer, write_mode=True) as ole:
        stream = bytearray(ole.openstream("Pictures").read())
        stream[8 + 50 : 8 + 52] = b"\x00\x00"  # the zlib header of its first EMF
        ole.write_stream("Pictures", bytes(stream))
    results = scan("broken.ppt", scan_config, buffer.getvalue())
    assert results["broken.ppt"].status == Status.SKIPPED
    assert "pictures: 1 not read (1 damaged" in reasons(results["broken.ppt"])
    assert results["broken.ppt!picture1.emf"].status == Status.CLEAN  # the other EMF is read all the same


def test_metafile_inflation_is_bounded() -> None:
    bomb = metafile_blip(0xF01A, 0x3D4, b"\x00" * (8 << 20))
    with pytest.raises(LimitExceeded, match=r"compression ratio limit"):
        list(sequence(bomb, Inflater(Meter(Limits(max_ratio=10)))))
    emf = small_emf()
    two = metafile_blip(0xF01A, 0x3D4, emf) + metafile_blip(0xF01A, 0x3D4, emf + b"\x00")
    inflater = Inflater(Meter(Limits(max_expanded_size=2 * len(emf))))  # room for one, not both
    with pytest.raises(LimitExceeded, match=r"expanded size limit"):
        list(sequence(two, inflater))
    assert inflater.spent == len(emf)


@needs_ocr
@pytest.mark.ocr
def test_picture_in_a_ppt_is_ocred(ocr_config: ScanConfig) -> None:
    name = "57272_marked_picture.ppt"
    results = scan(name, ocr_config)
    picture = results[f"{name}!picture1.png"]
    assert (picture.status, picture.level) == (Status.FLAGGED, Level.SECRET)
    assert results[name].level == Level.SECRET


def test_blip_with_two_uids_has_a_33_byte_header() -> None:
    png = (LEGACY / "picture.rtf").read_bytes()  # any real PNG will do: take the RTF's
    start = png.index(b"89504e47")
    data = bytes.fromhex(png[start : png.index(b"}", start)].decode().replace("\n", ""))
    one = struct.pack("<HHI", 0x6E0 << 4, 0xF01E, 17 + len(data)) + b"\x01" * 16 + b"\xff" + data
    two = struct.pack("<HHI", 0x6E1 << 4, 0xF01E, 33 + len(data)) + b"\x01" * 32 + b"\xff" + data
    for record in (one, two):
        found = parse_blip(record, 0)
        assert found is not None and found[1] == len(record)
        assert decoded(found[0].data).format == "PNG"
    wrong = struct.pack("<HHI", 0x6E0 << 4, 0xF01E, 33 + len(data)) + b"\x01" * 32 + b"\xff" + data
    assert parse_blip(wrong, 0) is None  # header size follows the instance, not a guess
    # A BStore FBSE that points into a delay stream (Word's floating pictures).
    fbse_body = bytes([6, 6]) + b"\x00" * 16 + struct.pack("<HIII", 0, len(two), 1, 5) + b"\x00" * 4
    fbse = struct.pack("<HHI", (6 << 4) | 2, 0xF007, len(fbse_body)) + fbse_body
    store = struct.pack("<HHI", 0x1F, 0xF001, len(fbse)) + fbse
    pictures = list(bstore(store, delay=b"\x00" * 5 + two))
    assert [p.kind for p in pictures] == ["png"]
    assert [p.kind for p in scan_blips(b"junk" + one + b"junk" + two)] == ["png", "png"]
    assert [p.kind for p in sequence(one + two)] == ["png", "png"]
    members, skipped = picture_members([*scan_blips(one + two)])
    assert [m.name for m in members] == ["picture1.png"] and not skipped  # the same picture once


def test_dib_gets_a_bmp_file_header() -> None:
    image = Image.new("RGB", (70, 20), "white")
    buffer = io.BytesIO()
    image.save(buffer, "BMP")
    dib = buffer.getvalue()[14:]
    bmp = bmp_from_dib(dib)
    assert bmp is not None and decoded(bmp).size == (70, 20)
    paletted = io.BytesIO()
    image.convert("P").save(paletted, "BMP")
    assert decoded(bmp_from_dib(paletted.getvalue()[14:]) or b"").size == (70, 20)


# --- RTF -----------------------------------------------------------------------------


def test_rtf_png_picture_is_a_member(scan_config: ScanConfig) -> None:
    found = extraction("picture.rtf", scan_config)
    assert [m.name for m in found.members] == ["picture1.png"]
    assert decoded(found.members[0].data).size == (1000, 270)
    assert not found.skipped  # the \nonshppict WMF is a copy of the same picture: not counted
    results = scan("picture.rtf", scan_config)
    assert results["picture.rtf"].status == Status.SKIPPED  # OCR off: the picture was not read
    assert results["picture.rtf!picture1.png"].type == "png"


@needs_ocr
@pytest.mark.ocr
def test_rtf_png_picture_is_ocred(ocr_config: ScanConfig) -> None:
    results = scan("picture.rtf", ocr_config)
    assert (results["picture.rtf!picture1.png"].status, results["picture.rtf"].level) == (
        Status.FLAGGED,
        Level.SECRET,
    )


def test_rtf_wmf_is_a_member_whose_text_flags_the_file(scan_config: ScanConfig) -> None:
    results = scan("picture_wmf.rtf", scan_config)
    inner = results["picture_wmf.rtf!picture1.wmf"]
    assert (inner.type, inner.status, inner.level) == ("wmf", Status.FLAGGED, Level.SECRET)
    assert [f.match for f in inner.findings] == ["机密★5年"]
    assert (results["picture_wmf.rtf"].status, results["picture_wmf.rtf"].level) == (
        Status.FLAGGED,
        Level.SECRET,
    )
    found = extraction("picture_wmf.rtf", scan_config)
    assert not found.skipped
    wmf = found.members[0].data
    assert detect(wmf, "picture1.wmf").kind == "wmf"
    box = struct.unpack_from("<IH4hH", wmf)
    assert box == (0x9AC6CDD7, 0, 0, 0, 4000, 1000, 1440)  # \picwgoal x \pichgoal twips
    assert wmf[22:24] == b"\x01\x00"  # then the metafile as the RTF held it


def test_rtf_metafile_kinds(scan_config: ScanConfig) -> None:
    wmf = extraction("picture_wmf.rtf", scan_config).members[0].data[22:]
    sized = rtf_with(r"{\pict\wmetafile8\picw7056\pich1764 " + wmf.hex() + "}")
    by_size = extraction("w.rtf", scan_config, sized)
    assert struct.unpack_from("<IH4hH", by_size.members[0].data) == (0x9AC6CDD7, 0, 0, 0, 7056, 1764, 2540)
    bare = extraction("w.rtf", scan_config, rtf_with(r"{\pict\wmetafile8 " + wmf.hex() + "}")).members[0].data
    assert bare == wmf and detect(bare, "picture1.wmf").kind == "wmf"  # no size: the standard header
    emf = small_emf()
    # Word's pair: the EMF, then a WMF copy for old readers, which is not counted again.
    pair = r"{\*\shppict{\pict\emfblip " + emf.hex() + r"}}{\nonshppict{\pict\wmetafile8 " + wmf.hex() + "}}"
    found = extraction("e.rtf", scan_config, rtf_with(pair))
    assert [m.name for m in found.members] == ["picture1.emf"] and not found.skipped
    results = scan("e.rtf", scan_config, rtf_with(pair))
    assert (results["e.rtf!picture1.emf"].type, results["e.rtf"].status) == ("emf", Status.CLEAN)
    unread = r"{\pict\macpict 0011}{\pict\pmmetafile8 0022}{\pict\emfblip 0033}{\pict\wmetafile8 0044}"
    found = extraction("u.rtf", scan_config, rtf_with(unread))
    assert not found.members
    assert [s.reason for s in found.skipped] == [
        "4 not read (1 MET, 1 PICT, 2 damaged: not decodable for OCR)"
    ]


def test_rtf_package_object_flags_the_file(scan_config: ScanConfig) -> None:
    results = scan("object.rtf", scan_config)
    inner = results["object.rtf!object1/notice.txt"]
    assert (inner.status, inner.level) == (Status.FLAGGED, Level.SECRET)
    assert results["object.rtf"].level == Level.SECRET
    assert not extraction("object.rtf", scan_config).skipped  # the \result preview of a read object


def rtf_with(group: str) -> bytes:
    return (r"{\rtf1\ansi{\pard Body text\par}" + group + "}").encode("latin-1")


def test_rtf_binary_picture_and_dib(scan_config: ScanConfig) -> None:
    png = (LEGACY / "57272_marked_picture.ppt").read_bytes()
    start = png.index(b"\x89PNG")
    strip = png[start : png.index(b"IEND", start) + 8]
    binary = rtf_with(r"{\pict\pngblip\bin" + str(len(strip)) + " " + strip.decode("latin-1") + "}")
    found = extraction("bin.rtf", scan_config, binary)
    assert [m.name for m in found.members] == ["picture1.png"] and decoded(found.members[0].data)
    assert [b.text for b in found.blocks] == ["Body text"]  # the binary bytes are not text
    buffer = io.BytesIO()
    Image.new("L", (90, 30), 255).save(buffer, "BMP")
    dib = rtf_with(r"{\pict\dibitmap0 " + buffer.getvalue()[14:].hex() + "}")
    member = extraction("dib.rtf", scan_config, dib).members[0]
    assert member.name == "picture1.bmp" and decoded(member.data).size == (90, 30)


def test_rtf_cut_short_inside_a_picture_still_gives_it(scan_config: ScanConfig) -> None:
    data = (LEGACY / "picture.rtf").read_bytes()
    cut = data[: data.index(b"\n}}")]  # the hex digits end, the groups never close
    assert [m.name for m in extraction("cut.rtf", scan_config, cut).members] == ["picture1.png"]


def test_rtf_linked_and_damaged_objects(scan_config: ScanConfig) -> None:
    linked = struct.pack("<II", 0x501, 1) + struct.pack("<I", 8) + b"Package\x00" + b"\x00" * 8
    found = extraction("l.rtf", scan_config, rtf_with(r"{\object\objlink{\*\objdata " + linked.hex() + "}}"))
    assert not found.members and not found.skipped  # a link: the data is in another file
    damaged = rtf_with(r"{\object\objemb{\*\objdata 0105000002000000ffffffff}}")
    found = extraction("d.rtf", scan_config, damaged)
    assert [s.part for s in found.skipped] == ["embedded object"]
    assert scan("d.rtf", scan_config, damaged)["d.rtf"].status == Status.SKIPPED


def test_rtf_hex_decoding_is_linear_and_bounded(scan_config: ScanConfig) -> None:
    hex_digits = ("0f" * 64 + "\n") * 40_000  # 5 MB of picture data
    data = rtf_with(r"{\pict\pngblip " + hex_digits + "}" + r"{\object{\*\objdata " + hex_digits + "}}")
    started = time.perf_counter()
    found = extraction("big.rtf", scan_config, data)
    assert time.perf_counter() - started < 20
    assert sum(len(m.data) for m in found.members) <= len(data)
    assert {s.part for s in found.skipped} == {"pictures", "embedded object"}


def test_rtf_bin_past_the_end_is_harmless(scan_config: ScanConfig) -> None:
    data = rtf_with(r"{\pict\pngblip\bin99999999 " + "x" * 10)
    found = extraction("x.rtf", scan_config, data)
    assert not found.members and [s.part for s in found.skipped] == ["pictures"]


def test_ppt_object_inflation_is_bounded() -> None:
    bomb = zlib.compress(b"\x00" * (8 << 20))
    record = struct.pack("<HHI", 0x10, 0x1011, 4 + len(bomb)) + struct.pack("<I", 8 << 20) + bomb
    with pytest.raises(LimitExceeded, match=r"compression ratio limit"):
        ppt_objects(record, Meter(Limits(max_ratio=10)))
