"""Text from scanned files never reaches a terminal raw, Chinese rules speak Chinese, and counts add up."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sample_result import SECRET_CN, TOP_SECRET_US, sample_result

from secscan.model import FileResult, Finding, Level, Location, ScanResult, Status, summarize
from secscan.reporters import REPORTERS, ReportOptions, get_reporter
from secscan.reporters.safe_text import UNSAFE, json_inert, printable
from secscan.reporters.text import excerpt
from secscan.reporters.wording import level_text

TITLE = "\x1b]0;pwned\x07"  # retitles an xterm
CLEAR = "\x1b[2J"
CSI_8BIT = "\x9b31m"
RLO = "\u202e"
HOSTILE_NAME = f"evil{TITLE}{CLEAR}{RLO}gpj.exe"
HOSTILE_LINE = f"机密★5年 {CSI_8BIT}red\r\nforged line{RLO}"


def render(fmt: str, result: ScanResult, **options: Any) -> str:
    out = io.StringIO(newline="")
    get_reporter(fmt).write(result, out, ReportOptions(**options))
    return out.getvalue()


def hostile_result() -> ScanResult:
    finding = Finding(
        rule="cn.state-secret.marking",
        level=Level.SECRET,
        match="机密★5年",
        location=Location(part="body", line=1, origin=f"word/{CLEAR}document.xml"),
        confidence=0.9,
        reasons=(f"because{TITLE}",),
        context=HOSTILE_LINE,
        span=(0, 5),
    )
    return ScanResult(
        (
            FileResult(HOSTILE_NAME, "text", Status.FLAGGED, Level.SECRET, findings=(finding,)),
            FileResult("pack.zip", "zip", Status.ERROR, error=f"member a{TITLE}.txt: damaged"),
            FileResult(f"pack.zip!a{TITLE}.txt", "text", Status.ERROR, error="damaged"),
        )
    )


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("\x1b]0;x\x07", "\\x1b]0;x\\x07"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
        ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),
        ("\u2066x\u2069 \u200f \u2028", "\\u2066x\\u2069 \\u200f \\u2028"),
        ("绝密★长期 TOP SECRET//NOFORN café 😀", "绝密★长期 TOP SECRET//NOFORN café 😀"),
        ("C:\\Users\\x.docx", "C:\\Users\\x.docx"),
    ],
)
def test_printable_escapes_controls_and_leaves_text(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_json_inert_keeps_the_value() -> None:
    value = {"path": HOSTILE_NAME, "match": HOSTILE_LINE, "del": "\x7f\x85"}
    dumped = json_inert(json.dumps(value, ensure_ascii=False))
    assert not UNSAFE.intersection(map(ord, dumped))
    assert json.loads(dumped) == value


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("verbose", [False, True])
def test_no_format_writes_a_control_character_from_a_scanned_file(fmt: str, verbose: bool) -> None:
    text = render(fmt, hostile_result(), verbose=verbose)
    raw = sorted({f"U+{ord(c):04X}" for c in text if ord(c) in UNSAFE and c not in "\r\n"})
    assert raw == [], f"{fmt} wrote {raw}"
    shown = "\\u001b]0;pwned\\u0007" if fmt in ("json", "jsonl", "sarif") else "\\x1b]0;pwned\\x07"
    assert shown in text  # shown, so the reader sees what the name holds
    assert not any(line.startswith("forged line") for line in text.splitlines())


def test_text_report_escapes_with_colours_too() -> None:
    text = render("text", hostile_result(), color=True, verbose=True)
    # rich's own styling is the only escape sequence left: every ESC starts an SGR "\x1b[...m".
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\x07" not in text and RLO not in text
    assert "\\x1b[2J" in text


@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif"])
def test_json_formats_keep_the_exact_path(fmt: str) -> None:
    text = render(fmt, hostile_result())
    first = json.loads(text.splitlines()[0] if fmt == "jsonl" else text)
    path = first["path"] if fmt == "jsonl" else None
    if fmt == "json":
        path = first["files"][0]["path"]
    if fmt == "sarif":
        path = first["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert "%1B%5D0%3Bpwned%07" in path
        return
    assert path == HOSTILE_NAME


def test_csv_escapes_controls_and_still_guards_formulas() -> None:
    result = ScanResult((FileResult(f"=HYPERLINK(1){TITLE}.txt", "text", Status.CLEAN),))
    rows = list(csv.reader(io.StringIO(render("csv", result)[1:], newline="")))
    assert rows[1][0] == "'=HYPERLINK(1)\\x1b]0;pwned\\x07.txt"


def test_caret_stays_under_the_match_after_escaping() -> None:
    finding = Finding(
        "cn.state-secret.marking",
        Level.SECRET,
        "机密★5年",
        Location("body"),
        0.9,
        context="\x1b[1m 机密★5年",
        span=(5, 10),
    )
    line, start, end = excerpt(finding)
    assert line[start:end] == "机密★5年" and line[:start] == "\\x1b[1m "


@pytest.mark.parametrize(
    "rule, level, shown",
    [
        ("cn.state-secret.marking", Level.TOP_SECRET, "top-secret (绝密)"),
        ("cn.state-secret.marking", Level.SECRET, "secret (机密)"),
        ("cn.state-secret.bare", Level.CONFIDENTIAL, "confidential (秘密)"),
        ("cn.work-secret.marking", Level.INTERNAL, "internal (工作秘密)"),
        ("cn.internal.label", Level.INTERNAL, "internal (内部)"),
        ("cn.declassified", Level.NONE, "none"),
        ("us.classification.banner", Level.SECRET, "secret"),
    ],
)
def test_chinese_rules_show_the_chinese_level_name(rule: str, level: Level, shown: str) -> None:
    finding = Finding(rule, level, "x", Location("body"), 0.9)
    assert level_text(finding) == shown


def test_chinese_level_name_is_in_text_and_html_only() -> None:
    result = ScanResult(
        (FileResult("a.docx", "docx", Status.FLAGGED, Level.TOP_SECRET, findings=(SECRET_CN, TOP_SECRET_US)),)
    )
    assert "secret (机密)" in render("text", result)
    assert "\">secret (机密)</td>" in render("html", result)
    assert "top-secret (" not in render("text", result)  # an English rule: no Chinese name
    for fmt in ("json", "jsonl", "sarif", "csv"):
        assert "(机密)" not in render(fmt, result), fmt
    assert json.loads(render("json", result))["files"][0]["findings"][0]["level"] == "secret"


def test_summary_counts_given_files_and_members_apart() -> None:
    summary = sample_result().summary
    assert (summary.files, summary.flagged, summary.clean, summary.errors, summary.skipped) == (7, 3, 2, 1, 1)
    assert (summary.members, summary.member_flagged) == (1, 1)
    bang_in_a_name = summarize([FileResult("wow!.txt", "text", Status.CLEAN)])
    assert (bang_in_a_name.files, bang_in_a_name.members) == (1, 0)


def test_html_and_rich_tables_total_to_the_headline() -> None:
    result = sample_result()
    flagged = result.summary.flagged
    page = render("html", result)
    assert f"<tfoot><tr><th>total</th><td>{flagged}</td>" in page
    others = page[page.index("Files without findings") :]
    assert "<td>flagged</td>" not in others
    rich = render("text", result, color=True)
    assert f"{flagged} flagged" in rich
    total_line = next(line for line in rich.splitlines() if "total" in line)
    assert total_line.split()[-1] == str(flagged)
