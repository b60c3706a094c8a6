"""Office formats beyond .docx/.pdf: each fixture hides a marking where its format hides one.

The fixtures (tests/fixtures/office/, made by tests/fixtures/make_office.py with
openpyxl, python-pptx, odfpy, lxml and LibreOffice; those with embedded objects
and pictures with zipfile alone) are read twice: by their extractor, to check
the marking comes out in the right part, page and origin, and end to end
through ``scan_bytes`` with the real catalog.
"""

from __future__ import annotations

import importlib
import io
import zipfile

import pytest
from locations import FIXTURES

from secscan.config import Limits, ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.extractors import get_extractor
from secscan.match.catalog import Catalog
from secscan.model import FileResult, Level, Status, TextBlock

OFFICE = FIXTURES / "office"
CONFIG = ScanConfig(catalog=Catalog())


def blocks_of(name: str) -> tuple[TextBlock, ...]:
    data = (OFFICE / name).read_bytes()
    extractor = get_extractor(detect(data, name).kind)
    assert extractor is not None, f"no extractor registered for {name}"
    return extractor(data, CONFIG).blocks


def only(name: str, text: str) -> TextBlock:
    found = [b for b in blocks_of(name) if text in b.text]
    assert found, f"{text!r} not extracted from {name}: {[b.text for b in blocks_of(name)]}"
    return found[0]


@pytest.mark.parametrize(
    "name, text, part, page, origin",
    [
        ("marked.xlsx", "秘密★1年", "header", 1, "oddHeader left"),
        ("marked.xlsx", "机密★5年", "table", 2, "hidden"),
        ("marked.xlsx", "审核意见：注意保管", "comment", 1, "comments"),
        ("marked.xlsx", "底稿", "metadata", 2, "sheet name"),
        ("marked.xls", "秘密★1年", "header", 1, "header left"),
        ("marked.xls", "机密★5年", "table", 2, "hidden"),
        ("marked.pptx", "机密★10年", "header", None, "slideMaster"),
        ("marked.pptx", "讲稿：内部资料 严禁外传", "notes", 1, "notesSlide"),
        ("marked.pptx", "季度工作汇报", "body", 1, "slide1"),
        ("marked.ppt", "机密★10年", "header", None, "master"),
        ("marked.ppt", "季度工作汇报", "body", 1, ""),
        ("marked.ppt", "讲稿：内部资料 严禁外传", "notes", None, ""),
        ("marked.doc", "机密★10年", "header", None, "header story"),
        ("marked.doc", "第1页", "footer", None, "footer story"),
        ("marked.doc", "关于加强年度工作管理的通知", "body", None, "main"),
        ("marked.odt", "秘密★1年", "header", None, "styles.xml"),
        ("marked.odt", "批注：请核对数字", "comment", None, "content.xml"),
        ("marked.odt", "密级: 秘密", "metadata", None, "property:密级"),
        ("marked.ods", "机密★5年", "table", 2, "底稿"),
        ("marked.odp", "内部资料", "header", None, "styles.xml"),
        ("marked.odp", "讲稿：工作秘密", "notes", 1, "content.xml"),
        ("marked.ofd", "机密★5年", "body", 2, "Page_1"),
        ("marked.ofd", "密级: 秘密", "metadata", None, "property:密级"),
        ("marked.rtf", "机密★5年", "header", None, "header"),
        ("marked.rtf", "密级: 机密", "metadata", None, "property:密级"),
        ("marked.rtf", "批注", "comment", None, "comment"),
        ("marked.csv", "机密★5年", "table", None, "csv"),
        ("marked.html", "classification: OFFICIAL-SENSITIVE", "metadata", None, "property:classification"),
    ],
)
def test_marking_is_read_where_the_format_hides_it(
    name: str, text: str, part: str, page: int | None, origin: str
) -> None:
    block = only(name, text)
    assert (block.part, block.page) == (part, page)
    assert origin in block.origin


def test_positions_and_looks_survive() -> None:
    banner = only("marked.pptx", "机密★10年")
    assert banner.vpos is not None and banner.vpos < 0.1
    assert {"bold", "red"} <= banner.hints
    ofd_banner = only("marked.ofd", "机密★5年")  # six glyph objects joined into one line
    assert ofd_banner.text == "机密★5年" and ofd_banner.vpos is not None and ofd_banner.vpos < 0.15
    assert only("marked.xlsx", "机密★5年").hints == frozenset({"alone"})


