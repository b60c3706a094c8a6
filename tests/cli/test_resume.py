"""An audit stopped by SIGTERM resumes from the result cache to the report an uninterrupted run writes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from secscan.engine.cache import DATABASE

LINE = "本周工作安排如下，请各部门按时报送材料。保守国家秘密是每个公民的义务。Minutes follow.\n"


def files_kept(cache: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{cache / DATABASE}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT COUNT(*) FROM files").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_an_audit_stopped_by_sigterm_resumes_to_the_same_report(tmp_path: Path, private_cache: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    for n in range(100):
        (share / f"minutes{n:03}.txt").write_text(f"第{n}次会议纪要\n" + LINE * 2000, encoding="utf-8")
    (share / "marked.txt").write_text("机密★5年\n关于检查工作的通知\n", encoding="utf-8")
    command = [sys.executable, "-m", "secscan", "scan", "--no-ocr", "-j", "1", "-f", "json"]
    report = tmp_path / "audit.json"

    first = subprocess.Popen([*command, "-o", str(report), str(share)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while files_kept(private_cache) < 10 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert first.poll() is None, "the scan ended before it could be interrupted: make the folder bigger"
    first.send_signal(signal.SIGTERM)
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 143
    assert "--resume" in stderr and not report.exists()
    kept = files_kept(private_cache)
    assert 10 <= kept < 100

    resumed = subprocess.run(
        [*command, "--resume", "-o", str(report), str(share)], capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 1, resumed.stderr
    assert "resuming audit" in resumed.stderr
    uninterrupted = subprocess.run(
        [*command, "--no-cache", str(share)], capture_output=True, text=True, timeout=300
    )
    assert json.loads(report.read_text(encoding="utf-8")) == json.loads(uninterrupted.stdout)


def test_resume_without_an_interrupted_audit_scans_everything(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("普通通知。\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "--no-ocr", "--resume", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    assert "nothing to resume" in done.stderr


def test_resume_and_no_cache_do_not_mix(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "--resume", "--no-cache", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--no-cache" in done.stderr
