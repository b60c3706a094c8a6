"""Run a scan on a Dask distributed cluster, with the results a local scan gives, in input order.

The cluster only decides *where* a file is scanned. On each cluster worker, every thread
that scans keeps one long-lived secscan ``Pool`` (``runner.py``): the file is scanned in a
forked secscan worker process under the same per-file time and memory limits as a local
scan, because neither Dask nor Ray can interrupt a running task (a hung parser is C code).
That process keeps the catalog and the OCR models loaded from one file to the next.

Where a file is read: each task carries the file's absolute path with its size and
modification time (whole seconds). A worker that sees a regular file there with the same
two (a shared mount, or the local cluster) reads it in place; otherwise it answers "not
visible", this process reads the file and sends its bytes, and from then on sends the bytes
of every file. Entries that need no reading (walk problems, skips, files over the size limit
or unreadable here) are scanned here, at no cost.

A lost worker (node down, process killed) is the scheduler's business: its tasks are
rescheduled on other workers, up to ``allowed-failures`` times (3, set for a local
cluster; a joined cluster keeps its own setting), after which the file becomes an ``error``
entry. A task that raised is retried once.

Why Dask distributed and not Ray (``python benchmarks/bench_cluster.py``: 2 worker processes,
2,000 tiny text files, this shared 2-core machine, two runs, the second under a load average
of 10; Dask 2026.8.0, Ray 2.60.0):

| | Dask distributed | Ray |
|---|---|---|
| local cluster start-up (to one task answered) | 2.2-2.9 s | 2.8-7.2 s |
| shutdown | 0.2-1.0 s | 1.4 s |
| engine cost per no-op task | 2.7-3.6 ms | 0.8-0.9 ms |
| cost per tiny file (cluster time × workers - serial time) | 6-11 ms | 2.5-3.2 ms |
| RSS of the tree, cluster up and idle | 204 MiB | 715 MiB |
| installed size | 24 MiB (distributed + dask), pure Python | 240 MiB of binaries |
| licence | BSD-3-Clause | Apache-2.0 |

Ray dispatches a few milliseconds faster, which a drive of photos at 2-4 s of OCR each
never notices (10 ms × 100,000 files is 17 minutes of one core, spread over the cluster);
Dask costs a third of the memory at rest, starts and stops faster, is a small pure-Python
install, reschedules a lost worker's tasks by itself, and a Dask worker is a plain Python
process that may fork secscan's worker processes. The same cost means a cluster does not pay
for small files: the 2,000 tiny files take 1.0 s with ``runner.run`` and 19 s with
``run_on_cluster(..., "local")`` (start-up included, under that load).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import stat
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secscan.config import ScanConfig
from secscan.engine.pipeline import read_without_touching, scan_entry
from secscan.engine.runner import Pool
from secscan.errors import brief
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, Status

INSTALL_HINT = "pip install 'secscan[cluster]'"
LOCAL = "local"
ALLOWED_FAILURES = 3  # reschedules of a file whose worker was lost, before it becomes an error
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler
WORKERS_TIMEOUT = 60.0  # seconds for a first worker to be there
_IN_FLIGHT_PER_THREAD = 4  # tasks queued per worker thread: enough to keep it busy between answers
_BUFFERED = 10_000  # finished results held while an earlier file is still being scanned
_IDLE_POOLS = 600.0  # seconds after which a pool left by a scan that never said goodbye is closed

# distributed's client API is only partly typed (mypy --strict rejects its untyped calls): its
# objects are Any here.
Client = Any
Future = Any
Stamp = tuple[int, int]  # (size, whole seconds of mtime): how a worker tells the same file from another


class ClusterUnavailable(Exception):
    """The engine is not installed, or the cluster cannot be started or reached."""


def run_on_cluster(
    entries: Iterable[WalkEntry], config: ScanConfig, jobs: int, address: str
) -> Iterator[list[FileResult]]:
    """Yield, in input order, the results of each entry (the file, then its members), like ``runner.run``.

    ``address`` is ``"local"`` (start a cluster of ``jobs`` worker processes here and stop it
    at the end) or the address of a running scheduler to join (its workers decide the width).
    """
    distributed = _engine()
    with _connected(distributed, address, jobs) as client:
        scan_id = uuid.uuid4().hex
        dispatcher = _Dispatcher(client, config, scan_id)
        try:
            yield from dispatcher.run(entries)
        finally:
            dispatcher.cancel()
            # A shared cluster's workers outlive the scan; a local one's wait for a running task
            # before they stop, and a pool ended first ends that task at once.
            with contextlib.suppress(Exception):
                client.run(_close_pools, scan_id)


def _engine() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterUnavailable(f"a scan on a cluster needs Dask distributed: {INSTALL_HINT}") from None
    return distributed


@contextlib.contextmanager
def _connected(distributed: Any, address: str, jobs: int) -> Iterator[Client]:
    """A client of a local cluster started for this scan, or of the scheduler at ``address``."""
    with contextlib.ExitStack() as stack:
        try:
            if address == LOCAL:
                cluster = _start_local(distributed, jobs)
                stack.callback(cluster.close)
                client = distributed.Client(cluster, set_as_default=False)
            else:
                # A Client that fails on a bad scheme is left half made and hangs 20 s when collected.
                distributed.comm.registry.get_backend(distributed.comm.parse_address(address)[0])
                client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
                stack.callback(client.close)
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            where = "start a local cluster" if address == LOCAL else f"use the cluster at {address}"
            raise ClusterUnavailable(f"cannot {where}: {brief(exc)}") from None
        if address == LOCAL:
            stack.callback(client.close)
        yield client


def _start_local(distributed: Any, jobs: int) -> Any:
    """A local cluster of ``jobs`` worker processes; Ctrl-C or SIGTERM meanwhile stops it once started.

    Dask cannot close a cluster interrupted half-started (its workers are still starting): the
    signal waits the second or two until it can be closed cleanly, then takes effect.
    """
    import dask

    settings = {"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}
    with dask.config.set(settings), _signals_held() as held:
        # memory_limit=0: secscan enforces its own per-file limit; Dask's would pause or
        # restart a worker for what its secscan processes hold.
        cluster = distributed.LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, memory_limit=0,
            dashboard_address=None, silence_logs=logging.ERROR, host="127.0.0.1",
            # No dashboard, and its health endpoint on any free port: another cluster may hold 8787.
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        )  # fmt: skip
    if held:
        cluster.close()
        signal.raise_signal(held[0])
    return cluster


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Record Ctrl-C and SIGTERM instead of acting on them; the caller re-raises them."""
    if threading.current_thread() is not threading.main_thread():
        yield []  # signals reach only the main thread: nothing to hold
        return
    held: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        held.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield held
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python, which cannot be put back
                signal.signal(signum, handler)


