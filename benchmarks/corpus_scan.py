"""Scan every file of the shared real-world corpus through the real pipeline, and check fail-closed.

    python benchmarks/corpus_scan.py [--corpus DIR] [--jobs 2] [--timeout 60] [--ocr] [--with-passwords]

Each file runs ``secscan.engine.pipeline.scan_entry`` in its own forked worker with a
time limit, so a crash or a hang is caught and counted, never fatal. Prints
counts by status and by MANIFEST format, the slowest files, and every
violation of the fail-closed rule: an encrypted file (MANIFEST format
``*-encrypted`` or a note saying "encrypted", unless it opens with an empty
password) reported ``clean`` without a supplied password having opened it.
``--with-passwords`` supplies the passwords the MANIFEST notes give.
Exit status 1 when there is a crash, a hang or a violation.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from secscan.config import Limits, ScanConfig  # noqa: E402
from secscan.engine.pipeline import scan_entry  # noqa: E402
from secscan.inputs.walk import WalkEntry  # noqa: E402
from secscan.match.catalog import load_catalog  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "realworld"
_PASSWORD_NOTE = re.compile(r"password(?:s)? (?:is )?'([^']*)'")


@dataclass
class Outcome:
    path: str
    fmt: str
    note: str
    status: str
    kind: str = ""
    error: str = ""
    seconds: float = 0.0
    entries: int = 0
    default_password: bool = False  # opened with Excel's built-in VelvetSweatshop, no password needed
    opened_by_password: bool = False  # clean only with a password the MANIFEST gives for another file


def main() -> int:
    args = _arguments()
    rows = _manifest(args.corpus)
    passwords = _manifest_passwords(rows) if args.with_passwords else ()
    limits = Limits(timeout=args.timeout)
    config = ScanConfig(catalog=load_catalog(), ocr=args.ocr, passwords=passwords, limits=limits)
    _preload()
    started = time.perf_counter()
    outcomes = _run_all(args.corpus, rows, config, args.jobs, args.timeout)
    elapsed = time.perf_counter() - started
    _mark_default_password(args.corpus, outcomes)
    if passwords:
        _mark_opened_by_password(args.corpus, outcomes, config)
    _report(outcomes, elapsed, bool(passwords))
    bad = [o for o in outcomes if o.status in ("crash", "hang") or _violates(o, bool(passwords))]
    return 1 if bad else 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--ocr", action="store_true", help="run OCR on images and scanned pages")
    parser.add_argument("--with-passwords", action="store_true", help="supply the MANIFEST's passwords")
    return parser.parse_args()


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _manifest_passwords(rows: list[dict[str, str]]) -> tuple[str, ...]:
    found = (match.group(1) for row in rows for match in _PASSWORD_NOTE.finditer(row["note"]))
    return tuple(dict.fromkeys(password for password in found if password))


def _preload() -> None:
    """Import every extractor once in the parent, so each forked worker starts warm."""
    import importlib

    from secscan.extractors import EXTRACTORS

    for module in set(EXTRACTORS.values()):
        try:
            importlib.import_module(module)
        except Exception as exc:
            print(f"note: {module} not importable: {exc}", file=sys.stderr)


def _worker(path: str, display: str, config: ScanConfig, conn: Connection) -> None:
    started = time.perf_counter()
    try:
        results = scan_entry(WalkEntry(display, Path(path)), config)
        top = results[0]
        conn.send(("ok", top.status, top.type, top.error or "", time.perf_counter() - started, len(results)))
    except BaseException as exc:
        conn.send(("crash", "crash", "", f"{type(exc).__name__}: {exc}"[:300], 0.0, 0))
    finally:
        conn.close()


def _run_all(
    corpus: Path, rows: list[dict[str, str]], config: ScanConfig, jobs: int, timeout: float
) -> list[Outcome]:
    context = multiprocessing.get_context("fork")
    pending = list(rows)
    running: dict[str, tuple[multiprocessing.process.BaseProcess, Connection, float, dict[str, str]]] = {}
    outcomes: list[Outcome] = []
    while pending or running:
        while pending and len(running) < jobs:
            row = pending.pop(0)
            parent, child = context.Pipe(duplex=False)
            process: multiprocessing.process.BaseProcess = context.Process(
                target=_worker, args=(str(corpus / row["path"]), row["path"], config, child)
            )
            process.start()
            child.close()
            running[row["path"]] = (process, parent, time.perf_counter(), row)
        for key, (process, conn, start, row) in list(running.items()):
            outcome = _collect(process, conn, start, row, timeout)
            if outcome is not None:
                outcomes.append(outcome)
                del running[key]
        time.sleep(0.005)
    return outcomes


def _collect(
    process: multiprocessing.process.BaseProcess,
    conn: Connection,
    start: float,
    row: dict[str, str],
    timeout: float,
) -> Outcome | None:
    base = Outcome(row["path"], row["format"], row["note"], "")
    if conn.poll():
        try:
            _tag, status, kind, error, seconds, entries = conn.recv()
        except EOFError:
            _tag, status, kind, error, seconds, entries = ("crash", "crash", "", "worker died", 0.0, 0)
        process.join()
        base.status, base.kind, base.error, base.seconds, base.entries = status, kind, error, seconds, entries
        return base
    if not process.is_alive():
        process.join()
        base.status, base.error = "crash", f"worker died with exit code {process.exitcode}"
        return base
    if time.perf_counter() - start > timeout + 5:
        process.kill()
        process.join()
        base.status, base.error, base.seconds = "hang", f"no answer after {timeout:.0f}s", timeout
        return base
    return None


def _mark_default_password(corpus: Path, outcomes: list[Outcome]) -> None:
    """Office files "encrypted" with Excel's default password open for anyone, as in Excel."""
    from secscan.errors import ScanError
    from secscan.extractors._common.decrypt import decrypt_office

    for outcome in outcomes:
        if outcome.status == "clean" and _encrypted(outcome):
            try:
                decrypt_office((corpus / outcome.path).read_bytes(), (), outcome.path)
            except ScanError:
                continue
            outcome.default_password = True


