"""`secscan scan --compare PREVIOUS.json`: two audits of one folder, and what changed between them.

Between the scans one file gains a marking, one loses it, one is added and one removed; an unchanged
file stays. Every report format must say the same thing about each file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from locations import REPO

from secscan.gates.compare import CompareError, load_comparison

SCHEMA = json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8"))
EXPECTED = {
    "raised.txt": "level-up",
    "lowered.txt": "level-down",
    "added.txt": "new",
    "same.txt": "unchanged",
}


def secscan(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "--no-cache", *args, "."],
        capture_output=True, text=True, timeout=120, check=False, cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The folder after the changes, and the JSON report of it from before them."""
    root = tmp_path_factory.mktemp("compare")
    share = root / "share"
    share.mkdir()
    (share / "raised.txt").write_text("会议纪要\n", encoding="utf-8")
    (share / "lowered.txt").write_text("000123\n机密★5年\n特急\n", encoding="utf-8")
    (share / "same.txt").write_text("秘密★1年\n", encoding="utf-8")
    (share / "removed.txt").write_text("绝密★长期\n", encoding="utf-8")
    previous = root / "previous.json"
    assert secscan(share, "-f", "json", "-o", str(previous)).returncode == 1
    (share / "raised.txt").write_text("000123\n绝密★长期\n会议纪要\n", encoding="utf-8")
    (share / "lowered.txt").write_text("会议纪要\n", encoding="utf-8")
    (share / "added.txt").write_text("机密★5年\n", encoding="utf-8")
    (share / "removed.txt").unlink()
    return share, previous


def test_json_marks_each_file_and_lists_the_gone_ones(audits: tuple[Path, Path]) -> None:
    share, previous = audits
    done = secscan(share, "-f", "json", "--compare", str(previous))
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA)
    assert {Path(f["path"]).name: f["change"] for f in report["files"]} == EXPECTED
    assert [(Path(g["path"]).name, g["level"]) for g in report["gone"]] == [("removed.txt", "top-secret")]


def test_jsonl_marks_each_line_and_puts_the_gone_ones_beside_the_summary(audits: tuple[Path, Path]) -> None:
    share, previous = audits
    lines = [
        json.loads(line)
        for line in secscan(share, "-f", "jsonl", "--compare", str(previous)).stdout.splitlines()
    ]
    assert {Path(f["path"]).name: f["change"] for f in lines[:-1]} == EXPECTED
    assert [Path(g["path"]).name for g in lines[-1]["gone"]] == ["removed.txt"] and "summary" in lines[-1]


def test_csv_has_a_change_column_and_a_row_per_gone_file(audits: tuple[Path, Path]) -> None:
    share, previous = audits
    text = secscan(share, "-f", "csv", "--compare", str(previous)).stdout
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    changes = {Path(r["path"]).name: r["change"] for r in rows}
    assert changes == {**EXPECTED, "removed.txt": "gone"}
    assert "change" not in secscan(share, "-f", "csv").stdout.splitlines()[0]  # only when asked


def test_html_and_text_have_a_what_changed_section(audits: tuple[Path, Path]) -> None:
    share, previous = audits
    page = secscan(share, "-f", "html", "--compare", str(previous)).stdout
    section = page.split('<section class="changes">', 1)[1].split("</section>", 1)[0]
    assert "1 new, 1 gone, 1 level-up, 1 level-down, 1 unchanged" in section
    for name, change in [*EXPECTED.items(), ("removed.txt", "gone")]:
        if change != "unchanged":
            assert f'data-change="{change}"><td>{change}</td>' in section and name in section, name
    assert "same.txt" not in section  # only what changed is listed there
    assert 'data-change="unchanged"' in page  # ... the file's own section says it
    text = secscan(share, "--compare", str(previous)).stdout
    assert "lowered.txt  [text]  (level-down)" in text  # clean now, yet named: it fell
    assert "GONE" in text and "removed.txt" in text


@pytest.mark.parametrize(
    "content, problem",
    [
        ('{"schema": "other.report/2", "files": []}', "not a secscan JSON report"),
        ("[1, 2]", "not a secscan JSON report"),
        ("{oops", "neither a JSON"),
        ('{"level": "secret"}', "no path"),
    ],
)
def test_a_file_that_is_no_report_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CompareError, match=problem):
        load_comparison(bad)
    done = secscan(tmp_path, "--compare", str(bad))
    assert done.returncode == 2 and problem in done.stderr
