"""Text that used to come out ``skipped`` or ``clean`` though it carries a marking (issue 12).

Every trap file is made by tests/fixtures/make_text_traps.py and scanned through the
whole pipeline, so detection (is it text, which encoding), cleaning and matching are
all under test together.
"""

from __future__ import annotations

import pytest
from locations import FIXTURES

from secscan.config import ScanConfig
from secscan.detect.text import looks_like_byte_text, utf16_without_bom
from secscan.engine.pipeline import scan_bytes
from secscan.match.catalog import load_catalog
from secscan.model import FileResult, Status

TRAPS = FIXTURES / "text_traps"
MARKS = {"cn": "机密★5年", "us": "TOP SECRET//NOFORN"}
CONFIG = ScanConfig(catalog=load_catalog())


def scan(name: str) -> FileResult:
    return scan_bytes(name, name, (TRAPS / name).read_bytes(), CONFIG)[0]


@pytest.mark.parametrize(
    "trap",
    [
        "nul-before",
        "nul-inside",
        "nul-padded-lines",
        "invalid-utf8-around",
        "utf16le-nobom",
        "utf16be-nobom",
        "utf16le-nobom-cjk",
        "utf16be-nobom-cjk",
        "bom16le-utf8-body",
        "bom16be-utf8-body",
        "ansi-around",
        "ansi-inside",
        "osc-title",
        "long-line-cut",
    ],
)
@pytest.mark.parametrize("region", sorted(MARKS))
def test_marking_behind_a_trap_is_found(trap: str, region: str) -> None:
    result = scan(f"{trap}-{region}.txt")
    assert (result.type, result.status) == ("text", Status.FLAGGED)
    assert [f.match for f in result.findings] == [MARKS[region]]
    assert result.findings[0].location.line == (4 if trap == "nul-padded-lines" else 1)


def test_bytes_that_could_hide_a_marking_make_the_file_skipped_not_clean() -> None:
    result = scan("undecodable-gbk-in-utf8.txt")
    assert result.status == Status.SKIPPED
    assert [(s.part, s.reason) for s in result.coverage.skipped] == [
        ("body", "11 bytes could not be decoded as utf-8")
    ]


def test_one_stray_byte_cannot_hide_a_marking_and_stays_clean() -> None:
    result = scan("undecodable-one-stray-byte.txt")
    assert (result.status, result.coverage.skipped) == (Status.CLEAN, ())


def test_gbk_marking_inside_utf8_text_is_skipped_until_read() -> None:
    data = "正文第一行\n".encode() + "机密★5年".encode("gbk") + "\n正文第三行\n".encode()
    result = scan_bytes("mixed.txt", "mixed.txt", data, CONFIG)[0]
    assert result.status in (Status.FLAGGED, Status.SKIPPED)  # never "clean"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    ["TOP SECRET//NOFORN\nMeeting notes\n", "机密★5年关于加强档案管理工作的通知各单位请认真贯彻执行" * 3],
)
def test_bomless_utf16_is_recognised_in_either_byte_order(codec: str, text: str) -> None:
    assert utf16_without_bom(text.encode(codec)) == codec


@pytest.mark.parametrize(
    "data",
    [
        b"plain English text, TOP SECRET//NOFORN, nothing else\n" * 4,
        "机密★5年 关于加强管理的通知\n".encode() * 4,
        "机密★5年 关于加强管理的通知\n".encode("gb18030") * 4,
        bytes(range(256)) * 4,  # binary
    ],
)
def test_byte_encoded_text_and_binary_are_not_taken_for_utf16(data: bytes) -> None:
    assert utf16_without_bom(data) is None


@pytest.mark.parametrize(
    "data, text",
    [
        (b"\x00" * 100 + b"TOP SECRET\n", True),  # padding before
        (b"TOP SECRET\n" * 20 + b"\x00\x00\n" + b"more\n", True),  # one padding run inside
        ("关于加强档案管理工作的通知\n各单位请认真贯彻执行\n".encode("utf-16-le") * 4, False),
        (bytes(range(256)) * 4, False),
        (b"\x00" * 64, False),
    ],
)
def test_nul_padding_is_text_but_nuls_all_through_are_not(data: bytes, text: bool) -> None:
    assert looks_like_byte_text(data) is text
