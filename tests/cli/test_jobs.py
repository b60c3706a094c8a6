"""``-j N`` is a budget of N CPUs: worker processes first, OCR threads with what is left over.

The runner is replaced by one that records what it was asked for, so the test sees the split
of CPUs the scan command decides, without starting workers or loading OCR models.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from secscan.cli.scan import _scan_batches
from secscan.config import ScanConfig
from secscan.engine import runner
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, Status


def asked(
    monkeypatch: pytest.MonkeyPatch, config: ScanConfig, files: int, jobs: int | None, tmp_path: Path
) -> tuple[int | None, int]:
    """(OCR threads per worker, workers) that the scan command hands the runner."""
    seen: list[tuple[int | None, int]] = []

    def recording_run(
        entries: Iterable[WalkEntry], config: ScanConfig, workers: int
    ) -> Iterator[list[FileResult]]:
        seen.append((config.ocr_threads, workers))
        for entry in entries:
            yield [FileResult(entry.display, "text", Status.CLEAN)]

    monkeypatch.setattr(runner, "run", recording_run)
    entries = []
    for n in range(files):
        path = tmp_path / f"photo{n}.txt"
        path.write_text("值班安排\n", encoding="utf-8")
        entries.append(WalkEntry(str(path), path))
    done = list(_scan_batches([str(tmp_path)], entries, config, jobs, show_progress=False))
    assert len(done) == files
    return seen[0]


def test_one_job_is_one_cpu_even_for_a_single_photo(
    monkeypatch: pytest.MonkeyPatch, scan_config: ScanConfig, tmp_path: Path
) -> None:
    assert asked(monkeypatch, scan_config, 1, 1, tmp_path) == (1, 1)
    assert asked(monkeypatch, scan_config, 10, 1, tmp_path) == (1, 1)


def test_cpus_left_over_by_few_files_become_ocr_threads(
    monkeypatch: pytest.MonkeyPatch, scan_config: ScanConfig, tmp_path: Path
) -> None:
    assert asked(monkeypatch, scan_config, 1, 4, tmp_path) == (4, 1)
    assert asked(monkeypatch, scan_config, 2, 4, tmp_path) == (2, 2)
    assert asked(monkeypatch, scan_config, 10, 4, tmp_path) == (1, 4)


def test_without_jobs_the_runner_shares_the_machine_and_a_set_thread_count_is_kept(
    monkeypatch: pytest.MonkeyPatch, scan_config: ScanConfig, tmp_path: Path
) -> None:
    # no -j: left to runner.with_ocr_threads, which divides os.cpu_count() among the workers
    assert asked(monkeypatch, scan_config, 3, None, tmp_path)[0] is None
    assert runner.with_ocr_threads(scan_config, 1).ocr_threads == max(1, os.cpu_count() or 1)
    chosen = dataclasses.replace(scan_config, ocr_threads=3)
    assert asked(monkeypatch, chosen, 10, 2, tmp_path)[0] == 3
