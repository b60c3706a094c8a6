"""EMF and WMF pictures: their text records are read exactly, their bitmaps handed on for OCR.

The fixtures (tests/fixtures/metafile/, made by tests/fixtures/make_metafile.py
with struct) are scanned end to end through ``scan_bytes`` with the real
catalog and OCR off; real metafiles from the shared corpus are read where it
is present.
"""

from __future__ import annotations

import contextlib
import io
import random
import zipfile

import pytest
from locations import FIXTURES
from realworld import REALWORLD

from secscan.config import ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.errors import ScanError
from secscan.extractors.metafile.metafile import extract
from secscan.model import Extraction, FileResult, Level, Status

METAFILE = FIXTURES / "metafile"
DOCS = FIXTURES / "documents"


def scan(name: str, scan_config: ScanConfig, data: bytes | None = None) -> dict[str, FileResult]:
    data = (METAFILE / name).read_bytes() if data is None else data
    return {r.path: r for r in scan_bytes(name, name, data, scan_config)}


def read(name: str, scan_config: ScanConfig) -> Extraction:
    return extract((METAFILE / name).read_bytes(), scan_config)


@pytest.mark.parametrize(
    "name, kind",
    [("secret_glyphs.emf", "emf"), ("confidential_gb2312.wmf", "wmf"), ("plain.wmf", "wmf")],
)
def test_metafiles_are_detected_by_their_header(name: str, kind: str) -> None:
    assert detect((METAFILE / name).read_bytes(), "picture.bin").kind == kind


def test_title_drawn_glyph_by_glyph_is_one_line_and_flagged(scan_config: ScanConfig) -> None:
    result = scan("secret_glyphs.emf", scan_config)["secret_glyphs.emf"]
    assert (result.status, result.level) == (Status.FLAGGED, Level.SECRET)
    [finding] = [f for f in result.findings if f.level == Level.SECRET]
    assert finding.context == "机密★5年"
    assert (finding.location.part, finding.location.origin, finding.location.line) == ("body", "emf", 1)
    blocks = read("secret_glyphs.emf", scan_config).blocks
    assert [b.text for b in blocks] == ["机密★5年", "关于做好年度工作的通知", "各部门：请按时报送材料。"]
    assert blocks[0].vpos is not None and blocks[0].vpos < 0.12
    assert [b.line for b in blocks] == [1, 2, 3]


def test_emfplus_draw_string_is_read(scan_config: ScanConfig) -> None:
    result = scan("noforn_emfplus.emf", scan_config)["noforn_emfplus.emf"]
    assert (result.status, result.level) == (Status.FLAGGED, Level.SECRET)
    [block] = read("noforn_emfplus.emf", scan_config).blocks
    assert (block.text, block.origin, block.hints) == ("SECRET//NOFORN", "emf+", frozenset({"bold"}))
    assert block.vpos is not None and block.vpos < 0.12


def test_wmf_text_is_decoded_in_the_selected_fonts_charset(scan_config: ScanConfig) -> None:
    result = scan("confidential_gb2312.wmf", scan_config)["confidential_gb2312.wmf"]
    assert (result.status, result.level) == (Status.FLAGGED, Level.CONFIDENTIAL)
    assert [f.match for f in result.findings] == ["秘密★1年"]
    blocks = read("confidential_gb2312.wmf", scan_config).blocks
    assert [(b.text, b.origin) for b in blocks] == [("秘密★1年", "wmf"), ("关于开展年度检查的通知", "wmf")]
    assert blocks[0].vpos is not None and blocks[0].vpos < 0.12


@pytest.mark.parametrize("name", ["plain.emf", "plain.wmf"])
def test_ordinary_text_only_is_clean(name: str, scan_config: ScanConfig) -> None:
    result = scan(name, scan_config)[name]
    assert (result.status, result.error) == (Status.CLEAN, None)
    assert "body" in result.coverage.parts


def test_standard_wmf_keeps_its_object_table(scan_config: ScanConfig) -> None:
    # The font is in slot 0 and a pen in slot 1; selecting the pen must not lose the font (DEFAULT_CHARSET,
    # Latin face, Latin-1 bytes -> cp1252).
    assert [b.text for b in read("plain.wmf", scan_config).blocks] == ["Café menu"]


def test_emf_description_is_metadata(scan_config: ScanConfig) -> None:
    metadata = [(b.text, b.origin) for b in read("plain.emf", scan_config).blocks if b.part == "metadata"]
    assert metadata == [("secscan fixture", "emf description"), ("plain", "emf description")]


@pytest.mark.parametrize(
    "name, reason",
    [
        (
            "truncated.emf",
            "damaged after record 4: the next EMF record (byte 612) of 172 bytes runs past the end",
        ),
        ("zero_record.emf", "damaged after record 2: the next EMF record (byte 488) has size 0"),
    ],
)
def test_damaged_metafile_is_read_up_to_the_damage_and_not_clean(
    name: str, reason: str, scan_config: ScanConfig
) -> None:
    result = scan(name, scan_config)[name]
    assert result.status == Status.SKIPPED
    assert result.error is not None and reason in result.error
    assert result.error.startswith("partly read")


