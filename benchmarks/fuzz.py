"""Run every fuzz harness (tests/fuzz/harness_*.py) for longer than CI does, one after the other.

    python benchmarks/fuzz.py 300                 # 5 minutes per harness
    python benchmarks/fuzz.py 60 --only word ppt  # some harnesses

Each harness runs in its own process through ``tests/fuzz/run_fuzz.py`` (atheris
when installed: ``pip install -e '.[fuzz]'``); a finding ends a libFuzzer run, so
the harness is started again with the next random seed for the time left (at
most ``_RESTARTS`` times; libFuzzer's fork mode cannot re-launch a Python harness).
Crashing, hanging and out-of-memory inputs are written to ``benchmarks/fuzz_findings/`` (gitignored) as
``<harness>-crash-<sha1>``; reproduce one with
``python tests/fuzz/run_fuzz.py <harness> --input <file>``. One harness at a
time, so the run uses one core. The table gives executions and findings per harness.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "fuzz" / "run_fuzz.py"
FINDINGS = ROOT / "benchmarks" / "fuzz_findings"
sys.path.insert(0, str(RUNNER.parent))

from fuzz_common import HARNESSES  # noqa: E402

_EXECUTIONS = re.compile(r"^#(\d+)", re.MULTILINE)
_UNITS = re.compile(r"stat::number_of_executed_units: (\d+)")
_RESTARTS = 8


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("seconds", type=float, help="fuzzing time per harness")
    parser.add_argument("--only", nargs="+", choices=HARNESSES, help="run these harnesses only")
    parser.add_argument("--logs", type=Path, default=FINDINGS / "logs", help="where each harness's log goes")
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    print(f"{'harness':<10} {'executions':>11} {'findings':>9} {'seconds':>8}")
    total = 0
    for name in args.only or HARNESSES:
        before = set(FINDINGS.glob(f"{name}-*"))
        started = time.monotonic()
        executions = 0
        for attempt in range(_RESTARTS):
            left = args.seconds - (time.monotonic() - started)
            if left < 5:
                break
            executions += _run(name, left, attempt + 1, args.logs / f"{name}.{attempt}.log")
        found = sorted(set(FINDINGS.glob(f"{name}-*")) - before)
        total += len(found)
        print(f"{name:<10} {executions:>11,} {len(found):>9} {time.monotonic() - started:>8.0f}")
        for path in found:
            print(f"    {path.relative_to(ROOT)}")
    return 1 if total else 0


def _run(name: str, seconds: float, seed: int, log: Path) -> int:
    """One libFuzzer run; the executions it made (its last ``#N`` status line)."""
    command = [sys.executable, str(RUNNER), name, "--seconds", f"{seconds:.0f}", "--seed", str(seed)]
    with log.open("w") as out:
        subprocess.run([*command, "--findings", str(FINDINGS)], stdout=out, stderr=subprocess.STDOUT)
    text = log.read_text(errors="replace")
    counts = [int(n) for n in _EXECUTIONS.findall(text) + _UNITS.findall(text)]
    return max(counts, default=0)


if __name__ == "__main__":
    sys.exit(main())
