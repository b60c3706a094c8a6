"""Office readers fail closed (bombs, damage, encryption are errors, never clean) and decode codes right."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from realworld import REALWORLD as _CORPUS

from secscan.config import Limits, ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.errors import EncryptedError, LimitExceeded, ScanError
from secscan.extractors import get_extractor
from secscan.extractors._common.decrypt import decrypt_office
from secscan.extractors._common.excel_hf import header_footer_sections
from secscan.extractors.legacy import rtf
from secscan.extractors.legacy.doc_fields import story_lines
from secscan.extractors.office import odf, xlsx
from secscan.match.catalog import Catalog
from secscan.model import Status

pytestmark = pytest.mark.slow  # subprocesses, OCR models or the shared corpus: run with -m slow

CONFIG = ScanConfig(catalog=Catalog())
REALWORLD = _CORPUS if _CORPUS.is_dir() else None
needs_corpus = pytest.mark.skipif(REALWORLD is None, reason="shared real-world corpus not present")
# The kinds this area reads; the corpus loop runs every file detected as one of them.
OFFICE_KINDS = {
    "xlsx",
    "xls",
    "xlsb",
    "pptx",
    "ppt",
    "doc",
    "odt",
    "ods",
    "odp",
    "odf",
    "ofd",
    "rtf",
    "html",
    "csv",
    "tsv",
    "xml",
    "wordml-xml",
    "ole-malformed",
}


@pytest.mark.parametrize(
    "code, sections",
    [
        ('&L&"黑体,常规"&16秘密★1年', [("left", "秘密★1年", False)]),
        ("&C&KFF0000&S内部&R第&P页", [("center", "内部", True), ("right", "第页", False)]),
        ("Plain && simple", [("center", "Plain & simple", False)]),
        ("&L&D &T&C&F&R&A", []),
        ("&Z&G&N&P", []),
    ],
)
def test_excel_header_codes(code: str, sections: list[tuple[str, str, bool]]) -> None:
    assert header_footer_sections(code) == sections


@pytest.mark.parametrize(
    "story, lines",
    [
        ("机密\x13 PAGE \x14★5年\x15\r正文", [("机密★5年", False), ("正文", False)]),
        ("a\x13 HYPERLINK \x13 nested \x14x\x15 \x14link\x15b\r", [("alinkb", False)]),
        ("cell1\x07cell2\x07\x07\r", [("cell1\tcell2", True)]),
        ("line\x0bbreak\x05\x01\r\x0cnext", [("line break", False), ("next", False)]),
        ("unbalanced \x14 and \x15 marks\r", [("unbalanced  and  marks", False)]),
    ],
)
def test_word_story_lines(story: str, lines: list[tuple[str, bool]]) -> None:
    assert story_lines(story) == lines


def _rtf_texts(source: str) -> list[tuple[str, str]]:
    return [(b.part, b.text) for b in rtf.extract(source.encode("latin-1"), CONFIG).blocks]


def test_rtf_code_pages_unicode_and_destinations() -> None:
    gbk = "".join(f"\\'{b:02x}" for b in "机密".encode("gbk"))
    source = (
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset134 x;}{\f1\fcharset0 Arial;}}"
        r"{\header\f0 " + gbk + r"\uc2\u9733\'a1\'ef 5\par}"  # \uc2: the GBK fallback is two bytes
        r"{\*\unknowndestination hidden}{\pict 0123abcd}\f1 caf\'e9 \u-3913?\par}"
    )
    assert _rtf_texts(source) == [("header", "机密★ 5"), ("body", "café \uf0b7")]


def test_xlsx_part_that_inflates_past_the_ratio_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + " " * (30 << 20) + "</sst>")
    with pytest.raises(LimitExceeded, match="expands more than"):
        xlsx.extract(out.getvalue(), CONFIG)
    small = ScanConfig(catalog=Catalog(), limits=Limits(max_ratio=1e9, max_expanded_size=1 << 20))
    with pytest.raises(LimitExceeded, match="expands past"):
        xlsx.extract(out.getvalue(), small)


def test_encrypted_odf_is_an_error() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
            "</manifest:file-entry></manifest:manifest>",
        )
        archive.writestr("content.xml", b"\x8f\x00 ciphertext")
    with pytest.raises(EncryptedError):
        odf.extract(out.getvalue(), CONFIG)


@needs_corpus
@pytest.mark.parametrize(
    "path",
    [
        "poi/poc-xmlbomb.xlsx",
        "poi/poc-xmlbomb-empty.xlsx",
        "poi/poc-shared-strings.xlsx",
        "calamine/issue_594_dos.ods",
        "calamine/OOM_alloc.xls",
    ],
)
def test_bombs_are_read_safely_or_refused(path: str) -> None:
    assert REALWORLD is not None
    data = (REALWORLD / path).read_bytes()
    result = scan_bytes(path, Path(path).name, data, CONFIG)[0]
    assert result.status in (Status.ERROR, Status.CLEAN, Status.FLAGGED)


@needs_corpus
def test_encrypted_corpus_files_are_errors_without_the_password_and_read_with_it() -> None:
    assert REALWORLD is not None
    rows = list(csv.DictReader((REALWORLD / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    encrypted = [
        r["path"]
        for r in rows
        if r["format"] in ("doc-encrypted", "xls-encrypted", "ppt-encrypted", "odt-encrypted")
    ]
    assert len(encrypted) >= 20
    for path in encrypted:
        data = (REALWORLD / path).read_bytes()
        result = scan_bytes(path, Path(path).name, data, CONFIG)[0]
        if result.status != Status.ERROR:
            # Only a workbook "protected" with Excel's built-in default password may be read.
            assert decrypt_office(data, (), "workbook") != data, path
    with_password = ScanConfig(catalog=Catalog(), passwords=("password",))
    result = scan_bytes(
        "password.xls", "password.xls", (REALWORLD / "tika/password.xls").read_bytes(), with_password
    )
    assert result[0].status == Status.CLEAN and "table" in result[0].coverage.parts


@needs_corpus
def test_every_corpus_office_file_finishes_with_a_result() -> None:
    """No reader crashes or hangs on the 600-odd real, damaged and fuzzed office files of the corpus."""
    assert REALWORLD is not None
    read = failed = 0
    for path in sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv"):
        data = path.read_bytes()
        kind = detect(data, path.name).kind
        if kind not in OFFICE_KINDS:
            continue
        extractor = get_extractor(kind)
        assert extractor is not None, kind
        try:
            extractor(data, CONFIG)
            read += 1
        except ScanError:
            failed += 1
    assert read > 450 and failed < read // 5
