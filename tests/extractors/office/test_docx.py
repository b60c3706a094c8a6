"""Word extraction: each fixture hides its marking in one place, and that place must be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from locations import FIXTURES, REPO
from realworld import REALWORLD

from secscan.config import Limits, ScanConfig
from secscan.errors import CorruptFile, LimitExceeded
from secscan.extractors.office.docx import extract
from secscan.match.catalog import Catalog
from secscan.model import TextBlock

DOCS = FIXTURES / "documents"
CONFIG = ScanConfig(catalog=Catalog())
MARK = "机密★5年"


def blocks_of(name: str) -> tuple[TextBlock, ...]:
    return extract((DOCS / name).read_bytes(), CONFIG).blocks


def marked(name: str, text: str = MARK) -> list[TextBlock]:
    return [b for b in blocks_of(name) if text in b.text]


@pytest.mark.parametrize(
    "name, part, origin",
    [
        ("header.docx", "header", "word/header1.xml"),
        ("footer.docx", "footer", "word/footer1.xml"),
        ("textbox.docx", "textbox", "word/document.xml"),
        ("nested_table.docx", "table", "word/document.xml"),
        ("comment.docx", "comment", "word/comments.xml"),
        ("run_split.docx", "body", "word/document.xml"),
        ("watermark.docx", "header", "word/header1.xml"),
    ],
)
def test_marking_is_found_in_its_one_place(name: str, part: str, origin: str) -> None:
    found = marked(name)
    assert [(b.part, b.origin) for b in found] == [(part, origin)]
    assert found[0].page is None and found[0].line is not None


def test_first_page_header_is_read_besides_the_default_one() -> None:
    headers = {b.text: b.origin for b in blocks_of("first_page_header.docx") if b.part == "header"}
    assert set(headers) == {MARK, "第二页起的页眉"}
    assert headers[MARK] != headers["第二页起的页眉"]


def test_textbox_choice_and_fallback_give_one_block() -> None:
    assert len(marked("textbox.docx")) == 1
    body = [b.text for b in blocks_of("textbox.docx") if b.part == "body"]
    assert all(MARK not in text for text in body)


def test_watermark_carries_its_hint() -> None:
    assert marked("watermark.docx")[0].hints == {"watermark"}


def test_runs_are_joined_and_line_is_paragraph_index() -> None:
    block = marked("run_split.docx")[0]
    assert block.text == MARK and block.line == 1


def test_symbol_font_star_becomes_its_private_use_character() -> None:
    assert blocks_of("symbol_star.docx")[0].text == "机密\uf0ab5年"


def test_layout_hints_red_bold_large_and_strike() -> None:
    by_text = {b.text: b.hints for b in blocks_of("hints.docx")}
    assert by_text[MARK] == {"bold", "red", "large"}
    assert by_text["秘密★1年"] == {"strike"}
    assert by_text["关于做好年度工作的通知"] == frozenset()


def test_custom_properties_become_name_value_metadata() -> None:
    meta = {b.origin: b.text for b in blocks_of("custom_props.docx") if b.part == "metadata"}
    label = "MSIP_Label_f42aa342-8706-4288-bd11-ebb85995028c_Name"
    assert meta[f"property:{label}"] == f"{label}: Confidential"
    assert meta["property:密级"] == "密级: 机密"


def test_core_properties_are_metadata() -> None:
    meta = {b.origin: b.text for b in blocks_of("custom_props.docx") if b.part == "metadata"}
    assert meta["property:title"] == "年度计划"
    assert meta["property:keywords"] == "密级：机密"
    assert meta["property:category"] == "Internal Use Only"
    assert "property:created" not in meta


def test_clean_notice_has_the_mention_only_in_body() -> None:
    found = [b for b in blocks_of("clean_notice.docx") if "国家秘密" in b.text]
    assert [(b.part, b.line) for b in found] == [("body", 2)]


def test_parts_read_lists_what_was_read() -> None:
    parts = extract((DOCS / "header.docx").read_bytes(), CONFIG).parts_read
    assert {"body", "header", "metadata"} <= set(parts)
    assert "textbox" in extract((DOCS / "textbox.docx").read_bytes(), CONFIG).parts_read


def _rezip(source: Path, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.pop(info.filename, old.read(info)))
        for name, data in replace.items():
            new.writestr(name, data)
    return out.getvalue()


def test_media_and_embeddings_are_members() -> None:
    extra = {"word/media/image1.png": b"\x89PNG\r\n\x1a\nfake", "word/embeddings/a.pdf": b"%PDF-1.4"}
    data = _rezip(DOCS / "header.docx", extra)
    names = {m.name for m in extract(data, CONFIG).members}
    assert names == {"word/media/image1.png", "word/embeddings/a.pdf"}


def test_malformed_document_xml_is_corrupt() -> None:
    data = _rezip(DOCS / "header.docx", {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(CorruptFile, match=r"word/document\.xml"):
        extract(data, CONFIG)


def test_missing_main_part_is_corrupt() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(CorruptFile, match="main document"):
        extract(out.getvalue(), CONFIG)


def test_xml_bomb_part_is_refused_before_parsing() -> None:
    bomb = b"<w:document>" + b" " * (50 * 1024 * 1024) + b"</w:document>"
    data = _rezip(DOCS / "header.docx", {"word/document.xml": bomb})
    assert len(data) < 1024 * 1024
    with pytest.raises(LimitExceeded, match=r"word/document\.xml"):
        extract(data, CONFIG)


def test_package_over_the_expansion_budget_is_refused() -> None:
    config = ScanConfig(catalog=Catalog(), limits=Limits(max_expanded_size=3000))
    with pytest.raises(LimitExceeded, match="expands past"):
        extract((DOCS / "header.docx").read_bytes(), config)


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="shared real-world corpus not present")
def test_real_word_files_footnotes_textboxes_and_strict_namespace() -> None:
    various = extract((REALWORLD / "tika/testWORD_various.docx").read_bytes(), CONFIG)
    assert {"footnote", "textbox", "table", "header", "footer"} <= {b.part for b in various.blocks}
    strict = extract((REALWORLD / "docling/Strict.docx").read_bytes(), CONFIG)
    assert any(b.part == "body" for b in strict.blocks)


# End to end: the real matcher on the extracted blocks, through the pipeline and the CLI.


@pytest.mark.parametrize(
    "name, part",
    [
        ("header.docx", "header"),
        ("footer.docx", "footer"),
        ("first_page_header.docx", "header"),
        ("textbox.docx", "textbox"),
        ("nested_table.docx", "table"),
        ("run_split.docx", "body"),
        ("symbol_star.docx", "body"),
        ("watermark.docx", "header"),
        ("comment.docx", "comment"),
        ("custom_props.docx", "metadata"),
    ],
)
def test_pipeline_flags_each_hidden_marking(scan_config: ScanConfig, name: str, part: str) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes(name, name, (DOCS / name).read_bytes(), scan_config)[0]
    assert (result.status, result.level.label) == ("flagged", "secret")
    assert part in {f.location.part for f in result.findings}


def test_pipeline_reads_the_sensitivity_label(scan_config: ScanConfig) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes("p.docx", "p.docx", (DOCS / "custom_props.docx").read_bytes(), scan_config)[0]
    labels = [f for f in result.findings if f.match.startswith("MSIP_Label_")]
    assert [(f.level.label, f.location.part) for f in labels] == [("confidential", "metadata")]


def test_pipeline_calls_the_clean_notice_clean(scan_config: ScanConfig) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes("n.docx", "n.docx", (DOCS / "clean_notice.docx").read_bytes(), scan_config)[0]
    assert (result.status, result.findings) == ("clean", ())


def test_encrypted_docx_is_an_error_not_clean(scan_config: ScanConfig) -> None:
    from secscan.engine.pipeline import scan_bytes

    result = scan_bytes("e.docx", "e.docx", (DOCS / "encrypted.docx").read_bytes(), scan_config)[0]
    assert result.status == "error"
    assert result.error is not None and "encrypted" in result.error


def test_encrypted_docx_opens_with_its_password() -> None:
    from secscan.engine.pipeline import scan_bytes
    from secscan.match.catalog import load_catalog

    config = ScanConfig(catalog=load_catalog(), ocr=False, passwords=("wrong", "secscan-pw"))
    result = scan_bytes("e.docx", "e.docx", (DOCS / "encrypted.docx").read_bytes(), config)[0]
    assert (result.status, result.level.label) == ("flagged", "secret")


def test_smartart_text_is_read_as_textbox() -> None:
    diagram = (
        b'<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt modelId="1">'
        b"<dgm:t><a:bodyPr/><a:p><a:r><a:t>\xe6\x9c\xba\xe5\xaf\x86</a:t></a:r><a:r><a:t>\xe2\x98\x855\xe5\xb9\xb4"
        b"</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
    )
    data = _rezip(DOCS / "clean_notice.docx", {"word/diagrams/data1.xml": diagram})
    found = [(b.part, b.origin, b.text) for b in extract(data, CONFIG).blocks if b.part == "textbox"]
    assert found == [("textbox", "word/diagrams/data1.xml", MARK)]


def test_examples_folder_scans_as_its_readme_says() -> None:
    import json
    import subprocess
    import sys

    examples = REPO / "examples"
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-f", "json", str(examples)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    levels = {Path(f["path"]).name: (f["status"], f["level"]) for f in json.loads(done.stdout)["files"]}
    assert done.returncode == 1
    assert levels["红头通知.docx"] == ("flagged", "secret")
    assert levels["保密宣传通知.docx"] == ("clean", "none")
    assert levels["us-memo-banner.pdf"] == ("flagged", "secret")
    assert levels["值班安排.txt"] == ("flagged", "internal")
    assert levels["team-memo.pdf"] == ("clean", "none")
    assert levels["会议纪要（机密★5年）.txt"] == ("flagged", "secret")
    assert levels["make_examples.py"] == levels["README.md"] == ("clean", "none")


def test_chart_series_names_are_read_as_in_xlsx_and_pptx() -> None:
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    chart = (
        f'<c:chartSpace xmlns:c="{c}"><c:chart><c:plotArea><c:barChart><c:ser>'
        '<c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>机密★5年 经费</c:v></c:pt>'
        "</c:strCache></c:strRef></c:tx>"
        '<c:val><c:numRef><c:numCache><c:pt idx="0"><c:v>42</c:v></c:pt></c:numCache></c:numRef></c:val>'
        "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"
    ).encode()
    data = _rezip(DOCS / "clean_notice.docx", {"word/charts/chart1.xml": chart})
    found = [
        (b.part, b.origin, b.text) for b in extract(data, CONFIG).blocks if b.origin.endswith("chart1.xml")
    ]
    assert found == [("textbox", "word/charts/chart1.xml", "机密★5年 经费")]