def test_text_drawn_as_glyph_indices_is_a_skipped_part(scan_config: ScanConfig) -> None:
    extraction = read("glyph_index.emf", scan_config)
    assert [b.text for b in extraction.blocks] == ["Agenda"]
    assert [s.part for s in extraction.skipped] == ["body"]
    assert "glyph indices" in extraction.skipped[0].reason
    assert scan("glyph_index.emf", scan_config)["glyph_index.emf"].status == Status.SKIPPED


def test_bitmap_is_a_bmp_member_and_with_ocr_off_the_file_is_not_clean(scan_config: ScanConfig) -> None:
    from PIL import Image

    [member] = read("bitmap.emf", scan_config).members
    assert member.name == "picture1.bmp"
    with Image.open(io.BytesIO(member.data)) as image:
        assert (image.format, image.size) == ("BMP", (96, 32))
        image.load()
        assert image.getpixel((0, 0)) == (255, 255, 255)
        assert image.getpixel((48, 16)) == (0, 0, 0)
    results = scan("bitmap.emf", scan_config)
    assert results["bitmap.emf"].status == Status.SKIPPED
    picture = results["bitmap.emf!picture1.bmp"]
    assert (picture.type, picture.status, picture.error) == (
        "bmp",
        Status.SKIPPED,
        "image: OCR off",
    )


def test_metafile_inside_a_word_file_is_read(scan_config: ScanConfig) -> None:
    def docx_with(picture: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(DOCS / "clean_notice.docx") as old, zipfile.ZipFile(out, "w") as new:
            for info in old.infolist():
                new.writestr(info, old.read(info))
            new.writestr("word/media/image1.emf", picture)
        return out.getvalue()

    marked = scan("notice.docx", scan_config, docx_with((METAFILE / "secret_glyphs.emf").read_bytes()))
    assert marked["notice.docx"].status == Status.FLAGGED
    assert marked["notice.docx!word/media/image1.emf"].level == Level.SECRET
    plain = scan("notice.docx", scan_config, docx_with((METAFILE / "plain.emf").read_bytes()))
    assert [r.status for r in plain.values()] == [Status.CLEAN, Status.CLEAN]


@pytest.mark.parametrize("name", ["plain.emf", "plain.wmf", "confidential_gb2312.wmf", "noforn_emfplus.emf"])
def test_every_cut_of_a_metafile_is_read_safely_and_never_clean(name: str, scan_config: ScanConfig) -> None:
    data = (METAFILE / name).read_bytes()
    for end in range(50, len(data)):
        result = scan(name, scan_config, data[:end])[name]
        assert result.status != Status.CLEAN, f"{name} cut at {end} passed as clean"


@pytest.mark.parametrize(
    "name", ["secret_glyphs.emf", "noforn_emfplus.emf", "confidential_gb2312.wmf", "bitmap.emf"]
)
def test_corrupted_bytes_never_crash_the_reader(name: str, scan_config: ScanConfig) -> None:
    data = (METAFILE / name).read_bytes()
    rng = random.Random(name)
    for _ in range(150):
        broken = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        with contextlib.suppress(ScanError):
            extract(bytes(broken), scan_config)


# --- the shared real-world corpus ---------------------------------------------------------------


def corpus_member(path: str, member: str) -> bytes:
    with zipfile.ZipFile(REALWORLD / path) as archive:
        return archive.read(member)


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_object_preview_drawn_glyph_by_glyph_under_a_mapping_mode(scan_config: ScanConfig) -> None:
    # A Mac Office preview: MM_ANISOTROPIC, one EXTTEXTOUTW per glyph, a PDF copy in MULTIFORMATS.
    data = corpus_member("python-pptx/shp-access-ole-object.pptx", "ppt/media/image1.emf")
    extraction = extract(data, scan_config)
    assert [b.text for b in extraction.blocks] == ["Microsoft", "Excel Worksheet"]
    assert {m.name.rsplit(".", 1)[1] for m in extraction.members} == {"pdf", "bmp"}


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_emf_and_its_wmf_copy_give_the_text_once(scan_config: ScanConfig) -> None:
    data = corpus_member("poi/WithEmbeded.xlsx", "xl/media/image2.emf")
    assert [(b.text, b.origin) for b in extract(data, scan_config).blocks] == [("c.xls.zip", "emf")]


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_word_file_with_a_table_preview_is_clean(scan_config: ScanConfig) -> None:
    # Was "skipped" while EMF had no reader: its embedded sheet's preview is text only.
    name = "EmbeddedDocument.docx"
    data = (REALWORLD / "poi" / name).read_bytes()
    results = {r.path: r for r in scan_bytes(name, name, data, scan_config)}
    assert results[name].status == Status.CLEAN
    assert results[f"{name}!word/media/image1.emf"].coverage.parts == ("body", "metadata", "filename")