def _mark_opened_by_password(corpus: Path, outcomes: list[Outcome], config: ScanConfig) -> None:
    """Clean encrypted files whose own note names no password: clean only thanks to one supplied for
    another file (test suites reuse "password", "1234") when, scanned again without any, they fail."""
    from dataclasses import replace

    from secscan.engine.pipeline import scan_bytes

    bare = replace(config, passwords=())
    for outcome in outcomes:
        if outcome.status == "clean" and _encrypted(outcome) and not outcome.default_password:
            if _PASSWORD_NOTE.search(outcome.note):
                continue
            path = corpus / outcome.path
            again = scan_bytes(outcome.path, path.name, path.read_bytes(), bare)[0]
            outcome.opened_by_password = again.status == "error"


def _encrypted(outcome: Outcome) -> bool:
    if "opens with an empty user password" in outcome.note or "(not encryption)" in outcome.note:
        return False
    note = outcome.note.lower()
    return outcome.fmt.endswith("-encrypted") or note.startswith("encrypted") or "encrypted entries" in note


def _violates(outcome: Outcome, passwords_supplied: bool) -> bool:
    if outcome.status != "clean" or not _encrypted(outcome) or outcome.default_password:
        return False
    if outcome.opened_by_password:
        return False
    # Opened with a supplied password is fine; with none supplied, clean is a leak.
    return not (passwords_supplied and _PASSWORD_NOTE.search(outcome.note))


def _report(outcomes: list[Outcome], elapsed: float, passwords_supplied: bool) -> None:
    statuses = Counter(o.status for o in outcomes)
    print(f"scanned {len(outcomes)} files in {elapsed:.1f} s; passwords supplied: {passwords_supplied}")
    print("status     files")
    for status, count in statuses.most_common():
        print(f"{status:<10} {count:>5}")
    by_format: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        by_format[outcome.fmt][outcome.status] += 1
    columns = ["clean", "flagged", "error", "skipped", "crash", "hang"]
    print("\nformat               " + " ".join(f"{c:>7}" for c in columns))
    for fmt in sorted(by_format, key=lambda f: -sum(by_format[f].values())):
        print(f"{fmt:<20} " + " ".join(f"{by_format[fmt][c]:>7}" for c in columns))
    encrypted = [o for o in outcomes if _encrypted(o)]
    print(
        f"\nencrypted files: {len(encrypted)}; "
        + ", ".join(f"{k} {v}" for k, v in Counter(o.status for o in encrypted).items())
    )
    _list(
        "opened with Excel's built-in password (VelvetSweatshop)", [o for o in outcomes if o.default_password]
    )
    _list(
        "opened with a password supplied for another file (an error without passwords)",
        [o for o in outcomes if o.opened_by_password],
    )
    _list(
        "fail-closed violations (encrypted, reported clean)",
        [o for o in outcomes if _violates(o, passwords_supplied)],
    )
    _list("crashes and hangs", [o for o in outcomes if o.status in ("crash", "hang")])
    print("\nslowest files")
    for outcome in sorted(outcomes, key=lambda o: -o.seconds)[:10]:
        print(f"{outcome.seconds:7.2f} s  {outcome.status:<8} {outcome.path}")


def _list(title: str, items: list[Outcome]) -> None:
    print(f"\n{title}: {len(items)}")
    for outcome in items:
        print(f"  {outcome.path} [{outcome.fmt}] {outcome.status} {outcome.error[:120]}")


if __name__ == "__main__":
    sys.exit(main())
