"""Run one fuzz harness: coverage-guided with atheris (libFuzzer), or a deterministic mutation replay.

    python tests/fuzz/run_fuzz.py word --seconds 60 --findings benchmarks/fuzz_findings
    python tests/fuzz/run_fuzz.py word --input crash-1234      # run one input, show its traceback

atheris (Google's libFuzzer binding, the standard coverage-guided fuzzer for
Python) instruments the ``secscan`` modules as the harness imports them, runs
every seed once, then mutates for ``--seconds``. A non-ScanError exception,
an input over ``--timeout`` seconds or over the memory cap is written to
``--findings`` as ``<harness>-crash-<sha1>`` (``-timeout-``, ``-oom-``) and the
run exits non-zero. Without atheris (``--engine replay``) the seeds and a fixed,
seeded set of byte mutations run instead, with the same rules; it finds less
but needs nothing beyond the standard library.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import logging
import os
import random
import shutil
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

_MEMORY_MB = 2048


class Hang(Exception):
    """An input ran past the per-input time limit."""


def main() -> int:
    args = _arguments()
    # Parsers' libraries log and warn about damaged input; that is noise here, not a finding.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    os.environ["RUST_BACKTRACE"] = "0"  # calamine's panics (made ScanErrors) print a line, not a trace
    if args.input is not None:
        harness = _load(args.harness, instrument=False)
        harness.TestOneInput(args.input.read_bytes())
        print(f"{args.input}: no finding")
        return 0
    findings = Path(args.findings)
    findings.mkdir(parents=True, exist_ok=True)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "replay"
    if engine == "atheris":
        return _atheris(args, findings)
    return _replay(args, findings)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("harness", help="harness name, e.g. word (module tests/fuzz/harness_word.py)")
    parser.add_argument("--seconds", type=float, default=10.0, help="mutation time after the seeds")
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="replay: exactly this many mutations (reproducible), not --seconds",
    )
    parser.add_argument("--timeout", type=int, default=10, help="per-input time limit, seconds")
    parser.add_argument("--findings", default="benchmarks/fuzz_findings", help="folder for crashing inputs")
    parser.add_argument("--engine", choices=("auto", "atheris", "replay"), default="auto")
    parser.add_argument("--seed", type=int, default=1, help="random seed (replay, and libFuzzer's -seed)")
    parser.add_argument("--input", type=Path, help="run this one input and exit")
    return parser.parse_args()


def _load(name: str, instrument: bool) -> ModuleType:
    if not instrument:
        return importlib.import_module(f"harness_{name}")
    import atheris  # type: ignore[import-untyped]

    with atheris.instrument_imports(include=["secscan"]):
        return importlib.import_module(f"harness_{name}")


def _atheris(args: argparse.Namespace, findings: Path) -> int:
    import atheris

    harness = _load(args.harness, instrument=True)
    # The corpus libFuzzer grows is kept beside the findings, so a later run starts where this one ended.
    work = findings / "work" / args.harness
    seeds = work / "seeds"
    shutil.rmtree(seeds, ignore_errors=True)
    seeds.mkdir(parents=True)
    for number, seed in enumerate(harness.seeds()):
        (seeds / f"seed{number:04d}").write_bytes(seed[: harness.MAX_LEN])
    (work / "corpus").mkdir(exist_ok=True)
    argv = [
        sys.argv[0],
        f"-max_total_time={max(1, round(args.seconds))}",
        f"-timeout={args.timeout}",
        f"-max_len={harness.MAX_LEN}",
        f"-rss_limit_mb={_MEMORY_MB}",
        f"-seed={args.seed}",
        f"-artifact_prefix={findings}/{args.harness}-",
        "-print_final_stats=1",
        str(work / "corpus"),
        str(seeds),
    ]
    atheris.Setup(argv, harness.TestOneInput)
    atheris.Fuzz()  # exits the process: 0 when the time is up, non-zero on a finding
    return 0


def _replay(args: argparse.Namespace, findings: Path) -> int:
    harness = _load(args.harness, instrument=False)
    seeds = [seed[: harness.MAX_LEN] for seed in harness.seeds()] or [b""]
    rng = random.Random(args.seed)
    signal.signal(signal.SIGALRM, _alarm)
    runs = 0
    for seed in seeds:
        if not _one(harness.TestOneInput, seed, args, findings):
            return 1
        runs += 1
    deadline = time.monotonic() + args.seconds
    while runs - len(seeds) < args.runs if args.runs is not None else time.monotonic() < deadline:
        data = _mutate(rng.choice(seeds), rng, harness.MAX_LEN)
        if not _one(harness.TestOneInput, data, args, findings):
            return 1
        runs += 1
    print(f"stat::number_of_executed_units: {runs}")
    return 0


def _one(test: Callable[[bytes], None], data: bytes, args: argparse.Namespace, findings: Path) -> bool:
    signal.setitimer(signal.ITIMER_REAL, args.timeout)
    try:
        test(data)
    except BaseException as exc:
        kind = "timeout" if isinstance(exc, Hang) else "crash"
        name = f"{args.harness}-{kind}-{hashlib.sha1(data).hexdigest()}"
        (findings / name).write_bytes(data)
        traceback.print_exc()
        print(f"==ERROR: {kind} ({type(exc).__name__}); input written to {findings / name}", file=sys.stderr)
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return True


def _alarm(signum: int, frame: FrameType | None) -> Any:
    raise Hang("over the per-input time limit")


def _mutate(seed: bytes, rng: random.Random, max_len: int) -> bytes:
    """A few byte-level edits of the kinds libFuzzer makes (flip, set, interesting value, cut, splice)."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(6)
        at = rng.randrange(len(data)) if data else 0
        if not data or choice == 0:
            data[at:at] = bytes([rng.randrange(256)])
        elif choice == 1:
            data[at] ^= 1 << rng.randrange(8)
        elif choice == 2:
            value = rng.choice((0, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x10000))
            data[at : at + 4] = value.to_bytes(4, "little")
        elif choice == 3:
            del data[at:]
        elif choice == 4:
            end = min(len(data), at + rng.randint(1, 64))
            data[at:at] = data[at:end]
        else:
            del data[at : at + rng.randint(1, 16)]
    return bytes(data[:max_len])


if __name__ == "__main__":
    sys.exit(main())