@dataclass
class _Slot:
    """One entry on its way: scanned here (``results`` set at once) or by a cluster task."""

    entry: WalkEntry
    index: int
    results: list[FileResult] | None = None


class _Dispatcher:
    def __init__(self, client: Client, config: ScanConfig, scan_id: str) -> None:
        self.client = client
        self.config = config
        self.scan_id = scan_id
        # Sent once to every worker (a joining one copies it from a peer), not once per file:
        # the catalog takes 40 ms to unpickle.
        self.shared_config = client.scatter(config, broadcast=True, hash=False)
        self.ship_bytes = False  # set once a worker could not see a file where it is here
        self.window = _IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
        self.started = self.submitted = 0
        self.flying: dict[str, _Slot] = {}  # by task key
        self.finished = _engine().as_completed(loop=client.loop)  # tasks in flight, as they finish

    def run(self, entries: Iterable[WalkEntry]) -> Iterator[list[FileResult]]:
        source = iter(entries)
        pending: deque[_Slot] = deque()
        exhausted = False
        while True:
            while not exhausted and len(self.flying) < self.window and len(pending) < _BUFFERED:
                entry = next(source, None)
                if entry is None:
                    exhausted = True
                else:
                    pending.append(self._start(entry))
            while pending and (done := pending[0].results) is not None:
                pending.popleft()
                yield done
            if not pending:
                if exhausted:
                    return
                continue
            self._settle_some()

    def cancel(self) -> None:
        if self.flying:
            with contextlib.suppress(Exception):
                self.client.cancel(list(self.flying))
            self.flying.clear()

    def _start(self, entry: WalkEntry) -> _Slot:
        self.started += 1
        slot = _Slot(entry, self.started)
        if entry.problem is not None or entry.skip is not None:
            slot.results = scan_entry(entry, self.config)  # a one-line result, nothing to read
        elif entry.data is not None:
            self._submit(slot, entry, None)
        else:
            try:
                info = os.stat(entry.path)
            except OSError:
                info = None
            if info is None or info.st_size > self.config.limits.max_file_size:
                slot.results = scan_entry(entry, self.config)  # the same error a worker would give
            elif self.ship_bytes:
                self._ship(slot)
            else:
                where = WalkEntry(entry.display, _absolute(entry))
                self._submit(slot, where, (info.st_size, int(info.st_mtime)))
        return slot

    def _ship(self, slot: _Slot) -> None:
        try:
            data = read_without_touching(str(slot.entry.path))
        except OSError:
            slot.results = scan_entry(slot.entry, self.config)  # reports why it cannot be read
            return
        self._submit(slot, WalkEntry(slot.entry.display, slot.entry.path, data=data), None)

    def _submit(self, slot: _Slot, entry: WalkEntry, stamp: Stamp | None) -> None:
        self.submitted += 1
        future = self.client.submit(
            _scan_on_worker, entry, stamp, self.shared_config, self.scan_id,
            key=f"secscan-{self.scan_id}-{self.submitted}", pure=False, retries=1,
            priority=-slot.index,  # earlier files first: results leave in input order
        )  # fmt: skip
        self.flying[future.key] = slot
        self.finished.add(future)

    def _settle_some(self) -> None:
        """Wait for at least one task to finish; take the answers of all that have."""
        done = [next(self.finished), *self.finished.next_batch(block=False)]
        for future in done:
            slot = self.flying.pop(future.key, None)
            if slot is not None:
                self._finish(slot, future)

    def _finish(self, slot: _Slot, future: Future) -> None:
        try:
            answer = future.result()
        except _engine().KilledWorker:
            answer = [_error(slot.entry, f"the cluster lost the worker scanning it {ALLOWED_FAILURES} times")]
        except Exception as exc:
            answer = [_error(slot.entry, f"the cluster could not scan it: {brief(exc)}")]
        finally:
            future.release()
        if answer is None:  # the worker cannot see the file where it is here
            self.ship_bytes = True
            self._ship(slot)
        else:
            slot.results = answer


