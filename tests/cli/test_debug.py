"""--debug (or SECSCAN_DEBUG=1) keeps the traceback of an unreadable file; without it, nothing changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>"


def run(path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "-f", "json", *args, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 2, done.stderr
    return json.loads(done.stdout)["files"][0], done.stderr


@pytest.mark.slow
def test_debug_keeps_the_traceback_in_the_report_and_on_stderr(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(BROKEN_PDF)
    entry, stderr = run(broken, "--debug")
    assert str(entry["error"]).startswith("unreadable PDF")
    assert "Traceback (most recent call last)" in str(entry["traceback"])
    assert "Traceback (most recent call last)" in stderr


@pytest.mark.slow
def test_environment_variable_does_the_same_and_without_it_nothing_changes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(BROKEN_PDF)
    entry, _ = run(broken, env={"SECSCAN_DEBUG": "1"})
    assert "Traceback" in str(entry["traceback"])
    entry, stderr = run(broken, env={"SECSCAN_DEBUG": ""})
    assert "traceback" not in entry and "Traceback" not in stderr
