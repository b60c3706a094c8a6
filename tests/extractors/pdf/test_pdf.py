"""PDF extraction: positioned lines, vertical text, stamps, encryption and scans, on real PDFs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from locations import FIXTURES
from realworld import REALWORLD

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError, MissingEngine
from secscan.extractors.pdf import glyph_recovery as pdf_fallback
from secscan.extractors.pdf.dropped_glyphs import unread_objects
from secscan.extractors.pdf.lines import Line, join_columns, vpos_of
from secscan.extractors.pdf.pdf import extract
from secscan.match.catalog import Catalog, load_catalog
from secscan.model import SkippedPart

DOCS = FIXTURES / "documents"
CONFIG = ScanConfig(catalog=Catalog(), ocr=False)
FULL = ScanConfig(catalog=load_catalog(), ocr=False)


def read(name: str, config: ScanConfig = CONFIG) -> list[tuple[str, int | None, int | None, str]]:
    return read_bytes((DOCS / name).read_bytes(), config)


def read_bytes(data: bytes, config: ScanConfig = CONFIG) -> list[tuple[str, int | None, int | None, str]]:
    return [(b.part, b.page, b.line, b.text) for b in extract(data, config).blocks]


def test_marking_on_top_of_page_two_only() -> None:
    extraction = extract((DOCS / "page2_top.pdf").read_bytes(), CONFIG)
    found = [b for b in extraction.blocks if "机密" in b.text]
    assert [(b.part, b.page, b.line, b.text) for b in found] == [("body", 2, 1, "机密★10年")]
    assert found[0].vpos is not None and found[0].vpos < 0.1
    assert extraction.pages == 2


def test_vpos_runs_from_top_to_bottom() -> None:
    blocks = extract((DOCS / "page2_top.pdf").read_bytes(), CONFIG).blocks
    vpos = {b.text: b.vpos for b in blocks if b.page == 1}
    assert vpos["关于做好年度工作的通知"] < 0.1  # type: ignore[operator]
    assert vpos["第 1 页"] > 0.9  # type: ignore[operator]


def test_document_info_is_metadata() -> None:
    meta = [(b.part, b.origin, b.text) for b in extract((DOCS / "page2_top.pdf").read_bytes(), CONFIG).blocks]
    assert ("metadata", "property:Title", "年度工作通知") in meta


def test_vertical_one_glyph_per_line_text_is_joined() -> None:
    texts = [text for part, page, _, text in read("vertical.pdf")]
    assert "绝密★长期" in texts


def _pdfium_reads_lone_cjk_glyphs() -> bool:
    """True where a CJK system font is installed: pdfium then reads vertical.pdf itself."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(DOCS / "vertical.pdf")
    try:
        return "绝" in document[0].get_textpage().get_text_range()
    finally:
        document.close()


needs_fontless_pdfium = pytest.mark.skipif(
    _pdfium_reads_lone_cjk_glyphs(), reason="a CJK font is installed, so pdfium drops no glyphs here"
)