def _absolute(entry: WalkEntry) -> Path:
    """The path a worker with the same mounts would open: joined to this process's folder, ``..`` kept."""
    return Path(os.getcwd(), entry.path)


def _error(entry: WalkEntry, reason: str) -> FileResult:
    return FileResult(entry.display, "unknown", Status.ERROR, error=reason)


# What follows runs on the cluster's workers.


@dataclass
class _HeldPool:
    pool: Pool
    used: float  # when it last finished a file
    busy: bool = False


_POOLS: dict[tuple[str, int], _HeldPool] = {}
_POOLS_LOCK = threading.Lock()


def _scan_on_worker(
    entry: WalkEntry, stamp: Stamp | None, config: ScanConfig, scan_id: str
) -> list[FileResult] | None:
    """Scan one entry in this thread's pool; None when ``stamp`` says this worker cannot see the file."""
    if stamp is not None and not visible(str(entry.path), stamp):
        return None
    held = _pool_for(scan_id, config)
    try:
        return held.pool.scan(entry)
    finally:
        held.used, held.busy = time.monotonic(), False


def visible(path: str, stamp: Stamp) -> bool:
    """Whether ``path`` here is a regular file of the size and modification second in ``stamp``."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_size, int(info.st_mtime)) == stamp


def _pool_for(scan_id: str, config: ScanConfig) -> _HeldPool:
    # One pool per thread, so a worker with several threads scans several files at once and
    # each pool's processes die with the thread that forked them (PR_SET_PDEATHSIG).
    key = (scan_id, threading.get_ident())
    now = time.monotonic()
    with _POOLS_LOCK:
        held = _POOLS.get(key)
        # Pools of a scan that ended without closing them (its secscan scan was killed outright).
        stale = [
            k for k, h in _POOLS.items() if k[0] != scan_id and not h.busy and now - h.used > _IDLE_POOLS
        ]
        abandoned = [_POOLS.pop(k) for k in stale]
        if held is None:
            # A Dask worker runs as a daemonic process, which multiprocessing forbids to have
            # children; secscan's workers end with it anyway (PR_SET_PDEATHSIG).
            process = multiprocessing.current_process()
            if process.daemon:
                process.daemon = False
            held = _POOLS[key] = _HeldPool(Pool(config, jobs=1), now)
        held.busy = True
    for old in abandoned:
        old.pool.close()
    return held


def _close_pools(scan_id: str) -> int:
    """End the secscan worker processes a scan left on this cluster worker; how many pools."""
    with _POOLS_LOCK:
        mine = [_POOLS.pop(key) for key in [k for k in _POOLS if k[0] == scan_id]]
    for held in mine:
        with contextlib.suppress(Exception):  # a thread still scanning sees its worker gone
            held.pool.close()
    return len(mine)