def test_codes_and_hidden_text_are_not_read_as_text() -> None:
    footer = only("marked.xlsx", "第")
    assert footer.text == "第  页 共  页"  # &P and &N are page fields, not text
    html_text = " ".join(b.text for b in blocks_of("marked.html"))
    assert "TOP SECRET" not in html_text and "color:red" not in html_text  # script and style
    assert "PAGE" not in " ".join(b.text for b in blocks_of("marked.rtf"))  # field instruction
    assert "宋体" not in " ".join(b.text for b in blocks_of("marked.rtf"))  # font table


@pytest.mark.parametrize(
    "name, level, part",
    [
        ("marked.xlsx", Level.SECRET, "table"),
        ("marked.xls", Level.SECRET, "table"),
        ("marked.pptx", Level.SECRET, "header"),
        ("marked.ppt", Level.SECRET, "header"),
        ("marked.doc", Level.SECRET, "header"),
        ("marked.odt", Level.CONFIDENTIAL, "header"),
        ("marked.ods", Level.SECRET, "table"),
        ("marked.odp", Level.INTERNAL, "header"),
        ("marked.ofd", Level.SECRET, "body"),
        ("marked.rtf", Level.SECRET, "header"),
        ("marked.csv", Level.SECRET, "table"),
        ("marked.html", Level.INTERNAL, "metadata"),
    ],
)
def test_end_to_end_flags_the_hidden_marking(name: str, level: Level, part: str, catalog: Catalog) -> None:
    config = ScanConfig(catalog=catalog)
    result = scan_bytes(name, name, (OFFICE / name).read_bytes(), config)[0]
    assert result.status == Status.FLAGGED, result
    assert result.level == level
    assert part in {f.location.part for f in result.findings if f.level == level}


def test_every_registered_office_module_imports() -> None:
    for module in (
        "office.xlsx",
        "legacy.xls",
        "office.xlsb",
        "office.pptx",
        "legacy.ppt",
        "legacy.word",
        "office.odf",
        "office.ofd",
        "legacy.rtf",
        "text.html",
        "text.csv",
        "text.xml",
        "legacy.ole",
    ):
        assert callable(importlib.import_module(f"secscan.extractors.{module}").extract)


# Pictures and embedded objects (fixtures made by make_office.py --embedded): a clean container
# holding a marked .docx, or a photo, must not pass as clean because its own text is.
NO_OCR_MEMBERS = {
    "embedded.xlsx": ("xl/embeddings/inner.docx", "xl/media/image1.png"),
    "embedded.pptx": ("ppt/embeddings/inner.docx", "ppt/media/image1.png"),
    "embedded.odt": ("Object 1", "Pictures/image1.png"),
}


MEDIA_FOLDER = {"embedded.xlsx": "xl/media/", "embedded.pptx": "ppt/media/", "embedded.odt": "Pictures/"}


def with_part(name: str, part: str, data: bytes) -> bytes:
    """Fixture ``name`` with one more part appended."""
    buffer = io.BytesIO((OFFICE / name).read_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, data)
    return buffer.getvalue()


def picture_bytes(name: str) -> bytes:
    with zipfile.ZipFile(OFFICE / name) as archive:
        return archive.read(NO_OCR_MEMBERS[name][1])


def scan_fixture(name: str, catalog: Catalog, limits: Limits | None = None) -> dict[str, FileResult]:
    config = ScanConfig(catalog=catalog, ocr=False, limits=limits or Limits())
    results = scan_bytes(name, name, (OFFICE / name).read_bytes(), config)
    assert results[0].path == name
    return {result.path: result for result in results}


@pytest.mark.parametrize("name", sorted(NO_OCR_MEMBERS))
def test_container_extractors_return_media_and_embeddings_as_members(name: str) -> None:
    data = (OFFICE / name).read_bytes()
    extractor = get_extractor(detect(data, name).kind)
    assert extractor is not None
    members = extractor(data, CONFIG).members
    # ObjectReplacements/ (the .odt's preview of its object) is not a member.
    assert tuple(m.name for m in members) == NO_OCR_MEMBERS[name]
    assert members[0].data.startswith(b"PK") and members[1].data.startswith(b"\x89PNG")


