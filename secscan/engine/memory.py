"""How much memory a worker holds, so one file cannot take the machine's memory.

The limit is on resident memory (RSS), not on the address space (``RLIMIT_AS``).
Measured here (2 CPUs, tests/fixtures/images and 12-100 MP photos): a worker
starts at ~30 MB of address space, and once it has OCR'd one picture it maps
1.1-1.4 GB (onnxruntime and OpenBLAS thread stacks, malloc arenas reserved and
never touched) while only 0.3-0.7 GB of it is resident. An address-space limit
of baseline + 1 GiB would fail every OCR, and more cores map more threads.
What exhausts a machine is resident memory, so that is what is measured.

Where it is read from: on Linux the parent reads ``/proc/<pid>/statm`` of each
busy worker whenever it wakes, which works even while the worker is stuck in C
code that holds the GIL. Where there is no ``/proc`` (macOS, BSD) the worker
watches its own peak RSS from ``resource.getrusage`` in a thread and exits with
``MEMORY_EXIT`` when past the limit. Windows has neither (no ``resource``
module); there a file is bounded only by the time limit. psutil would cover all
three but is a compiled dependency for three lines of reading.
"""

from __future__ import annotations

import os
import sys
import threading
import time

MEMORY_EXIT = 86  # a worker's exit code for "past the memory limit", unlike a crash's signal
_STATM = "/proc/self/statm"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_UNITS = (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024))


def proc_available() -> bool:
    """True where a worker's RSS can be read from outside it (Linux ``/proc``)."""
    return os.path.exists(_STATM)


def resident(pid: int) -> int | None:
    """Resident bytes of process ``pid`` now, or None when it cannot be read (gone, no /proc)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def peak_resident() -> int | None:
    """This process's highest RSS so far, or None where ``resource`` is missing (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def watch_own_peak(limit: int, interval: float = 0.05) -> bool:
    """Exit with MEMORY_EXIT once this process's peak RSS passes its start + ``limit``.

    For platforms without ``/proc``; a thread, so it cannot stop C code that holds the
    GIL, which is why Linux measures from the parent instead. False if nothing to watch.
    """
    start = peak_resident()
    if start is None:
        return False
    ceiling = start + limit

    def watch() -> None:
        while True:
            if (peak_resident() or 0) > ceiling:
                os._exit(MEMORY_EXIT)  # no cleanup: the memory is the problem, the parent replaces us
            time.sleep(interval)

    threading.Thread(target=watch, name="secscan-memory-watch", daemon=True).start()
    return True


def describe(size: int) -> str:
    """``1073741824`` -> ``1 GiB``: the size as a person sets it."""
    for unit, scale in _UNITS:
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


def over_limit_reason(limit: int) -> str:
    return f"over a limit: reading it took the scanner over the memory limit ({describe(limit)})"


_TRIM_ABOVE = 64 * 1024 * 1024


class Trimmer:
    """Hands freed heap back to the system after a file that grew the worker (glibc ``malloc_trim``).

    ONNX Runtime and image decoding free hundreds of MB after a photo, but glibc keeps the
    pages: a worker that OCR'd one photo sat at 450 MB instead of 170 MB until it exited,
    which adds up over workers and counts against the next file's memory limit. The trim
    costs ~10 ms, so it runs only after a file that left the worker 64 MB above its start.
    """

    def __init__(self) -> None:
        self._baseline = resident(os.getpid()) or 0
        self._trim = None
        if sys.platform == "linux":
            import ctypes

            try:
                self._trim = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):  # musl or another libc: nothing to call
                self._trim = None

    def after_file(self) -> None:
        if self._trim is None:
            return
        now = resident(os.getpid())
        if now is not None and now > self._baseline + _TRIM_ABOVE:
            self._trim(0)
