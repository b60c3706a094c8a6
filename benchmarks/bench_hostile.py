"""Hostile inputs, each scanned by the CLI in its own process: status, time and peak memory.

    python benchmarks/bench_hostile.py [--gigabytes 2] [--timeout 30]

Builds the bomb corpus of tests/fixtures/make_bombs.py in a temporary folder
(a PDF Flate bomb and its control, a billion-laughs .docx, zip/gz/bz2/xz/7z
bombs, a zip member declared small that inflates big, a PNG pixel bomb, a TIFF
with a huge second page and one of many pages, a 40-deep nested zip) plus a
plain small text file, then runs ``python -m secscan scan --format json`` on
each in a fresh process. Time and peak RSS come from ``os.wait4`` (that one
child's rusage). Each case is built in a child process too: Linux carries a
process's peak RSS over fork and exec, so building a bomb in this process would
inflate every later scan's figure. Both figures are printed as ratios to the plain file measured in
this same run, because absolute figures depend on the machine. Every hostile
case should end ``error`` (or ``skipped``), never ``clean``; the last column
says which limit stopped it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import make_bombs  # noqa: E402

MIB = make_bombs.MIB


def cases(gigabytes: float) -> dict[str, Callable[[], bytes]]:
    size = int(gigabytes * 1024) * MIB
    return {
        "plain.txt": lambda: "为进一步做好年度工作，现将有关事项通知如下。\n".encode() * 50,
        "pdf_control.pdf": lambda: make_bombs.pdf_bomb(0, "control"),
        "pdf_flate_bomb.pdf": lambda: make_bombs.pdf_bomb(size),
        "pdf_form_bomb.pdf": lambda: make_bombs.pdf_bomb(size, "form"),
        "billion_laughs.docx": make_bombs.billion_laughs_docx,
        "zip_bomb.zip": lambda: make_bombs.zip_bomb(size),
        "zip_lying_size.zip": lambda: make_bombs.zip_lying_size(256 * MIB),
        "gz_bomb.gz": lambda: make_bombs.gz_bomb(size),
        "bz2_bomb.bz2": lambda: make_bombs.bz2_bomb(size // 2),
        "xz_bomb.xz": lambda: make_bombs.xz_bomb(size // 2),
        "tar_gz_bomb.tar.gz": lambda: make_bombs.tar_bomb(size // 2),
        "nested_40.zip": lambda: make_bombs.nested_zip(40),
        "png_pixel_bomb.png": make_bombs.png_pixel_bomb,
        "tiff_big_page2.tiff": make_bombs.tiff_big_second_page,
        "tiff_2000_pages.tiff": lambda: make_bombs.tiff_many_pages(2000),
    }


def scan(path: Path, timeout: float) -> tuple[str, str, float, int]:
    """Status, error, wall seconds and peak RSS (KiB) of one CLI scan in its own process."""
    command = [
        sys.executable,
        "-m",
        "secscan",
        "scan",
        "--format",
        "json",
        "--timeout",
        str(timeout),
        str(path),
    ]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, _, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = 0  # reaped by wait4; keep Popen from waiting again
        out.seek(0)
        try:
            entry = json.loads(out.read())["files"][0]
        except (ValueError, KeyError, IndexError):
            return "no report", "", seconds, usage.ru_maxrss
    return entry["status"], entry.get("error") or "", seconds, usage.ru_maxrss


def build(name: str, path: Path, gigabytes: float) -> None:
    """Write case ``name`` to ``path`` from a child process, so this one's peak RSS stays small."""
    command = [sys.executable, __file__, "--build", name, str(path), "--gigabytes", str(gigabytes)]
    subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0, help="expanded size of the bombs")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-file time limit passed to the scan")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        Path(args.build[1]).write_bytes(cases(args.gigabytes)[args.build[0]]())
        return
    ratio, seconds = "x plain", "seconds"
    print(f"{'case':<22} {'bytes':>10} {'status':<8} {seconds:>8} {ratio:>8} {'peak MB':>8} {ratio:>8}  why")
    base: tuple[float, int] | None = None
    with tempfile.TemporaryDirectory() as folder:
        for name in cases(args.gigabytes):
            path = Path(folder) / name
            build(name, path, args.gigabytes)
            status, error, seconds, peak = scan(path, args.timeout)
            base = base or (seconds, peak)
            size = path.stat().st_size
            print(
                f"{name:<22} {size:>10,} {status:<8} {seconds:>8.2f} {seconds / base[0]:>8.1f} "
                f"{peak / 1024:>8.0f} {peak / base[1]:>8.2f}  {error[:110]}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
