"""Run ``scan_entry`` over many files in worker processes, each file under a time limit.

Why processes and not threads: the libraries that read documents are C code
(PDFium, libxml2, ONNX Runtime) that a Python-level timeout cannot interrupt,
and a crafted file can hang or crash them. A worker that passes the per-file
limit is killed and replaced, and its file becomes an ``error`` entry ("timed
out"); a worker that dies (segfault, out of memory) likewise. The scan goes on.

Results come back in input order, so reports are deterministic whatever the
number of workers. Workers are forked where the platform allows, so the parsed
catalog and already imported modules are shared rather than rebuilt per worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess

from secscan.config import ScanConfig
from secscan.engine.pipeline import scan_entry
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, Status


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def run(entries: Iterable[WalkEntry], config: ScanConfig, jobs: int) -> Iterator[list[FileResult]]:
    """Yield, in input order, the results of each entry (the file, then its members)."""
    pool = _Pool(config, jobs)
    try:
        yield from pool.map(entries)
    finally:
        pool.close()


def _context() -> ForkContext | SpawnContext:
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection, config: ScanConfig) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends workers
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, entry = task
        try:
            results = scan_entry(entry, config)
        except Exception as exc:
            results = [FileResult(entry.display, "unknown", Status.ERROR, error=f"internal error: {exc!r}")]
        conn.send((index, results))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None
    entry: WalkEntry | None = None
    started: float = 0.0


@dataclass
class _Pool:
    config: ScanConfig
    jobs: int
    workers: list[_Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ctx = _context()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.config), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def map(self, entries: Iterable[WalkEntry]) -> Iterator[list[FileResult]]:
        pending = iter(enumerate(entries))
        done: dict[int, list[FileResult]] = {}
        next_out = 0
        exhausted = False
        while True:
            exhausted = self._feed(pending) if not exhausted else True
            busy = [w for w in self.workers if w.index is not None]
            if not busy and exhausted:
                break
            for index, results in self._collect(busy):
                done[index] = results
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1

    def _feed(self, pending: Iterator[tuple[int, WalkEntry]]) -> bool:
        """Give idle workers work; True once every entry has been handed out."""
        while True:
            idle = next((w for w in self.workers if w.index is None), None)
            if idle is None and len(self.workers) < self.jobs:
                idle = self._spawn()
                self.workers.append(idle)
            if idle is None:
                return False
            task = next(pending, None)
            if task is None:
                return True
            idle.index, idle.entry = task
            idle.started = time.monotonic()
            idle.conn.send(task)

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[int, list[FileResult]]]:
        limit = self.config.limits.timeout
        soonest = min(w.started for w in busy) + limit - time.monotonic() if busy else 0.0
        ready = wait([w.conn for w in busy], timeout=max(0.05, min(soonest, 1.0)))
        for worker in busy:
            if worker.conn in ready:
                try:
                    index, results = worker.conn.recv()
                except (EOFError, OSError):
                    yield self._replace(
                        worker, "the scanner process died reading it (crash or out of memory)"
                    )
                    continue
                worker.index = worker.entry = None
                yield index, results
            elif time.monotonic() - worker.started > limit:
                reason = f"over a limit: timed out, past the per-file time limit ({limit:g} s)"
                yield self._replace(worker, reason)

    def _replace(self, worker: _Worker, reason: str) -> tuple[int, list[FileResult]]:
        assert worker.index is not None and worker.entry is not None
        index, entry = worker.index, worker.entry
        _kill(worker)
        self.workers.remove(worker)
        return index, [FileResult(entry.display, "unknown", Status.ERROR, error=reason)]

    def close(self) -> None:
        for worker in self.workers:
            if worker.index is None:
                with contextlib.suppress(OSError):  # the worker is already gone
                    worker.conn.send(None)
            else:
                _kill(worker)
        for worker in self.workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                _kill(worker)
        self.workers.clear()


def _kill(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(timeout=5)
    worker.conn.close()
