"""Every fuzz harness runs its seeds once and then fuzzes for a short, fixed budget without a finding.

Each harness runs in its own process (libFuzzer ends its process, and a hang
must not hang pytest): with atheris when the ``fuzz`` extra is installed,
else with the deterministic mutation replay of ``run_fuzz.py``. A crash, an
input over the per-input time limit or any exception other than a ScanError
fails the test with the harness's output; the input is in the test's tmp folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_common import HARNESSES

RUNNER = Path(__file__).resolve().parent / "run_fuzz.py"
RUNS_EACH = (
    300  # mutations per harness: a fixed, seeded set, so CI is reproducible (longer runs: benchmarks/fuzz.py)
)
PER_INPUT_LIMIT = 10  # seconds; a well-bounded parser takes milliseconds on these inputs


@pytest.mark.slow
@pytest.mark.parametrize("harness", HARNESSES)
def test_harness_finds_nothing(harness: str, tmp_path: Path) -> None:
    command = [sys.executable, str(RUNNER), harness, "--engine", "replay", "--runs", str(RUNS_EACH)]
    command += ["--timeout", str(PER_INPUT_LIMIT), "--findings", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=600)
    everything = done.stdout + done.stderr
    output = everything[-4000:]  # what a failure shows; caught Rust panics can fill the log
    assert done.returncode == 0, output
    assert not list(tmp_path.glob(f"{harness}-*")), output
    assert "stat::number_of_executed_units" in everything, output


def test_every_harness_module_is_listed() -> None:
    modules = sorted(p.stem.removeprefix("harness_") for p in RUNNER.parent.glob("harness_*.py"))
    assert modules == sorted(HARNESSES)
