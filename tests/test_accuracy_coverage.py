"""Every convention and trap of the marking docs has blind cases, and docs/accuracy-coverage.md says so."""

from __future__ import annotations

import subprocess
import sys

import pytest
from locations import REPO


@pytest.mark.parametrize("script", ["coverage.py", "render.py"])
def test_blind_suite_check_passes(script: str) -> None:
    """coverage.py --check: the table is complete and fresh; render.py --check: the specs are frozen."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "blind" / script), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
