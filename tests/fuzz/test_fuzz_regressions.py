"""Inputs that fuzzing found to crash or hang a parser now end as a ScanError or a clean parse.

The inputs are written by ``tests/fixtures/make_fuzz.py`` into
``tests/fixtures/fuzz/<harness>/``. Each is replayed through its harness in a
subprocess, so a regression that hangs fails this test instead of hanging the
suite; the tests below it check what the fixed parser does with the same bytes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import olefile
import pytest
from fuzz_common import CONFIG
from fuzz_containers import build_cfb, build_zip, decode, streams_of_zip
from locations import FIXTURES

from secscan.config import ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.pipeline import scan_bytes
from secscan.errors import CorruptFile
from secscan.extractors._common.html_lines import html_lines
from secscan.extractors.legacy import word
from secscan.extractors.legacy.ole_props import _olefile_can_parse, property_blocks
from secscan.extractors.mail import msg
from secscan.extractors.office import xlsb
from secscan.extractors.office.xlsb_records import cell_grid
from secscan.model import FileKind, Status

RUNNER = Path(__file__).resolve().parent / "run_fuzz.py"
FINDINGS = FIXTURES / "fuzz"
SUMMARY = "\x05SummaryInformation"


@pytest.mark.parametrize("path", sorted(FINDINGS.glob("*/*.bin")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_finding_replays_without_a_finding(path: Path) -> None:
    command = [sys.executable, str(RUNNER), path.parent.name, "--input", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "no finding" in done.stdout


def test_findings_exist() -> None:
    assert list(FINDINGS.glob("*/*.bin")), "run tests/fixtures/make_fuzz.py"


def _ole(name: str) -> olefile.OleFileIO:
    return olefile.OleFileIO(build_cfb(decode((FINDINGS / name).read_bytes())))


def test_property_vector_claiming_four_billion_elements_is_not_handed_to_olefile() -> None:
    # olefile looped once per claimed VT_EMPTY element: hours for one 4-byte count.
    with _ole("props/summary_vector_hang.bin") as ole:
        assert not _olefile_can_parse(ole, SUMMARY)
        blocks, [skipped] = property_blocks(ole)
    assert blocks == []
    assert "vector claims more elements" in skipped.reason  # said, not silently dropped


@pytest.mark.parametrize("name", ["office/marked.doc", "legacy/word_with_embeded.doc", "office/marked.xls"])
def test_real_property_sets_still_pass_the_vector_check(name: str) -> None:
    with olefile.OleFileIO(str(FIXTURES / name)) as ole:
        assert _olefile_can_parse(ole, SUMMARY)
        assert _olefile_can_parse(ole, "\x05DocumentSummaryInformation")
        blocks, skipped = property_blocks(ole)
    assert blocks
    assert not skipped


def test_word_document_with_the_looping_summary_is_scanned(scan_config: ScanConfig) -> None:
    source = olefile.OleFileIO(str(FIXTURES / "office" / "marked.doc"))
    streams = {tuple(p): source.openstream(p).read() for p in source.listdir()}
    streams[(SUMMARY,)] = decode((FINDINGS / "props/summary_vector_hang.bin").read_bytes())[(SUMMARY,)]
    [result, *_] = scan_bytes("marked.doc", "marked.doc", build_cfb(streams), scan_config)
    assert result.status == Status.FLAGGED  # the body's marking is still found


def _package(name: str) -> bytes:
    return build_zip(decode((FINDINGS / name).read_bytes()))


def test_xlsb_sheet_spanning_the_whole_grid_is_over_the_limit_not_an_abort(scan_config: ScanConfig) -> None:
    # Two cells, A1 and XFD1048576: calamine allocated the rectangle between them (512 GiB) and
    # aborted the whole process, which no except clause catches.
    [result, *_] = scan_bytes("far.xlsb", "far.xlsb", _package("xlsb/far_corner_sheet.bin"), scan_config)
    assert result.status == Status.ERROR
    assert "17,179,869,184 cells" in (result.error or "")
    assert "expansion limit" in (result.error or "")


def test_xlsb_sheet_with_a_malformed_record_header_is_damaged_not_handed_to_calamine() -> None:
    # libFuzzer's input, from poi/62815.xlsb: a record size grown from 2 to 43 bytes makes a 3-byte
    # record type further on, past which calamine reads garbage cells (a 639 GB rectangle).
    with pytest.raises(CorruptFile, match=r"damaged.*record type longer than 2 bytes"):
        xlsb.extract(_package("xlsb/calamine_abort_poi62815.bin"), CONFIG)


@pytest.mark.parametrize("name", ["clean.xlsb", "comment.xlsb", "footer_poi.xlsb"])
def test_real_xlsb_sheets_are_small_grids(name: str) -> None:
    parts = streams_of_zip((FIXTURES / "xlsb" / name).read_bytes())
    [sheet] = [body for path, body in parts.items() if path[0].startswith("xl/worksheets/sheet1")]
    assert 0 < cell_grid(sheet) < 1000


def test_zip_with_a_damaged_deflate_member_is_detected_not_raised(scan_config: ScanConfig) -> None:
    data = (FINDINGS / "detect/zip_damaged_content_types.bin").read_bytes()
    assert detect(data, "report.docx").kind == FileKind.OOXML  # the main part could not be read
    [result, *_] = scan_bytes("report.docx", "report.docx", data, scan_config)
    assert result.status == Status.ERROR


def test_msg_html_body_with_a_control_character_is_read() -> None:
    container = build_cfb(decode((FINDINGS / "msg/html_control_character.bin").read_bytes()))
    texts = [block.text for block in msg.extract(container, CONFIG).blocks]
    assert "机密★5年" in texts
    assert "end" in texts


def test_html_lines_keeps_text_around_control_characters() -> None:
    assert html_lines("<p>x</p>a<!--c-->\x01b<script>s</script>\x0cz") == ["x", "a b z"]


@pytest.mark.parametrize(
    "name, reason",
    [
        ("word/fib_cut_before_clx.bin", "FIB ends before its CLX entry"),
        ("word/prc_negative_size.bin", "negative size"),
    ],
)
def test_damaged_word_piece_table_is_a_corrupt_file(name: str, reason: str) -> None:
    with pytest.raises(CorruptFile, match=reason):
        word.extract(build_cfb(decode((FINDINGS / name).read_bytes())), CONFIG)


def test_xlsb_cell_record_too_short_for_its_column_is_damaged() -> None:
    with pytest.raises(CorruptFile, match="too short for its row or cell"):
        xlsb.extract(_package("xlsb/short_cell_record.bin"), CONFIG)
