"""Every convention and trap of the marking docs has blind cases, and docs/accuracy-coverage.md says so."""

from __future__ import annotations

import subprocess
import sys

from locations import REPO


def test_coverage_table_is_complete_and_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "blind" / "coverage.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_blind_specs_still_match_their_frozen_manifest() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "blind" / "render.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
