"""A file labelled Public whose first page says 机密★5年: every report format says so, with both levels."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from locations import FIXTURES

DOCUMENT = FIXTURES / "documents" / "public_label_secret_page.docx"


def report(fmt: str, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "-f", fmt, *extra, str(DOCUMENT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


@pytest.mark.slow
def test_json_carries_both_levels() -> None:
    entry = json.loads(report("json"))["files"][0]
    assert entry["label_mismatch"]["label"] == "none"
    assert entry["label_mismatch"]["visible"] == "secret"
    assert "Public" in entry["label_mismatch"]["label_text"]


@pytest.mark.slow
def test_text_csv_sarif_and_html_say_it() -> None:
    assert "label mismatch: the label says none" in report("text")
    rows = list(csv.reader(io.StringIO(report("csv"))))
    assert any("label-mismatch" in row and "secscan.label-mismatch" in row for row in rows)
    results = json.loads(report("sarif"))["runs"][0]["results"]
    mismatch = [r for r in results if r["ruleId"] == "secscan.label-mismatch"]
    assert mismatch and mismatch[0]["properties"] == {"label": "none", "visible": "secret"}
    assert 'class="mismatch"' in report("html")


@pytest.mark.slow
def test_redacted_reports_keep_the_levels_but_not_the_text() -> None:
    entry = json.loads(report("json", "--redact"))["files"][0]
    assert entry["label_mismatch"]["label_text"] == "[redacted]"
    assert "机密★5年" not in report("text", "--redact")
