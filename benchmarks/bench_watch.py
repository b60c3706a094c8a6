"""How fast `secscan watch` alerts, and whether its memory stays flat over many files.

    python benchmarks/bench_watch.py [--files 10000] [--rounds 5]

* latency: a marked .docx (python-docx) and a marked photo (tests/fixtures/images) are
  written into the watched folder one at a time; the time from the end of the last
  write to the event's ``event_time`` (targets: < 2 s for a .docx, < 5 s for a photo;
  both include the 1 s settle time). Each copy is made unique (a trailing comment in the
  PNG), so no result cache can answer for it. The first photo is reported apart: it pays
  for loading the OCR models in the worker.
* memory: FILES small text files (every tenth marked) pass through in batches of 500;
  the watcher's RSS (the parent process, which holds the pending files and the bounded
  memory of handed-over ones) is printed as they do. Flat means the last figure is within
  a few MB of the figure at 2,500 files.

The watcher runs as a subprocess, exactly as a user starts it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "tests" / "fixtures" / "images" / "memo_topsecret.png"
BATCH = 500


class Watcher:
    def __init__(self, folder: Path, events: Path) -> None:
        self.events = events
        argv = [sys.executable, "-m", "secscan", "watch", "-v", "--no-initial", "--settle", "1",
                "-f", "jsonl", "-o", str(events), str(folder)]  # fmt: skip
        self.process = subprocess.Popen(argv, stderr=subprocess.DEVNULL, cwd=ROOT)
        self.seen = 0
        time.sleep(2)  # the watch is in place before the first file arrives

    def new_events(self, count: int, timeout: float = 600) -> list[dict[str, object]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.events.read_text(encoding="utf-8").splitlines() if self.events.exists() else []
            if len(lines) >= self.seen + count:
                found = [json.loads(line) for line in lines[self.seen : self.seen + count]]
                self.seen += count
                return found
            time.sleep(0.02)
        raise SystemExit(f"no event after {timeout} s")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=120)


def latency(watcher: Watcher, write: object) -> float:
    written = write()  # type: ignore[operator]
    event = watcher.new_events(1)[0]
    assert event["status"] == "flagged", event
    return datetime.fromisoformat(str(event["event_time"])).timestamp() - float(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_watch-"))
    folder = work / "FileStorage"
    folder.mkdir()
    watcher = Watcher(folder, work / "events.jsonl")
    try:
        measure_latency(watcher, folder, args.rounds)
        measure_memory(watcher, folder, args.files)
    finally:
        code = watcher.stop()
        shutil.rmtree(work)
    print(
        f"SIGTERM: exit {code}; load average over the run: {os.getloadavg()[1]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"reproduce: python benchmarks/bench_watch.py --files {args.files} --rounds {args.rounds}")


def measure_latency(watcher: Watcher, folder: Path, rounds: int) -> None:
    def docx_file(n: int) -> float:
        document = docx.Document()
        for line in ("机密★5年", f"关于第{n}次检查的通知", "本通知所涉事项请各单位遵照执行。"):
            document.add_paragraph(line)
        document.save(str(folder / f"notice{n}.docx"))
        return time.time()

    def photo(n: int) -> float:
        (folder / f"photo{n}.png").write_bytes(PHOTO.read_bytes() + f"copy {n}".encode())
        return time.time()

    docx_times = [latency(watcher, lambda n=n: docx_file(n)) for n in range(rounds)]
    first_photo = latency(watcher, lambda: photo(-1))
    photo_times = [latency(watcher, lambda n=n: photo(n)) for n in range(rounds)]
    docx_median = statistics.median(docx_times)
    print(f"docx  last write -> alert: median {docx_median:.2f} s, max {max(docx_times):.2f} s")
    print(f"photo last write -> alert: median {statistics.median(photo_times):.2f} s, "
          f"max {max(photo_times):.2f} s (first photo, models loading: {first_photo:.2f} s)")  # fmt: skip


def measure_memory(watcher: Watcher, folder: Path, files: int) -> None:
    bulk = folder / "bulk"
    bulk.mkdir()
    print(f"RSS of the watcher at start of the bulk run: {watcher.rss_mb():.1f} MB")
    started = time.monotonic()
    for first in range(0, files, BATCH):
        count = min(BATCH, files - first)
        for n in range(first, first + count):
            text = ("机密★10年\n" if n % 10 == 0 else "") + f"第{n}号 会议纪要，请各单位遵照执行。\n"
            (bulk / f"f{n:05}.txt").write_text(text, encoding="utf-8")
        watcher.new_events(count)
        done = first + count
        if done % 2500 == 0 or done == files:
            print(
                f"RSS after {done:>6} files: {watcher.rss_mb():.1f} MB  ({time.monotonic() - started:.0f} s)"
            )


if __name__ == "__main__":
    main()
