"""The memory limit: a file that makes its worker hold too much is an error, and the scan goes on.

The file is a real gzip bomb (400 MiB of zeros in 400 KB), read through the real gz
extractor with the ratio and expanded-size limits raised, so only the memory limit can
stop it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from secscan.config import MIB, Limits, ScanConfig
from secscan.engine import runner
from secscan.engine.memory import MEMORY_EXIT, Trimmer, describe, proc_available, resident, watch_own_peak
from secscan.inputs.walk import walk
from secscan.match.catalog import Catalog
from secscan.model import Status

needs_proc = pytest.mark.skipif(not proc_available(), reason="reads RSS from /proc (Linux)")
BOMB_MIB = 400


def only_memory_stops_it(max_memory: int) -> Limits:
    return Limits(max_memory=max_memory, max_ratio=1e6, max_expanded_size=4096 * MIB)


def gzip_bomb(path: Path, mib: int = BOMB_MIB) -> Path:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # wbits 31: a gzip stream, as gzip(1) writes
    zeros = bytes(MIB)
    with path.open("wb") as out:
        for _ in range(mib):
            out.write(packer.compress(zeros))
        out.write(packer.flush())
    return path


@pytest.fixture(scope="module")
def bomb_then_marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("bomb")
    gzip_bomb(tmp_path / "a_bomb.gz")
    (tmp_path / "b_next.txt").write_text("机密★10年\n", encoding="utf-8")
    return tmp_path


@needs_proc
def test_a_file_past_the_memory_limit_is_an_error_and_the_next_is_scanned(
    bomb_then_marked: Path, catalog: Catalog
) -> None:
    config = ScanConfig(catalog=catalog, ocr=False, limits=only_memory_stops_it(64 * MIB))
    results = [r for batch in runner.run(walk([str(bomb_then_marked)]), config, jobs=1) for r in batch]
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["a_bomb.gz"].status == Status.ERROR
    assert "over the memory limit (64 MiB)" in (by_name["a_bomb.gz"].error or "")
    assert by_name["b_next.txt"].status == Status.FLAGGED  # scanned by the worker that replaced it


@pytest.mark.slow
@needs_proc
def test_the_same_bomb_passes_under_a_roomier_limit(bomb_then_marked: Path, catalog: Catalog) -> None:
    # The counterpart: it is the limit that stopped the bomb, not the bomb that broke the reader.
    config = ScanConfig(catalog=catalog, ocr=False, limits=only_memory_stops_it(8192 * MIB))
    results = [r for batch in runner.run(walk([str(bomb_then_marked)]), config, jobs=1) for r in batch]
    assert "memory limit" not in (results[0].error or "")
    assert results[0].status != Status.ERROR


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="an address-space ulimit makes allocations fail on Linux")
def test_memory_error_in_the_worker_becomes_the_memory_limit_error(tmp_path: Path) -> None:
    import resource

    # 1.5 GiB unpacked cannot fit in a 1.2 GB address space, however lean the reader.
    gzip_bomb(tmp_path / "a_bomb.gz", mib=1536)
    (tmp_path / "b_next.txt").write_text("机密★10年\n", encoding="utf-8")

    def address_space_ulimit() -> None:  # like `ulimit -v` in a container: malloc fails, no OOM kill
        resource.setrlimit(resource.RLIMIT_AS, (1200 * MIB, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-m", "secscan", "scan", "-f", "json", "--no-ocr", "--max-memory", "8G",
         "--max-ratio", "1000000", "--max-expanded-size", "4294967296", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False, preexec_fn=address_space_ulimit,
    )  # fmt: skip
    files = {Path(f["path"]).name: f for f in json.loads(done.stdout)["files"]}
    assert files["a_bomb.gz"]["status"] == "error"
    assert "over the memory limit (8 GiB; --max-memory)" in files["a_bomb.gz"]["error"]
    assert files["b_next.txt"]["status"] == "flagged"
    assert done.returncode == 1


def _allocate_under_watch(limit: int) -> None:
    watch_own_peak(limit, interval=0.01)
    hoard = bytearray(256 * MIB)  # zero-filled: every page is touched, so it is resident
    hoard[::4096] = b"x" * len(hoard[::4096])
    multiprocessing.Event().wait(30)  # the watcher ends the process long before this


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a process to watch")
def test_the_watcher_for_systems_without_proc_ends_its_process() -> None:
    process = multiprocessing.get_context("fork").Process(target=_allocate_under_watch, args=(64 * MIB,))
    process.start()
    process.join(60)
    assert process.exitcode == MEMORY_EXIT


@needs_proc
def test_resident_reads_a_live_process_and_not_a_missing_one() -> None:
    own = resident(os.getpid())
    assert own is not None and own > MIB
    assert resident(2**22 + 12345) is None  # above the default pid_max: no such process


@pytest.mark.parametrize(
    "size, text",
    [(1024**3, "1 GiB"), (64 * MIB, "64 MiB"), (1536 * MIB, "1.5 GiB"), (2048, "2 KiB"), (100, "100 bytes")],
)
def test_sizes_are_said_as_people_set_them(size: int, text: str) -> None:
    assert describe(size) == text


@pytest.mark.skipif(sys.platform != "linux", reason="malloc_trim is glibc's; elsewhere it does nothing")
def test_a_worker_gives_back_what_a_file_freed() -> None:
    trimmer = Trimmer()
    start = resident(os.getpid())
    assert start is not None
    # Blocks of 1 KB come from the C heap, not Python's own arenas; every thousandth kept alive
    # pins the heap's top, so glibc keeps the freed pages until asked (as after a photo's OCR).
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(300_000)]
    kept = blocks[::1000]
    del blocks
    held = resident(os.getpid())
    assert held is not None and held > start + 200 * 2**20
    trimmer.after_file()
    after = resident(os.getpid())
    assert after is not None and after < start + 50 * 2**20
    assert len(kept) == 300