def _make_pdf(path: Path, draw: Callable[[Any, float], None]) -> bytes:
    """One A4 page drawn by ``draw(canvas, page_height)`` with reportlab, STSong-Light registered."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    draw(c, A4[1])
    c.showPage()
    c.save()
    return path.read_bytes()


def _spaced_marking(c: Any, height: float) -> None:
    """机 密 ★ 1 年 set glyph by glyph along the top of the page, as 密级 marks often are, then body text."""
    c.setFont("STSong-Light", 16)
    for index, glyph in enumerate("机密★1年"):
        c.drawString(72 + index * 24, height - 50, glyph)
    c.setFont("STSong-Light", 12)
    c.drawString(72, height - 110, "关于做好年度工作的通知")


def _lone_spaces(c: Any, height: float) -> None:
    """Words and the spaces between them in separate text objects, as Word and Acrobat write them."""
    c.setFont("Helvetica", 12)
    x = 72.0
    for word in ("Quarterly", " ", "budget", " ", "review"):
        c.drawString(x, height - 80, word)
        x += c.stringWidth(word, "Helvetica", 12)


def _unread(data: bytes) -> list[int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    counts = []
    try:
        for page in document:
            textpage = page.get_textpage()
            counts.append(unread_objects(page, textpage, {}))
            textpage.close()
    finally:
        document.close()
    return counts


@needs_fontless_pdfium
def test_dropped_glyph_objects_are_counted_and_lone_spaces_are_not(tmp_path: Path) -> None:
    assert _unread((DOCS / "vertical.pdf").read_bytes()) == [5]
    # The digit 1 has a Latin stand-in glyph, so pdfium keeps it.
    assert _unread(_make_pdf(tmp_path / "spaced.pdf", _spaced_marking)) == [4]
    assert _unread(_make_pdf(tmp_path / "spaces.pdf", _lone_spaces)) == [0]
    assert _unread((DOCS / "page2_top.pdf").read_bytes()) == [0, 0]


def test_spaced_single_glyph_marking_at_the_top_is_read(tmp_path: Path) -> None:
    blocks = extract(_make_pdf(tmp_path / "spaced.pdf", _spaced_marking), CONFIG).blocks
    top, *rest = [b for b in blocks if b.part == "body"]
    assert (top.page, top.line, top.text.replace(" ", "")) == (1, 1, "机密★1年")
    assert top.vpos is not None and top.vpos < 0.1
    assert [b.text for b in rest] == ["关于做好年度工作的通知"]


def test_glyphs_in_a_form_xobject_keep_their_place_on_the_page(tmp_path: Path) -> None:
    def draw(c: Any, height: float) -> None:
        c.beginForm("mark")
        c.setFont("STSong-Light", 14)
        for index, glyph in enumerate("绝密"):
            c.drawString(0, -index * 18, glyph)
        c.endForm()
        c.saveState()
        c.translate(500, height - 60)
        c.doForm("mark")
        c.restoreState()
        c.setFont("STSong-Light", 12)
        c.drawString(72, 400, "正文内容")

    blocks = [b for b in extract(_make_pdf(tmp_path / "form.pdf", draw), CONFIG).blocks if b.part == "body"]
    mark = [b for b in blocks if b.text == "绝密"]
    assert mark and mark[0].vpos is not None and mark[0].vpos < 0.1
    assert "正文内容" in [b.text for b in blocks]


def test_pdfs_pdfium_reads_fully_never_call_pypdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def refuse(*args: object) -> list[object]:
        calls.append(args)
        raise AssertionError("pypdf fallback called on a PDF pdfium reads fully")

    monkeypatch.setattr(pdf_fallback, "_pypdf_lines", refuse)
    for data in (
        (DOCS / "page2_top.pdf").read_bytes(),
        (DOCS / "stamp.pdf").read_bytes(),
        _make_pdf(tmp_path / "spaces.pdf", _lone_spaces),
    ):
        assert extract(data, CONFIG).skipped == ()
    assert calls == []


@needs_fontless_pdfium
def test_pypdf_failure_keeps_pdfium_text_and_reports_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[object]:
        raise ValueError("damaged content stream")

    monkeypatch.setattr(pdf_fallback, "_pypdf_lines", broken)
    extraction = extract((DOCS / "vertical.pdf").read_bytes(), CONFIG)
    body = [b.text for b in extraction.blocks if b.part == "body"]
    assert body == ["为进一步做好年度工作，现将有关事项通知如下。"]
    [skipped] = extraction.skipped
    assert skipped.part == "page 1"
    assert skipped.reason.startswith("5 text objects could not be read")
    assert "ValueError: damaged content stream" in skipped.reason


@needs_fontless_pdfium
def test_pypdf_text_that_disagrees_with_pdfium_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    def mojibake(*args: object) -> list[Line]:
        return [Line("ɹɹং͍", (40, 700, 54, 714)), Line("ΘͨͨΈΜͳ", (72, 680, 200, 692))]

    monkeypatch.setattr(pdf_fallback, "_pypdf_lines", mojibake)
    extraction = extract((DOCS / "vertical.pdf").read_bytes(), CONFIG)
    body = [b.text for b in extraction.blocks if b.part == "body"]
    assert body == ["为进一步做好年度工作，现将有关事项通知如下。"]
    assert "does not match pdfium's" in extraction.skipped[0].reason


def test_join_columns_keeps_a_wide_line_apart_from_a_column_below() -> None:
    lines = [
        Line("机密★10年", (400, 800, 478, 814)),
        Line("绝", (40, 599, 52, 610)),
        Line("密", (40, 583, 52, 594)),
        Line("Body", (73, 697, 150, 710)),
    ]
    assert [line.text for line in join_columns(lines)] == ["机密★10年", "绝密", "Body"]


@pytest.mark.parametrize("rotation, expected", [(0, 0.0625), (180, 0.9375), (90, 0.5), (270, 0.5)])
def test_vpos_follows_page_rotation(rotation: int, expected: float) -> None:
    assert vpos_of((290, 740, 310, 760), (0, 0, 600, 800), rotation) == pytest.approx(expected, abs=0.01)


def test_stamp_annotation_is_read_with_its_hint() -> None:
    blocks = extract((DOCS / "stamp.pdf").read_bytes(), CONFIG).blocks
    stamps = [b for b in blocks if b.part == "annotation"]
    assert stamps[0].text == "Confidential" and stamps[0].hints == {"stamp"} and stamps[0].page == 1
    assert stamps[0].origin == "annotation 1 /Name"
    assert stamps[0].vpos is not None and stamps[0].vpos < 0.2
    assert "annotation" in extract((DOCS / "stamp.pdf").read_bytes(), CONFIG).parts_read


def test_custom_stamp_text_is_read_from_its_appearance() -> None:
    data = (DOCS / "custom_stamp.pdf").read_bytes()
    stamps = [(b.part, b.page, b.origin, b.text, b.hints) for b in extract(data, CONFIG).blocks]
    assert stamps == [("annotation", 1, "annotation appearance", "TOP SECRET", frozenset({"stamp"}))]
    assert data == (DOCS / "custom_stamp.pdf").read_bytes()


def test_encrypted_pdf_needs_its_password() -> None:
    with pytest.raises(EncryptedError):
        extract((DOCS / "encrypted.pdf").read_bytes(), CONFIG)
    with_password = ScanConfig(catalog=Catalog(), ocr=False, passwords=("wrong", "secscan-pw"))
    assert ("body", 1, 1, "秘密★1年") in read("encrypted.pdf", with_password)


def test_owner_password_only_pdf_is_read_normally() -> None:
    assert ("body", 1, 1, "秘密★1年") in read("owner_only.pdf")


def test_truncated_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        extract((DOCS / "truncated.pdf").read_bytes(), CONFIG)


def test_scanned_page_is_reported_skipped_when_ocr_is_off() -> None:
    extraction = extract((DOCS / "scanned.pdf").read_bytes(), CONFIG)
    assert extraction.skipped == (SkippedPart("page 1", "no text layer; OCR off"),)


def test_text_pages_are_not_sent_to_ocr() -> None:
    extraction = extract((DOCS / "page2_top.pdf").read_bytes(), CONFIG)
    assert extraction.skipped == ()


def test_near_empty_page_with_a_rule_is_not_a_scan(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path))
    c.line(72, 700, 500, 700)
    c.drawString(300, 40, "2")
    c.showPage()
    c.save()
    extraction = extract(path.read_bytes(), CONFIG)
    assert extraction.skipped == ()
    assert [b.text for b in extraction.blocks if b.part == "body"] == ["2"]


def test_scanned_page_goes_to_ocr_when_on() -> None:
    config = ScanConfig(catalog=Catalog(), ocr=True)
    try:
        extraction = extract((DOCS / "scanned.pdf").read_bytes(), config)
    except MissingEngine as exc:
        pytest.skip(f"no OCR engine installed: {exc}")
    assert extraction.skipped == ()
    assert "ocr" in extraction.parts_read
    ocr = [b for b in extraction.blocks if b.part == "ocr"]
    assert any("CONFIDENTIAL" in b.text.upper() for b in ocr) and all(b.page == 1 for b in ocr)


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_619_page_pdf_is_read_page_by_page() -> None:
    extraction = extract((REALWORLD / "unstructured/DA-619p.pdf").read_bytes(), CONFIG)
    assert extraction.pages == 619
    assert max(b.page or 0 for b in extraction.blocks) == 619


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_pdf_with_user_password_opens_with_it() -> None:
    path = REALWORLD / "qpdf/enc-R2,V1,U=view,O=master.pdf"
    if not path.exists():
        pytest.skip("fixture not in this corpus snapshot")
    with pytest.raises(EncryptedError):
        extract(path.read_bytes(), CONFIG)
    assert extract(path.read_bytes(), ScanConfig(catalog=Catalog(), ocr=False, passwords=("view",))).pages


# End to end: the real matcher through the pipeline, and the CLI's exit codes.


@pytest.mark.parametrize(
    "name, status, level, where",
    [
        ("page2_top.pdf", "flagged", "secret", (2, 1)),
        ("vertical.pdf", "flagged", "top-secret", (1, 1)),
        ("owner_only.pdf", "flagged", "confidential", (1, 1)),
        ("stamp.pdf", "flagged", "confidential", (1, 1)),
        ("custom_stamp.pdf", "flagged", "top-secret", (1, 1)),
        ("encrypted.pdf", "error", "none", None),
        ("truncated.pdf", "error", "none", None),
    ],
)
def test_pipeline_results(
    scan_config: ScanConfig, name: str, status: str, level: str, where: tuple[int, int] | None
) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes(name, name, (DOCS / name).read_bytes(), scan_config)[0]
    assert (result.status, result.level.label) == (status, level)
    if where is not None:
        assert (result.findings[0].location.page, result.findings[0].location.line) == where
        assert result.coverage.pages is not None


def test_pipeline_flags_a_marking_set_glyph_by_glyph(scan_config: ScanConfig, tmp_path: Path) -> None:
    from secscan.engine.pipeline import scan_bytes

    data = _make_pdf(tmp_path / "spaced.pdf", _spaced_marking)
    result = scan_bytes("spaced.pdf", "spaced.pdf", data, scan_config)[0]
    assert (result.status, result.level.label) == ("flagged", "secret")
    assert (result.findings[0].location.page, result.findings[0].location.line) == (1, 1)
    assert result.coverage.skipped == ()


def test_pipeline_reports_the_unread_scan_page_in_coverage(scan_config: ScanConfig) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes("s.pdf", "s.pdf", (DOCS / "scanned.pdf").read_bytes(), scan_config)[0]
    assert result.coverage.skipped == (SkippedPart("page 1", "no text layer; OCR off"),)


def _cli(*args: str) -> int:
    import subprocess
    import sys

    command = [sys.executable, "-m", "secscan", "scan", *args]
    return subprocess.run(command, capture_output=True, timeout=120, check=False).returncode


@pytest.mark.parametrize(
    "name, code", [("clean_notice.docx", 0), ("page2_top.pdf", 1), ("truncated.pdf", 2), ("encrypted.pdf", 2)]
)
def test_cli_exit_codes(name: str, code: int) -> None:
    assert _cli("--no-ocr", str(DOCS / name)) == code


def test_scan_leaves_files_untouched(tmp_path: Path) -> None:
    import os
    import shutil

    names = ("header.docx", "page2_top.pdf", "gb18030.txt")
    old = 1_600_000_000_000_000_000  # atime older than mtime: a relatime mount would update it on read
    before = {}
    for name in names:
        path = tmp_path / name
        shutil.copyfile(DOCS / name, path)
        os.utime(path, ns=(old, old + 10**9))
        before[name] = (path.read_bytes(), os.stat(path).st_mtime_ns)
        os.utime(path, ns=(old, old + 10**9))  # undo the atime our own read just set
    assert _cli("--no-ocr", str(tmp_path)) == 1
    for name in names:
        stat = os.stat(tmp_path / name)
        assert ((tmp_path / name).read_bytes(), stat.st_mtime_ns) == before[name]
        if _fs_updates_atime(tmp_path):
            assert stat.st_atime_ns == old


def _fs_updates_atime(folder: Path) -> bool:
    import os

    probe = folder / "atime-probe"
    probe.write_bytes(b"x")
    os.utime(probe, ns=(1, 2 * 10**9))
    probe.read_bytes()
    return os.stat(probe).st_atime_ns != 1


def test_scanned_page_without_an_ocr_engine_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import secscan.ocr

    def no_engine(*args: object, **kwargs: object) -> list[object]:
        raise MissingEngine("no OCR engine installed; pip install 'secscan[ocr]'")

    monkeypatch.setattr(secscan.ocr, "recognize", no_engine)
    with pytest.raises(MissingEngine, match="secscan\\[ocr\\]"):
        extract((DOCS / "scanned.pdf").read_bytes(), ScanConfig(catalog=Catalog(), ocr=True))


def _pdf_with_metadata(info: dict[str, str], xmp: bytes | None = None) -> bytes:
    import io

    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata(info)
    if xmp is not None:
        stream = StreamObject()
        stream.set_data(xmp)
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_info_entry_is_read_not_only_the_standard_ones() -> None:
    """Office exports a document's custom properties (its sensitivity label) into the PDF's Info."""
    from secscan.engine.pipeline import scan_bytes

    label = "MSIP_Label_f42aa342-8706-4288-bd11-ebb85995028c_Name"
    data = _pdf_with_metadata({"/Title": "Quarterly report", f"/{label}": "Confidential"})
    texts = [(text, part) for part, _, _, text in read_bytes(data)]
    assert ("Quarterly report", "metadata") in texts
    assert (f"{label}: Confidential", "metadata") in texts
    result = scan_bytes("r.pdf", "r.pdf", data, FULL)[0]
    assert (result.status, result.level.label) == ("flagged", "confidential")
    assert result.findings[0].location.origin == f"property:{label}"


def test_xmp_properties_are_read() -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" pdfx:Classification="SECRET//NOFORN">'
        b"<pdfx:Note>quarterly</pdfx:Note></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    texts = [text for _, _, _, text in read_bytes(_pdf_with_metadata({"/Title": "Report"}, xmp))]
    assert "Classification: SECRET//NOFORN" in texts
    assert "Note: quarterly" in texts


def test_plain_info_and_xmp_are_read_without_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from secscan.extractors.pdf import info as pdf_info

    def unwanted(*_args: object) -> list[tuple[str, str, str]]:
        raise AssertionError("pypdf opened a file whose Info and XMP are plain text")

    monkeypatch.setattr(pdf_info, "_pypdf_pairs", unwanted)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    xmp += b"</x:xmpmeta>"
    data = _pdf_with_metadata({"/Title": "Report", "/Classification": "机密★5年"}, xmp)
    assert "Classification: 机密★5年" in [text for _, _, _, text in read_bytes(data)]


def test_a_compressed_info_is_read_with_pypdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from secscan.extractors.pdf import info as pdf_info

    monkeypatch.setattr(pdf_info, "_plain_info_pairs", lambda *_args: None)  # as if in an object stream
    data = _pdf_with_metadata({"/Title": "Report", "/Classification": "机密★5年"})
    assert "Classification: 机密★5年" in [text for _, _, _, text in read_bytes(data)]


def test_a_damaged_info_falls_back_to_pdfiums_standard_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    from secscan.extractors.pdf import info as pdf_info

    def broken(*_args: object) -> list[tuple[str, str, str]]:
        raise ValueError("damaged")

    monkeypatch.setattr(pdf_info, "_plain_info_pairs", lambda *_args: None)
    monkeypatch.setattr(pdf_info, "_pypdf_pairs", broken)
    texts = [text for _, _, _, text in read_bytes(_pdf_with_metadata({"/Title": "机密★5年 通知"}))]
    assert "机密★5年 通知" in texts


def test_paperclip_attachments_are_members() -> None:
    """Files attached by a FileAttachment annotation, not only those in the attachments pane."""
    from secscan.engine.pipeline import scan_bytes

    data = (DOCS.parent / "containers" / "attachment.pdf").read_bytes()
    results = {r.path: r for r in scan_bytes("a.pdf", "a.pdf", data, FULL)}
    assert results["a.pdf!page 1 annotation/clip.txt"].level.label == "confidential"
    assert results["a.pdf!通知.txt"].level.label == "secret"


_FONTLESS = "dropped_glyph_objects or spaced_single or pypdf_failure or pypdf_text_that_disagrees"


@pytest.mark.slow
@pytest.mark.skipif(not _pdfium_reads_lone_cjk_glyphs(), reason="no CJK font here: the tests above ran")
def test_dropped_glyph_tests_run_without_the_installed_cjk_fonts() -> None:
    """Where a CJK font is installed (CI installs some), run the fontless tests with the fonts hidden.

    pdfium finds system fonts by scanning /usr/share/fonts; an empty tmpfs over it in a private mount
    namespace (root and util-linux's unshare, as in CI) gives the server-without-fonts case the tests need.
    """
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to hide the installed CJK fonts")
    script = (
        "mount -t tmpfs none /usr/share/fonts && "
        f"{sys.executable} -m pytest -q -p no:cacheprovider -rs {__file__} -k '{_FONTLESS}'"
    )
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "passed" in done.stdout and "a CJK font is installed" not in done.stdout, done.stdout[-3000:]
