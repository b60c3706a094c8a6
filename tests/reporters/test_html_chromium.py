"""The HTML report as a browser sees it: headless Chromium renders it and dumps the DOM.

Hostile text is built to change the DOM if it ever runs (it sets an attribute
on <body>), so "did script run" is a plain check of the dumped DOM. A control
page with the same payload unescaped proves the check can fail. The tests skip
when /usr/bin/chromium is absent (.ci/run installs it).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from locations import REPO
from sample_result import HOSTILE, sample_result

from secscan.cli.exit_codes import EXIT_CODES
from secscan.model import FileResult, Level, ScanResult, Status
from secscan.reporters import ReportOptions, get_reporter

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)"
)

PAYLOAD_SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script>"
PAYLOAD_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
FORMULA = '=HYPERLINK("http://x","y")'
PWNED = re.compile(r"<body[^>]*data-pwned")


def dump_dom(page: Path, profile: Path) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<body" in done.stdout, done.stderr[-2000:]
    return done.stdout


def hostile_result() -> ScanResult:
    finding = replace(HOSTILE, context=f"CONFIDENTIAL {PAYLOAD_SCRIPT} {PAYLOAD_IMG} {FORMULA}", span=(0, 12))
    finding = replace(finding, match="CONFIDENTIAL")
    path = f"share/{PAYLOAD_IMG.replace('/', '')}.xlsx"
    return ScanResult(
        (*sample_result().files, FileResult(path, "xlsx", Status.FLAGGED, Level.CONFIDENTIAL, (finding,)))
    )


def render(fmt: str, result: ScanResult) -> str:
    out = io.StringIO(newline="")
    get_reporter(fmt).write(result, out, ReportOptions(exit_codes=EXIT_CODES))
    return out.getvalue()


def test_the_control_page_shows_the_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><body><p>x</p>{PAYLOAD_SCRIPT}</body></html>", encoding="utf-8")
    assert PWNED.search(dump_dom(page, tmp_path / "profile"))


def test_report_renders_and_no_document_text_runs(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render("html", hostile_result()), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert not PWNED.search(dom), "document text ran as script in the HTML report"
    assert dom.lower().replace("&lt;script", "").count("<script") == 1  # the report's own, nothing else
    body = re.sub(r"<[^>]+>", "", dom.split("<body", 1)[1])
    for expected in ("secscan report", "Totals", "机密★5年", "out/pack.zip!inner/report.pdf",
                     "encrypted, not inspected", "Files without findings"):  # fmt: skip
        assert expected in body, expected
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text, not run


def test_csp_blocks_script_even_if_escaping_failed(tmp_path: Path) -> None:
    broken = render("html", sample_result()).replace("</body>", f"{PAYLOAD_SCRIPT}</body>")
    page = tmp_path / "broken.html"
    page.write_text(broken, encoding="utf-8")
    assert not PWNED.search(dump_dom(page, tmp_path / "profile"))


def test_a_scanned_file_cannot_inject_into_html_or_csv(tmp_path: Path) -> None:
    """End to end: a marked file whose name and text carry script and a formula, through `secscan scan`."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / f"{PAYLOAD_IMG.replace('/', '')}.txt"
    hostile.write_text(f"000123\n机密★5年\n\n{PAYLOAD_SCRIPT}\n{FORMULA}\n", encoding="utf-8")
    formula_name = f"{FORMULA.replace('/', '')}.txt"
    (folder / formula_name).write_text("机密★5年\n", encoding="utf-8")
    reports = {}
    for fmt in ("html", "csv"):
        out = tmp_path / f"report.{fmt}"
        done = subprocess.run(  # relative names, so a reported path starts with "="
            [sys.executable, "-m", "secscan", "scan", "-f", fmt, "-o", str(out), hostile.name, formula_name],
            capture_output=True, text=True, timeout=120, check=False, cwd=folder,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        reports[fmt] = out
    dom = dump_dom(reports["html"], tmp_path / "profile")
    assert not PWNED.search(dom)
    assert "机密★5年" in dom and "onerror" in dom  # the name is shown, as text
    rows = list(csv.reader(io.StringIO(reports["csv"].read_text(encoding="utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + formula_name in cells  # the path itself, neutralised
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
