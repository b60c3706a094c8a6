"""Run ``scan_entry`` over many files in worker processes, each under a time and a memory limit.

Why processes and not threads: the libraries that read documents are C code
(PDFium, libxml2, ONNX Runtime) that a Python-level timeout cannot interrupt,
and a crafted file can hang or crash them. A worker that passes the per-file
limit is killed and replaced, and its file becomes an ``error`` entry ("timed
out"); a worker past the memory limit (see ``memory.py``), or one that dies
(segfault), likewise. The scan goes on.

Workers never outlive the scan: they ignore Ctrl-C (the parent gets it and ends
them), take SIGTERM's default action, and on Linux ask the kernel to kill them
when the parent dies (``PR_SET_PDEATHSIG``), so a SIGKILLed parent leaves no
orphan still reading files.

Results come back in input order, so reports are deterministic whatever the
number of workers. Workers are forked where the platform allows, so the parsed
catalog and already imported modules are shared rather than rebuilt per worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess

from secscan.config import ScanConfig
from secscan.engine.memory import (
    MEMORY_EXIT,
    Trimmer,
    over_limit_reason,
    proc_available,
    resident,
    watch_own_peak,
)
from secscan.engine.pipeline import scan_entry
from secscan.errors import trace
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, Status

_MEMORY_POLL = 0.05  # seconds between reads of a busy worker's memory


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def workers_for(jobs: int | None, files: int) -> int:
    """How many workers to start: what was asked (or the default), never more than there are files."""
    return min(jobs or default_jobs(), max(1, files))


def run(entries: Iterable[WalkEntry], config: ScanConfig, jobs: int) -> Iterator[list[FileResult]]:
    """Yield, in input order, the results of each entry (the file, then its members)."""
    pool = _Pool(with_ocr_threads(config, jobs), jobs)
    try:
        yield from pool.map(entries)
    except BaseException:  # Ctrl-C, SIGTERM, a consumer that stopped: end the workers now
        pool.close(abort=True)
        raise
    pool.close()


class Pool:
    """Scan one file per call in long-lived worker processes, under the same limits as ``run``.

    For a caller that hands out files itself (the cluster engine keeps one per scanning thread):
    the worker keeps what it loaded (catalog, OCR models) from one call to the next, and a file
    past the time or memory limit costs only its worker, which is killed and replaced. One
    thread uses one pool.
    """

    def __init__(self, config: ScanConfig, jobs: int = 1) -> None:
        self._pool = _Pool(config, jobs)

    def scan(self, entry: WalkEntry) -> list[FileResult]:
        try:
            return next(self._pool.map([entry]))
        except BaseException:
            self._pool.close(abort=True)
            raise

    def close(self) -> None:
        self._pool.close()


def with_ocr_threads(config: ScanConfig, jobs: int) -> ScanConfig:
    """``config`` with the machine's CPUs shared among ``jobs`` workers' OCR, unless already set.

    Measured on 2 cores, 12 photos: one worker on both cores 0.63 pages/s; two workers each on
    both cores 0.52 (they fight); two workers on one core each 0.77.
    """
    if config.ocr_threads is not None:
        return config
    return replace(config, ocr_threads=max(1, (os.cpu_count() or 1) // max(1, jobs)))


def _context() -> ForkContext | SpawnContext:
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection, config: ScanConfig, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's handler
    _die_with_parent(parent_pid)
    if not proc_available():
        watch_own_peak(config.limits.max_memory)
    trimmer = Trimmer()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, entry = task
        retire = False
        try:
            results = scan_entry(entry, config)
        except MemoryError:
            # The heap may be left fragmented and large: answer, then let the parent replace us.
            results, retire = [_memory_error(entry, config)], True
        except Exception as exc:
            error = f"internal error: {exc!r}"
            results = [FileResult(entry.display, "unknown", Status.ERROR, error=error, traceback=trace(exc))]
        conn.send((index, results, retire))
        trimmer.after_file()


def _memory_error(entry: WalkEntry, config: ScanConfig) -> FileResult:
    reason = over_limit_reason(config.limits.max_memory)
    return FileResult(entry.display, "unknown", Status.ERROR, error=reason)


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel SIGKILL this worker when the parent dies, however it dies.

    Without it a parent killed with SIGKILL leaves workers reading files until their pipe
    breaks, or forever in a hung parser. The death signal follows the thread that forked
    us, which is the parent's main thread.
    """
    if sys.platform != "linux":
        return
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):  # no prctl in this libc: the time limit still holds
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None
    entry: WalkEntry | None = None
    started: float = 0.0
    ceiling: int | None = None  # RSS past which it is over the memory limit; set before its first file


@dataclass
class _Pool:
    config: ScanConfig
    jobs: int
    workers: list[_Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ctx = _context()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        args = (child, self.config, os.getpid())
        process = self._ctx.Process(target=_worker_main, args=args, daemon=True)
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
            if idle is None and len(self.workers) >= self.jobs:
                return False
            task = next(pending, None)  # before a worker is started: there may be nothing left to do
            if task is None:
                return True
            if idle is None:
                idle = self._spawn()
                self.workers.append(idle)
            idle.index, idle.entry = task
            idle.started = time.monotonic()
            if idle.ceiling is None and idle.process.pid is not None:
                # Before its first file: what it holds now (mostly the parent's pages it
                # was forked with) is its baseline; the limit is what a file may add.
                baseline = resident(idle.process.pid)
                idle.ceiling = None if baseline is None else baseline + self.config.limits.max_memory
            idle.conn.send(task)

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[int, list[FileResult]]]:
        limit = self.config.limits.timeout
        # Wake often enough to see memory grow (and a time limit pass): reading /proc costs nothing.
        ready = wait([w.conn for w in busy], timeout=_MEMORY_POLL)
        for worker in busy:
            if worker.conn in ready:
                yield self._receive(worker)
            elif time.monotonic() - worker.started > limit:
                reason = f"over a limit: timed out, past the per-file time limit ({limit:g} s)"
                yield self._replace(worker, reason)
            elif self._over_memory(worker):
                yield self._replace(worker, over_limit_reason(self.config.limits.max_memory))

    def _receive(self, worker: _Worker) -> tuple[int, list[FileResult]]:
        try:
            index, results, retire = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=1)  # its exit code says whether it left for memory
            if worker.process.exitcode == MEMORY_EXIT:
                return self._replace(worker, over_limit_reason(self.config.limits.max_memory))
            return self._replace(worker, "the scanner process died reading it (crash or out of memory)")
        if retire or self._over_memory(worker):
            # Its answer stands; a worker left holding too much would wrongly fail the next file.
            _kill(worker)
            self.workers.remove(worker)
        worker.index = worker.entry = None
        return index, results

    def _over_memory(self, worker: _Worker) -> bool:
        if worker.ceiling is None or worker.process.pid is None:
            return False
        return (resident(worker.process.pid) or 0) > worker.ceiling

    def _replace(self, worker: _Worker, reason: str) -> tuple[int, list[FileResult]]:
        assert worker.index is not None and worker.entry is not None
        index, entry = worker.index, worker.entry
        _kill(worker)
        self.workers.remove(worker)
        return index, [FileResult(entry.display, "unknown", Status.ERROR, error=reason)]

    def close(self, abort: bool = False) -> None:
        """End every worker: idle ones are asked to stop, busy ones (all, on ``abort``) are killed."""
        for worker in self.workers:
            if worker.index is None and not abort:
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
