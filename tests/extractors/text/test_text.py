"""Plain-text extraction: the encoding cascade and line numbering, on real encoded files."""

from __future__ import annotations

import pytest
from locations import FIXTURES

from secscan.config import ScanConfig
from secscan.extractors.text.plain import choose_encoding, extract
from secscan.match.catalog import Catalog

DOCS = FIXTURES / "documents"
CONFIG = ScanConfig(catalog=Catalog())


def lines(data: bytes) -> list[tuple[int | None, str]]:
    """The non-blank lines the extractor's blocks hold, with their line numbers."""
    out: list[tuple[int | None, str]] = []
    for block in extract(data, CONFIG).blocks:
        assert block.line is not None and "lines" in block.hints
        out += [(block.line + i, line) for i, line in enumerate(block.text.split("\n")) if line.strip()]
    return out


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gb18030.txt", [(1, "机密★5年"), (2, "关于加强管理的通知")]),
        ("utf16le.txt", [(1, "机密★5年"), (2, "关于加强管理的通知")]),
        ("utf16be.txt", [(1, "机密★5年"), (2, "关于加强管理的通知")]),
        ("utf8_bom.txt", [(1, "机密★5年"), (2, "关于加强管理的通知")]),
        ("utf8.txt", [(1, "第一行"), (3, "机密★5年"), (4, "TOP SECRET//NOFORN")]),
        ("big5.txt", [(1, "機密"), (2, "國家機密保護法 第一條 為保護國家機密，特制定本法。")]),
    ],
)
def test_fixture_files_decode_to_their_lines(name: str, expected: list[tuple[int, str]]) -> None:
    assert lines((DOCS / name).read_bytes()) == expected


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        # The case: charset-normalizer alone calls this euc_jis_2004.
        ("机密★5年\n关于加强管理的通知", "gb18030", "gb18030"),
        ("绝密", "gb18030", "gb18030"),
        ("工作秘密", "gb18030", "gb18030"),
        ("内部资料 注意保存", "gbk", "gb18030"),
        ("機密", "big5", "cp950"),
        ("機密 國家機密保護法", "big5", "cp950"),
        ("絕對機密 請勿外傳", "big5", "cp950"),
        ("机密★5年", "utf-8", "utf-8"),
        ("plain ASCII CONFIDENTIAL", "utf-8", "utf-8"),
    ],
)
def test_encoding_cascade(text: str, encoding: str, expected: str) -> None:
    assert choose_encoding(text.encode(encoding)) == expected


def test_big5_is_not_read_as_gb18030_garbage() -> None:
    data = "機密 國家機密保護法".encode("big5")
    data.decode("gb18030")  # the trap: it decodes without error, into other characters
    assert lines(data) == [(1, "機密 國家機密保護法")]


def test_latin1_falls_through_to_the_detector() -> None:
    blocks = extract("Résumé: confidential à vérifier\n".encode("latin-1"), CONFIG).blocks
    assert "confidential" in blocks[0].text
    assert "R" in blocks[0].text and "sum" in blocks[0].text


def test_line_endings_and_blank_lines_keep_editor_line_numbers() -> None:
    data = b"one\r\ntwo\rthree\n\n\nsix\n"
    assert lines(data) == [(1, "one"), (2, "two"), (3, "three"), (6, "six")]


def test_gb18030_error_late_in_file_still_reads_every_line() -> None:
    head = "机密★5年\n".encode("gb18030") * 3000  # past the 64 KiB sample
    data = head + b"tail \x80 byte\n"  # 0x80 alone is not valid GB18030
    got = lines(data)
    assert len(got) == 3001
    assert got[-1] == (3001, "tail \ufffd byte")


def test_every_block_is_body_without_page() -> None:
    extraction = extract((DOCS / "utf8.txt").read_bytes(), CONFIG)
    assert extraction.parts_read == ("body",)
    assert {(b.part, b.page) for b in extraction.blocks} == {("body", None)}


def test_large_file_is_streamed_in_blocks_of_whole_lines() -> None:
    data = ("普通的一行文字 ordinary line\n" * 50_000 + "机密★5年\n").encode("gb18030")
    blocks = extract(data, CONFIG).blocks
    assert 10 < len(blocks) < 100  # ~1.2 M characters in blocks of about 64 Ki
    assert all(len(block.text) <= 64 * 1024 for block in blocks)
    assert lines(data)[-1] == (50_001, "机密★5年")


@pytest.mark.parametrize(
    "name, level",
    [
        ("gb18030.txt", "secret"),
        # Taiwan's 國家機密保護法 in the text: bare 機密 is its third tier (docs/markings/taiwan-hongkong.md)
        ("big5.txt", "confidential"),
        ("utf16le.txt", "secret"),
        ("utf16be.txt", "secret"),
        ("utf8_bom.txt", "secret"),
        ("utf8.txt", "top-secret"),
    ],
)
def test_pipeline_levels_of_encoded_files(name: str, level: str) -> None:
    from secscan.engine.pipeline import scan_bytes
    from secscan.match.catalog import load_catalog

    config = ScanConfig(catalog=load_catalog())
    result = scan_bytes(name, name, (DOCS / name).read_bytes(), config)[0]
    assert (result.type, result.status, result.level.label) == ("text", "flagged", level)
    assert result.findings[0].location.line == 1 or name == "utf8.txt"
