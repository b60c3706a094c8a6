"""The result cache: a file read once is not read again until it, or secscan, changes.

An audit of a shared drive runs every month over 100,000 files, most of them
unchanged, many of them photos that cost seconds of OCR. So every result that
can be reused is kept in SQLite (standard library, safe across processes with
WAL and a busy timeout) in the user's cache folder (platformdirs), under two
tables:

- ``files``: a hash of a file's real path → its size, mtime, inode, device and
  content hash. A re-audit stats a file, finds the same four values and reads
  nothing.
- ``results``: a hash of (content, file name, nesting depth, scan key) → the
  file's result and its members'. The same attachment in 500 forwarded e-mails
  is read once, because members are looked up by their own content too.

The **scan key** hashes everything that changes a result: secscan's version and
source files, the catalog files, the OCR engine and its model files, the limits,
the threshold and the passwords. Change any and nothing old matches.

What is kept, and what never is (the cache must not become a leak):
- ``clean`` and ``skipped`` results, and ``flagged`` ones whose every finding
  stands alone on its line (its context is the marking itself), so the only
  document text written is a matched marking. A finding inside a longer line, a
  declassified mark, a label or an evidence picture makes the file be read again
  on every run (its report needs that text). An ``error`` is read again too (a
  timeout on a busy machine is no fact about the file). Under ``--redact``
  nothing but clean whole files is kept: no text at all;
- paths only as hashes; member names as the report shows them, except under
  ``--redact``, which keeps only whole files with no members (no text at all);
- the folder is created 0700 and the database 0600.

A damaged database is never trusted: every payload carries its own checksum,
and a database SQLite cannot read is moved aside and rebuilt. Any cache
failure makes the scan read the file, never skip it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
import time
import zlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from secscan.config import ScanConfig
from secscan.inputs.walk import WalkEntry
from secscan.model import (
    Coverage,
    FileResult,
    Finding,
    Level,
    Location,
    OcrModels,
    PageBox,
    SkippedPart,
    Status,
)

CACHE_ENV = "SECSCAN_CACHE_DIR"
DATABASE = "results.sqlite3"
_SCHEMA = 1
_BUSY_MS = 10_000
_TABLES = """
CREATE TABLE IF NOT EXISTS files (
    path_key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, device INTEGER,
    content TEXT, seen REAL);
CREATE TABLE IF NOT EXISTS results (
    result_key TEXT PRIMARY KEY, payload BLOB, checksum TEXT, members INTEGER, expanded INTEGER, stored REAL);
CREATE TABLE IF NOT EXISTS audits (
    audit_id TEXT PRIMARY KEY, total INTEGER, done INTEGER, started REAL, ended REAL);
"""


def default_folder() -> Path:
    """``$SECSCAN_CACHE_DIR``, else the user's cache folder for secscan."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("secscan", appauthor=False))


@dataclass(frozen=True)
class Spent:
    """What a member's subtree took from the archive budget, charged again when its result is reused."""

    members: int
    expanded: int