@pytest.mark.parametrize("name", sorted(NO_OCR_MEMBERS))
def test_marked_docx_embedded_flags_the_container(name: str, catalog: Catalog) -> None:
    results = scan_fixture(name, catalog)
    container, inner = results[name], results[f"{name}!{NO_OCR_MEMBERS[name][0]}"]
    assert container.status == Status.FLAGGED and container.level == Level.SECRET
    assert not container.findings  # the container's own text is clean: the marking is the member's
    assert (inner.type, inner.status, inner.level) == ("docx", Status.FLAGGED, Level.SECRET)
    assert [(f.location.part, f.match) for f in inner.findings] == [("header", "机密★5年")]


@pytest.mark.parametrize("name", sorted(NO_OCR_MEMBERS))
def test_picture_member_is_not_read_with_ocr_off(name: str, catalog: Catalog) -> None:
    picture = scan_fixture(name, catalog)[f"{name}!{NO_OCR_MEMBERS[name][1]}"]
    assert (picture.type, picture.status) == ("png", Status.SKIPPED)
    assert picture.error is not None and "OCR off" in picture.error
    assert [s.part for s in picture.coverage.skipped] == ["image"]
    # In an otherwise clean container, the unread picture keeps the container from passing as clean.
    clean = f"embedded_clean.{name.rsplit('.', 1)[1]}"
    photo = f"{MEDIA_FOLDER[name]}photo.png"
    data = with_part(clean, photo, picture_bytes(name))
    results = scan_bytes(clean, clean, data, ScanConfig(catalog=catalog, ocr=False))
    assert results[0].status == Status.SKIPPED and photo in (results[0].error or "")


@pytest.mark.parametrize(
    "name, member",
    [
        ("embedded_clean.xlsx", "xl/embeddings/inner.docx"),
        ("embedded_clean.pptx", "ppt/embeddings/inner.docx"),
        ("embedded_clean.odt", "Object 1"),
    ],
)
def test_clean_embedding_stays_clean(name: str, member: str, catalog: Catalog) -> None:
    results = scan_fixture(name, catalog)
    assert list(results) == [name, f"{name}!{member}"]
    assert all(r.status == Status.CLEAN and r.level == Level.NONE for r in results.values()), results


def test_odf_sub_document_is_read_in_place(catalog: Catalog) -> None:
    blocks = [b for b in blocks_of("object.odt") if "机密★5年" in b.text]
    assert [(b.part, b.page, b.origin) for b in blocks] == [("body", None, "Object 1/content.xml")]
    results = scan_fixture("object.odt", catalog)
    assert list(results) == ["object.odt"]  # read in place; ObjectReplacements/Object 1 is no member
    assert results["object.odt"].status == Status.FLAGGED
    assert results["object.odt"].level == Level.SECRET


@pytest.mark.parametrize("name", sorted(NO_OCR_MEMBERS))
def test_members_are_held_to_the_limits(name: str, catalog: Catalog) -> None:
    counted = scan_fixture(name, catalog, limits=Limits(max_members=1))
    over = counted[f"{name}!{NO_OCR_MEMBERS[name][1]}"]
    assert over.status == Status.ERROR and "member count limit" in (over.error or "")
    # A picture that inflates past the expansion ratio stops the read: an error, never clean.
    data = with_part(name, f"{MEDIA_FOLDER[name]}bomb.png", bytes(8 << 20))
    bomb = scan_bytes(name, name, data, ScanConfig(catalog=catalog, ocr=False))
    assert [(r.status, "expands" in (r.error or "")) for r in bomb] == [(Status.ERROR, True)]


