"""Worker processes: results in input order, a hung or crashing reader costs one file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from secscan.config import Limits, ScanConfig
from secscan.engine import runner
from secscan.inputs.walk import WalkEntry, walk
from secscan.match.catalog import load_catalog
from secscan.model import FileResult, Status


def _fake_scan(entry: WalkEntry, config: ScanConfig) -> list[FileResult]:
    name = Path(entry.display).name
    if name.startswith("hang"):
        time.sleep(60)
    if name.startswith("crash"):
        os._exit(3)
    if name.startswith("slow"):
        time.sleep(0.3)
    return [FileResult(entry.display, "text", Status.CLEAN)]


@pytest.fixture
def config() -> ScanConfig:
    return ScanConfig(catalog=load_catalog(), limits=Limits(timeout=1.0))


def test_hang_and_crash_become_errors_and_order_is_kept(
    tmp_path: Path, config: ScanConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["a.txt", "hang.txt", "slow.txt", "crash.txt", "z.txt"]
    for name in names:
        (tmp_path / name).write_text("x")
    monkeypatch.setattr(runner, "scan_entry", _fake_scan)  # workers are forked after this
    started = time.monotonic()
    results = [r for batch in runner.run(walk([str(tmp_path)]), config, jobs=2) for r in batch]
    assert [Path(r.path).name for r in results] == sorted(names)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["hang.txt"].status == Status.ERROR and "timed out" in (by_name["hang.txt"].error or "")
    assert by_name["crash.txt"].status == Status.ERROR and "died" in (by_name["crash.txt"].error or "")
    assert by_name["a.txt"].status == by_name["z.txt"].status == Status.CLEAN
    assert time.monotonic() - started < 30  # the hung worker was killed, not waited for