class ResultCache:
    """One process's connection to the cache database."""

    def __init__(self, folder: Path, scan_key: str, redact: bool = False) -> None:
        self.folder = folder
        self.scan_key = scan_key
        self.redact = redact
        self._db = _connect(folder)

    # -- whole files, by path --------------------------------------------------------------

    def known(self, entry: WalkEntry) -> list[FileResult] | None:
        """The cached results of an unchanged walked file, without reading it; None to scan it."""
        if entry.data is not None or entry.problem is not None or entry.skip is not None:
            return None
        try:
            info = os.stat(entry.path)
        except OSError:
            return None
        row = self._query(
            "SELECT size, mtime_ns, inode, device, content FROM files WHERE path_key = ?",
            (_path_key(entry.path),),
        )
        if row is None or tuple(row[:4]) != _identity(info):
            return None
        found = self.lookup(str(row[4]), entry.path.name, 0)
        return None if found is None else rebased(found[0], entry.display)

    def remember(self, entry: WalkEntry, before: os.stat_result, content: str) -> None:
        """Record that the file at ``entry.path`` (as stat'ed before it was read) holds ``content``."""
        try:
            after = os.stat(entry.path)
        except OSError:
            return
        if _identity(after) != _identity(before):
            return  # changed while it was read: its hash may belong to neither version
        values = (_path_key(entry.path), *_identity(before), content, time.time())
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", values)

    # -- any content, by hash -------------------------------------------------------------

    def lookup(self, content: str, name: str, depth: int) -> tuple[list[FileResult], Spent] | None:
        """Results stored for this content under this name and depth (paths relative to it), or None."""
        row = self._query(
            "SELECT payload, checksum, members, expanded FROM results WHERE result_key = ?",
            (self._result_key(content, name, depth),),
        )
        if row is None:
            return None
        payload, checksum = bytes(row[0]), str(row[1])
        if hashlib.sha256(payload).hexdigest() != checksum:
            return None
        try:
            results = [_decode(item) for item in json.loads(zlib.decompress(payload))]
        except (ValueError, KeyError, TypeError, zlib.error):
            return None
        return results, Spent(int(row[2]), int(row[3]))

    def store(self, content: str, name: str, depth: int, results: list[FileResult], spent: Spent) -> None:
        """Keep ``results`` (of the file shown as ``results[0].path``) when they may be kept."""
        if not keepable(results, self.redact):
            return
        base = results[0].path
        items = [_encode(r, r.path[len(base) :]) for r in results]
        payload = zlib.compress(json.dumps(items, ensure_ascii=False).encode())
        values = (
            self._result_key(content, name, depth),
            payload,
            hashlib.sha256(payload).hexdigest(),
            spent.members,
            spent.expanded,
            time.time(),
        )
        self._write("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)", values)

    # -- audits -----------------------------------------------------------------------------

    def audit_started(self, audit_id: str, total: int) -> tuple[int, bool] | None:
        """Record an audit's start; (files done, ended) of an earlier run of the same audit, if any."""
        row = self._query("SELECT done, ended FROM audits WHERE audit_id = ?", (audit_id,))
        self._write(
            "INSERT OR REPLACE INTO audits VALUES (?, ?, ?, ?, NULL)",
            (audit_id, total, 0 if row is None else int(row[0]), time.time()),
        )
        return None if row is None else (int(row[0]), row[1] is not None)

    def audit_progress(self, audit_id: str, done: int, ended: bool = False) -> None:
        self._write(
            "UPDATE audits SET done = ?, ended = ? WHERE audit_id = ?",
            (done, time.time() if ended else None, audit_id),
        )

    # -- housekeeping -----------------------------------------------------------------------

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    def _result_key(self, content: str, name: str, depth: int) -> str:
        return _digest(f"{content}\0{name}\0{depth}\0{self.scan_key}")

    def _query(self, sql: str, values: tuple[Any, ...]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._db.execute(sql, values).fetchone()
        except sqlite3.Error:
            return None  # locked past the busy timeout, or damaged: read the file instead
        return row

    def _write(self, sql: str, values: tuple[Any, ...]) -> None:
        with contextlib.suppress(sqlite3.Error), self._db:  # a result not kept is only read next time
            self._db.execute(sql, values)


def keepable(results: list[FileResult], redact: bool) -> bool:
    """Whether results may be cached: no document text but matched markings, nothing a rerun could change.

    A flagged photo is the costliest file to read again (seconds of OCR), and its marking
    usually stands alone on its line (a 版头 mark, a banner, a stamp), so such results are
    kept: what the report shows of them is the marking and nothing else.
    """
    if redact:
        return len(results) == 1 and results[0].status == Status.CLEAN and not results[0].findings
    for result in results:
        if result.status not in (Status.CLEAN, Status.SKIPPED, Status.FLAGGED):
            return False
        if result.waived or result.label_mismatch or result.traceback:
            return False
        if not all(_only_the_marking(f) for f in (*result.findings, *result.suppressed)):
            return False
    return True


def _only_the_marking(finding: Finding) -> bool:
    return (
        finding.context == finding.match
        and finding.original_level is None  # its reason quotes the release marking's line
        and finding.evidence is None  # a picture of the page
    )


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_key(config: ScanConfig) -> str:
    """A hash of everything besides the content that decides a result (see the module docstring)."""
    limits = config.limits
    parts = [
        _code_fingerprint(),
        _catalog_fingerprint(tuple(sorted({str(p.source) for p in config.catalog.patterns}))),
        ",".join(sorted(config.catalog.disabled)),
        # A flagged result read with OCR stopped early, or without evidence crops, is kept too:
        # it must not answer a run that reads whole pages or wants the crops.
        f"{config.threshold}|{config.ocr}|{config.ocr_engine}|{config.show_suppressed}",
        f"{config.ocr_stop_at}|{config.evidence}",
        f"{limits.max_file_size}|{limits.max_expanded_size}|{limits.max_ratio}|{limits.max_depth}",
        f"{limits.max_members}|{limits.timeout}|{limits.max_memory}",
        _digest("\0".join(config.passwords)),
        _ocr_fingerprint(config.ocr_engine) if config.ocr else "no-ocr",
    ]
    return _digest("\n".join(parts))


def audit_id(paths: list[str], key: str) -> str:
    """The same paths scanned with the same settings are the same audit."""
    resolved = sorted(os.path.realpath(p) if p != "-" else "-" for p in paths)
    return _digest("\0".join([*resolved, key]))[:16]


_PER_PROCESS: dict[tuple[int, str, str, bool], ResultCache | None] = {}


def for_process(folder: str, key: str, redact: bool) -> ResultCache | None:
    """This process's cache (a forked worker opens its own connection); None when it cannot be opened."""
    slot = (os.getpid(), folder, key, redact)
    if slot not in _PER_PROCESS:
        try:
            _PER_PROCESS[slot] = ResultCache(Path(folder), key, redact)
        except (OSError, sqlite3.Error):
            _PER_PROCESS[slot] = None
    return _PER_PROCESS[slot]


def info(folder: Path) -> dict[str, Any]:
    """What ``secscan cache info`` shows: where the cache is, its size and what it holds."""
    path = folder / DATABASE
    facts: dict[str, Any] = {"folder": str(folder), "database": str(path), "exists": path.exists()}
    if not path.exists():
        return facts
    facts["bytes"] = sum(f.stat().st_size for f in folder.glob(DATABASE + "*") if f.is_file())
    try:
        db = _connect(folder)
        for table in ("files", "results", "audits"):
            facts[table] = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        db.close()
    except sqlite3.Error as exc:
        facts["problem"] = str(exc)
    return facts


def clear(folder: Path) -> int:
    """Delete the cache database (and its WAL files); the bytes freed."""
    freed = 0
    for file in folder.glob(DATABASE + "*"):
        with contextlib.suppress(FileNotFoundError):
            freed += file.stat().st_size
            file.unlink()
    return freed


# -- internals ------------------------------------------------------------------------------


def _connect(folder: Path) -> sqlite3.Connection:
    """Open (making it private, and rebuilding it when damaged) the database in ``folder``."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        with contextlib.suppress(OSError):  # someone else's folder: keep using it, but not ours to fix
            os.chmod(folder, 0o700)
    path = folder / DATABASE
    for attempt in (1, 2):
        try:
            return _open(path)
        except sqlite3.DatabaseError:
            if attempt == 2:
                raise
            _move_aside(path)
    raise AssertionError("unreachable")


def _open(path: Path) -> sqlite3.Connection:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # created private before SQLite touches it
    os.close(fd)
    db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, _SCHEMA):
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {_SCHEMA}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if version == 0:
            db.executescript(_TABLES)
            db.execute(f"PRAGMA user_version = {_SCHEMA}")
        db.execute("SELECT COUNT(*) FROM audits").fetchone()  # fails on a damaged file
    except sqlite3.Error:
        db.close()
        raise sqlite3.DatabaseError(f"unusable cache database {path}") from None
    return db


def _move_aside(path: Path) -> None:
    """A damaged database is never trusted: it and its WAL files go, and a new one is made."""
    for file in path.parent.glob(path.name + "*"):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev


def _path_key(path: Path) -> str:
    return _digest(os.path.realpath(path))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def rebased(results: list[FileResult], display: str) -> list[FileResult]:
    """Stored results carry paths relative to their file (``""``, ``"!member"``): give them ``display``."""
    return [replace(r, path=display + r.path) for r in results]


def _encode(result: FileResult, suffix: str) -> dict[str, Any]:
    coverage = result.coverage
    return {
        "path": suffix,
        "type": result.type,
        "status": str(result.status),
        "level": int(result.level),
        "error": result.error,
        "parts": list(coverage.parts),
        "pages": coverage.pages,
        "skipped": [[s.part, s.reason] for s in coverage.skipped],
        "ocr": None if coverage.ocr is None else list(dataclasses.astuple(coverage.ocr)),
        "findings": [_encode_finding(f) for f in result.findings],
        "suppressed": [_encode_finding(f) for f in result.suppressed],
    }


def _encode_finding(finding: Finding) -> dict[str, Any]:
    where = finding.location
    return {
        "rule": finding.rule,
        "level": int(finding.level),
        "match": finding.match,
        "where": [where.part, where.page, where.line, where.origin],
        "box": None if where.box is None else list(dataclasses.astuple(where.box)),
        "confidence": finding.confidence,
        "reasons": list(finding.reasons),
        "span": list(finding.span),
        "description": finding.description,
    }


def _decode_finding(item: dict[str, Any]) -> Finding:
    part, page, line, origin = item["where"]
    box = item["box"]
    match = str(item["match"])
    return Finding(
        rule=str(item["rule"]),
        level=Level(int(item["level"])),
        match=match,
        location=Location(str(part), page, line, str(origin), None if box is None else PageBox(*box)),
        confidence=float(item["confidence"]),
        reasons=tuple(str(r) for r in item["reasons"]),
        context=match,  # only findings whose context is their match are kept
        span=(int(item["span"][0]), int(item["span"][1])),
        description=str(item["description"]),
    )


def _decode(item: dict[str, Any]) -> FileResult:
    ocr = item["ocr"]
    coverage = Coverage(
        parts=tuple(str(p) for p in item["parts"]),
        pages=item["pages"],
        skipped=tuple(SkippedPart(str(part), str(reason)) for part, reason in item["skipped"]),
        ocr=None if ocr is None else OcrModels(*(str(x) for x in ocr)),
    )
    return FileResult(
        str(item["path"]),
        str(item["type"]),
        Status(item["status"]),
        level=Level(int(item["level"])),
        error=item["error"],
        coverage=coverage,
        findings=tuple(_decode_finding(f) for f in item.get("findings", ())),
        suppressed=tuple(_decode_finding(f) for f in item.get("suppressed", ())),
    )


@cache
def _code_fingerprint() -> str:
    """secscan's version and the size and mtime of its own files: a changed checkout is a new scanner."""
    from secscan import __version__

    package = Path(__file__).resolve().parent.parent
    entries = [__version__]
    for folder, _, names in os.walk(package):
        for name in names:
            if name.endswith((".py", ".toml", ".tsv", ".json")):
                info = os.stat(os.path.join(folder, name))
                entries.append(f"{folder[len(str(package)) :]}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return _digest("\n".join(sorted(entries)))


@cache
def _catalog_fingerprint(sources: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        with contextlib.suppress(OSError):
            digest.update(source.encode() + b"\0" + Path(source).read_bytes())
    return digest.hexdigest()


@cache
def _ocr_fingerprint(engine: str) -> str:
    """The engine, its version and its model files' names, sizes and mtimes (a stat, not a 50 ms hash)."""
    from importlib import util

    package = "pytesseract" if engine == "tesseract" else "rapidocr"
    try:
        spec = util.find_spec(package)  # where, without importing it (onnxruntime costs 100 ms)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return f"{engine}:absent"
    folder = Path(spec.origin).parent
    files = [_installed_version(package, folder.parent)]
    models = folder / "models" if engine != "tesseract" else Path("/usr/share/tesseract-ocr")
    for model in sorted(models.rglob("*.onnx" if engine != "tesseract" else "*.traineddata")):
        info = model.stat()
        files.append(f"{model.name}:{info.st_size}:{info.st_mtime_ns}")
    return _digest("|".join([engine, *files]))


def _installed_version(package: str, site: Path) -> str:
    """The version in the package's dist-info folder name (importlib.metadata scans all of them: 50 ms)."""
    for info in site.glob(f"{package}-*.dist-info"):
        return info.name[len(package) + 1 : -len(".dist-info")]
    return "unknown"