# Charts and SmartArt (fixtures made by make_office.py --charts): their text sits in parts of its own,
# read as the .docx reader reads them ("textbox", origin the part), through the bounded package reader.
def test_chart_text_of_a_workbook_is_read() -> None:
    blocks = [b for b in blocks_of("chart.xlsx") if b.part == "textbox"]
    found = [(b.text, b.page, b.origin) for b in blocks]
    assert found == [
        ("机密★5年 经费预算", 1, "xl/charts/chart1.xml"),  # chart title
        ("支出", 1, "xl/charts/chart1.xml"),  # series name (string cache)
        ("一季度", 1, "xl/charts/chart1.xml"),  # category labels
        ("二季度", 1, "xl/charts/chart1.xml"),
        ("季度", 1, "xl/charts/chart1.xml"),  # axis title
        ("单位：万元", 1, "xl/drawings/drawing2.xml"),  # text box drawn over the chart
    ]
    assert [b.line for b in blocks[:5]] == [1, 2, 3, 4, 5]


def test_chart_numbers_are_not_text() -> None:
    for name in ("chart_clean.xlsx", "chart_clean.pptx"):
        texts = [b.text for b in blocks_of(name) if b.part == "textbox"]
        assert texts == ["年度经费", "季度"], name  # values 120/95 and categories 2024/2025 left out


def test_smartart_and_slide_chart_text_is_read_once() -> None:
    smartart = [(b.text, b.page, b.origin) for b in blocks_of("smartart.pptx") if b.part == "textbox"]
    # ppt/diagrams/drawing1.xml caches the same boxes: not read a second time.
    assert smartart == [
        ("SECRET//NOFORN", 1, "ppt/diagrams/data1.xml"),
        ("进度安排", 1, "ppt/diagrams/data1.xml"),
    ]
    assert only("chart_clean.pptx", "年度经费").origin == "ppt/charts/chart1.xml"
    data = (OFFICE / "chart_clean.pptx").read_bytes()
    extractor = get_extractor(detect(data, "chart_clean.pptx").kind)
    assert extractor is not None and "textbox" in extractor(data, CONFIG).parts_read
    data = (OFFICE / "embedded_clean.pptx").read_bytes()
    assert extractor(data, CONFIG).parts_read == (
        ("body", "table", "notes", "comment", "header", "footer", "metadata")  # no chart: as before
    )


@pytest.mark.parametrize(
    "name, origin",
    [("chart.xlsx", "xl/charts/chart1.xml"), ("smartart.pptx", "ppt/diagrams/data1.xml")],
)
def test_marked_chart_or_smartart_flags_the_file(name: str, origin: str, catalog: Catalog) -> None:
    result = scan_fixture(name, catalog)[name]
    assert result.status == Status.FLAGGED and result.level == Level.SECRET
    assert {(f.location.part, f.location.origin) for f in result.findings} == {("textbox", origin)}
    assert "textbox" in result.coverage.parts


@pytest.mark.parametrize("name", ["chart_clean.xlsx", "chart_clean.pptx"])
def test_chart_of_numbers_titled_plainly_is_clean(name: str, catalog: Catalog) -> None:
    results = scan_fixture(name, catalog)
    assert list(results) == [name]
    assert (results[name].status, results[name].level) == (Status.CLEAN, Level.NONE)


CHART = (
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich>'
    "<a:bodyPr/><a:p><a:r><a:t>机密★5年</a:t></a:r></a:p></c:rich></c:tx></c:title></c:chart></c:chartSpace>"
).encode()


@pytest.mark.parametrize(
    "name, part",
    [("chart_clean.xlsx", "xl/charts/chart7.xml"), ("chart_clean.pptx", "ppt/charts/chart7.xml")],
)
def test_chart_no_drawing_shows_is_still_read(name: str, part: str, catalog: Catalog) -> None:
    results = scan_bytes(name, name, with_part(name, part, CHART), ScanConfig(catalog=catalog, ocr=False))
    assert results[0].status == Status.FLAGGED and results[0].level == Level.SECRET
    assert [(f.location.page, f.location.origin) for f in results[0].findings] == [(None, part)]


@pytest.mark.parametrize(
    "name, part",
    [("chart_clean.xlsx", "xl/charts/chart7.xml"), ("smartart.pptx", "ppt/diagrams/data7.xml")],
)
def test_chart_parts_are_held_to_the_limits(name: str, part: str, catalog: Catalog) -> None:
    data = with_part(name, part, bytes(8 << 20))  # inflates past the expansion ratio
    results = scan_bytes(name, name, data, ScanConfig(catalog=catalog, ocr=False))
    assert [(r.status, "expands" in (r.error or "")) for r in results] == [(Status.ERROR, True)]
