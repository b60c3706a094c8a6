"""Large and long-lined text: blocks of whole lines, windows of one long line, bounded context.

The plain-text reader hands out blocks of many lines and the matcher cuts out the
lines that matter; these tests hold that to what one block per line gave, on real
documents, and check that a marking across a window cut is found once, at its line.
"""

from __future__ import annotations

import pytest

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_bytes
from secscan.extractors.text import lines as text_lines
from secscan.extractors.text.clean import Cleaner
from secscan.extractors.text.lines import LineChunker
from secscan.extractors.text.plain import extract
from secscan.match import lineblocks
from secscan.match.catalog import load_catalog
from secscan.match.matcher import CONTEXT_SIDE, match
from secscan.model import Finding, TextBlock

CONFIG = ScanConfig(catalog=load_catalog())
PROSE = "为进一步做好年度重点工作，各单位要加强组织领导。 The quarterly review covers logistics."

DOCUMENTS = [
    # first lines, a 份号 above, 特急 below, an anchored pattern (Confidential alone on its line)
    "000123\n机密★5年\n特急\n\n关于加强管理的通知\n" + (PROSE + "\n") * 3000 + "Confidential\n" + PROSE,
    # a mention in running text far down, a marking at the end
    (PROSE + "\n") * 2000 + "国家秘密的密级分为绝密、机密、秘密三级\n" + (PROSE + "\n") * 2000 + "秘密★1年\n",
    # portion marks (counted per line) and a banner
    "TOP SECRET//NOFORN\n\n" + "".join(f"(S) Paragraph {n} of the report.\n" for n in range(5)) + PROSE * 2,
    # a sample title among the first lines lowers everything
    "公文格式模板\n\n机密★10年\n" + (PROSE + "\n") * 10,
    "Derived From: Multiple Sources\nDeclassify On: 20501231\n" + (PROSE + "\n") * 20 + "SECRET\n",
]


def outcome(findings: tuple[Finding, ...]) -> list[tuple[str, str, int | None, float, tuple[str, ...]]]:
    return sorted((f.rule, f.match, f.location.line, f.confidence, f.reasons) for f in findings)


def one_block_per_line(text: str) -> list[TextBlock]:
    """What the reader handed out before: one block per non-blank line."""
    return [TextBlock(line, line=n) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_blocks_of_lines_match_exactly_like_one_block_per_line(document: str) -> None:
    name = TextBlock("notice.txt", part="filename", line=1, origin="file name")
    chunked = match([*extract(document.encode(), CONFIG).blocks, name], CONFIG.catalog)
    per_line = match([*one_block_per_line(document), name], CONFIG.catalog)
    assert outcome(chunked.findings) == outcome(per_line.findings)
    assert outcome(chunked.suppressed) == outcome(per_line.suppressed)
    assert chunked.findings or chunked.suppressed  # each document holds something to compare


@pytest.mark.parametrize("offset", [4096 - 600, 4096 - 520, 4096 - 512, 4096 - 4, 4096 - 2, 4096, 8000])
def test_marking_across_a_window_cut_is_found_once_at_its_line(offset: int) -> None:
    mark = "机密★5年"
    cells = ("2024-03-01 | 12.50 | 已完成 | " * 20_000)[:200_000]
    line = cells[: offset - 2] + "| " + mark + " | " + cells
    data = ("第一行\n第二行\n" + line + "\n最后一行\n").encode()
    result = scan_bytes("export.txt", "export.txt", data, CONFIG)[0]
    assert [(f.match, f.location.line) for f in result.findings] == [(mark, 3)]


def test_context_is_bounded_and_its_span_still_quotes_the_match() -> None:
    line = "记录 | " * 100_000 + "| TOP SECRET//NOFORN | " + "记录 | " * 100_000
    result = scan_bytes("one.txt", "one.txt", line.encode(), CONFIG)[0]
    finding = result.findings[0]
    start, end = finding.span
    assert finding.context[start:end] == finding.match == "TOP SECRET//NOFORN"
    assert len(finding.context) == 2 * CONTEXT_SIDE + len(finding.match)


def test_context_of_a_short_line_is_the_whole_line() -> None:
    result = scan_bytes("n.txt", "n.txt", "正文\n本通知 机密★5年 请妥善保管\n".encode(), CONFIG)[0]
    finding = result.findings[0]
    assert finding.context == "本通知 机密★5年 请妥善保管"
    assert finding.context[finding.span[0] : finding.span[1]] == finding.match == "机密★5年"


def test_line_numbers_run_on_after_a_long_line() -> None:
    chunker = LineChunker(size=64, window=16, overlap=4)
    text = "a\n" + "x" * 100 + "\nb\n\nc"
    got = [*chunker.feed(text[:50], False), *chunker.feed(text[50:], True)]
    assert [(line, block) for line, block, _ in got if "x" not in block] == [(1, "a"), (3, "b\n\nc")]
    windows = [(line, block, overlapped) for line, block, overlapped in got if "x" in block]
    assert {line for line, _, _ in windows} == {2}
    assert [overlapped for _, _, overlapped in windows] == [True] * (len(windows) - 1) + [False]
    assert all(len(block) <= 16 for _, block, _ in windows)
    assert "".join(block[4:] if i else block for i, (_, block, _) in enumerate(windows)) == "x" * 100


def test_the_reader_and_the_matcher_agree_on_the_overlap() -> None:
    assert text_lines.OVERLAP == lineblocks.OVERLAP


@pytest.mark.parametrize(
    "pieces, expected",
    [
        (["机密\x1b[3", "1m★5年\r", "\n下一行"], "机密★5年\n下一行"),
        (["TOP\x00 SECRET\x1b]0;ti", "tle\x07//NOFORN"], "TOP SECRET//NOFORN"),
        (["one\r", "two\r\n", "three"], "one\ntwo\nthree"),
    ],
)
def test_cleaning_joins_what_a_piece_boundary_cut(pieces: list[str], expected: str) -> None:
    cleaner = Cleaner()
    assert "".join(cleaner.clean(p, i == len(pieces) - 1) for i, p in enumerate(pieces)) == expected
