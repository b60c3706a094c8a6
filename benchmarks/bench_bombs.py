"""Time and peak memory of scanning hostile containers, as ratios to a plain small zip.

    python benchmarks/bench_bombs.py [--gigabytes 1.5]

Every case is built in this run with real libraries (zipfile, gzip, pyzipper)
or taken from tests/fixtures/containers, then scanned through
``secscan.engine.pipeline.scan_bytes`` in a fresh forked process, whose peak RSS
(``ru_maxrss``) and wall time are reported. Each hostile case must end as an
``error``; the table says which limit stopped it.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import sys
import time
import zipfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))  # the bomb builders the tests use

from make_bombs import gz_bomb as zeros_gzip  # noqa: E402
from make_bombs import zip_bomb as zeros_zip  # noqa: E402

from secscan.config import ScanConfig  # noqa: E402
from secscan.engine.pipeline import scan_bytes  # noqa: E402
from secscan.match.catalog import load_catalog  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "containers"
MIB = 1024 * 1024


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def nested(depth: int) -> bytes:
    data, name = "机密★5年\n".encode(), "core.txt"
    for level in range(depth):
        data, name = zip_of({name: data}), f"level{level}.zip"
    return data


def fan_out(leaf: bytes, width: int, levels: int) -> bytes:
    """42.zip's shape: ``width`` copies of the level below, ``levels`` times."""
    data = leaf
    for level in range(levels):
        data = zip_of({f"l{level}-{n}.zip": data for n in range(width)})
    return data


def cases(gigabytes: float) -> dict[str, Callable[[], bytes]]:
    size = int(gigabytes * 1024) * MIB
    return {
        "plain small zip (baseline)": lambda: zip_of(
            {f"doc{n}.txt": b"hello world\n" * 200 for n in range(5)}
        ),
        f"zip bomb, {gigabytes:g} GB member": lambda: zeros_zip(size),
        f"gzip bomb, {gigabytes:g} GB": lambda: zeros_gzip(size),
        "42.zip shape, 16x16 of 64 MB leaves": lambda: fan_out(zeros_zip(64 * MIB), 16, 2),
        "20-deep nested zip": lambda: nested(20),
        "AES-encrypted member": lambda: (FIXTURES / "aes.zip").read_bytes(),
        "droste.zip (contains itself)": lambda: (FIXTURES / "droste.zip").read_bytes(),
        "quine.gz (contains itself)": lambda: (FIXTURES / "quine.gz").read_bytes(),
    }


def _worker(data: bytes, conn: Connection) -> None:
    config = ScanConfig(catalog=load_catalog(), ocr=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    results = scan_bytes("case", "case.bin", data, config)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    top = results[0]
    conn.send((seconds, peak, peak - before, top.status, (top.error or "")[:90], len(results)))
    conn.close()


def measure(data: bytes) -> tuple[float, int, int, str, str, int]:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(data, child))
    process.start()
    child.close()
    result: tuple[float, int, int, str, str, int] = parent.recv()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gigabytes", type=float, default=1.5, help="expanded size of the bombs")
    args = parser.parse_args()
    load_catalog()  # warm imports before forking
    print(
        f"{'case':<38} {'input':>9} {'status':<7} {'seconds':>8} {'x base':>7} {'peak MB':>8} "
        f"{'x base':>7} {'entries':>7}  why"
    )
    base: tuple[float, int] | None = None
    for name, build in cases(args.gigabytes).items():
        data = build()
        seconds, peak, _grown, status, error, entries = measure(data)
        base = base or (max(seconds, 1e-4), peak)
        print(
            f"{name:<38} {len(data):>9,} {status:<7} {seconds:>8.3f} {seconds / base[0]:>7.1f} "
            f"{peak / 1024:>8.1f} {peak / base[1]:>7.2f} {entries:>7}  {error}"
        )


if __name__ == "__main__":
    main()
