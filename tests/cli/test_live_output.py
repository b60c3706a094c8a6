"""Findings reach the terminal as files finish, under a progress line whose figures say what they are."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

SLOW_LINE = "本周工作安排如下，请各部门按时报送材料。Minutes of the weekly meeting follow.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    (root / "a-marked.txt").write_text("机密★5年\n关于检查工作的通知\n", encoding="utf-8")
    for n in range(6):  # each takes the single worker a second or so
        (root / f"b-slow{n}.txt").write_text(SLOW_LINE * 120_000, encoding="utf-8")
    return root


def test_a_finding_is_printed_while_the_scan_goes_on(folder: Path) -> None:
    scan = subprocess.Popen(
        [sys.executable, "-m", "secscan", "scan", "--no-ocr", "--no-cache", "-j", "1", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert scan.stdout is not None
    first = scan.stdout.readline()
    still_running = scan.poll() is None
    rest = scan.communicate(timeout=300)[0]
    assert first.startswith("FLAGGED") and "a-marked.txt" in first
    assert still_running, "the first finding only came when the scan had ended"
    assert "7 files scanned, 1 flagged" in rest


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_in_a_terminal_the_progress_line_labels_its_figures(folder: Path) -> None:
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    scan = subprocess.Popen(
        [sys.executable, "-m", "secscan", "scan", "--no-ocr", "--no-cache", "-j", "1", str(folder)],
        stdout=secondary, stderr=secondary, env=env,
    )  # fmt: skip
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the scan ended and closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif scan.poll() is not None:
            break
    scan.wait(timeout=60)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert "files" in text and "elapsed" in text and "remaining" in text
    assert "/7 files" in text
    # the finding was printed (above the live line) before the later files were done
    assert text.index("FLAGGED") < text.index("2/7 files")
    assert "1 flagged" in text
