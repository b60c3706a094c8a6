"""Scan one file: detect -> extract -> match -> FileResult, with no global state.

``scan_entry(entry, config)`` is the unit of work a worker process runs. It
never raises for a bad file: whatever goes wrong becomes an ``error`` entry,
because a scanner that crashes on a file has called the rest of the scan clean.
Members (archive entries, attachments, embedded objects) are scanned by the
same function, recursively, and reported as ``ARCHIVE!MEMBER``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath

from secscan.config import ScanConfig
from secscan.detect.sniff import detect
from secscan.errors import LimitExceeded, ScanError
from secscan.extractors import get_extractor
from secscan.inputs.walk import WalkEntry
from secscan.match.matcher import match
from secscan.model import (
    Coverage,
    Extraction,
    FileResult,
    Level,
    Status,
    TextBlock,
)

# Kinds that hold no document text of their own: a file of an unknown binary
# kind is "skipped" with this reason, never "clean".
_NO_EXTRACTOR = "no extractor reads {kind} files yet; not inspected"


@dataclass
class _Budget:
    """What one top-level file may still unpack, shared by all its members."""

    expanded: int
    members: int


def scan_entry(entry: WalkEntry, config: ScanConfig) -> list[FileResult]:
    """Scan one walked file; the first result is the file, then its members."""
    if entry.problem is not None:
        return [FileResult(entry.display, "unknown", Status.ERROR, error=entry.problem)]
    if entry.skip is not None:
        return [FileResult(entry.display, "unknown", Status.SKIPPED, error=entry.skip)]
    try:
        size = len(entry.data) if entry.data is not None else os.stat(entry.path).st_size
        if size > config.limits.max_file_size:
            raise LimitExceeded(
                f"file is {size:,} bytes, above the file size limit ({config.limits.max_file_size:,} bytes)"
            )
        data = entry.data if entry.data is not None else read_without_touching(str(entry.path))
    except ScanError as exc:
        return [FileResult(entry.display, "unknown", Status.ERROR, error=str(exc))]
    except OSError as exc:
        return [
            FileResult(entry.display, "unknown", Status.ERROR, error=f"cannot read: {exc.strerror or exc}")
        ]
    budget = _Budget(config.limits.max_expanded_size, config.limits.max_members)
    return scan_bytes(entry.display, PurePath(entry.path).name, data, config, depth=0, budget=budget)


def read_without_touching(path: str) -> bytes:
    """Read a file without changing its access time where the OS allows it."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        # O_NOATIME needs file ownership; a plain open is still read-only.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def scan_bytes(
    display: str,
    name: str,
    data: bytes,
    config: ScanConfig,
    depth: int = 0,
    budget: _Budget | None = None,
) -> list[FileResult]:
    """Scan ``data`` (named ``name``) and its members; never raises for bad input."""
    if budget is None:
        budget = _Budget(config.limits.max_expanded_size, config.limits.max_members)
    file_type = detect(data, name)
    try:
        extractor = get_extractor(file_type.kind)
    except ImportError as exc:
        reason = f"the reader for {file_type.kind} files is not installed ({exc.name}); reinstall secscan"
        return [FileResult(display, file_type.kind, Status.ERROR, error=reason)]
    name_block = TextBlock(name, part="filename", line=1, origin="file name")
    if extractor is None:
        own = match([name_block], config.catalog, config.threshold)
        status = Status.FLAGGED if own.findings else Status.SKIPPED
        return [
            FileResult(
                display,
                file_type.kind,
                status,
                level=max((f.level for f in own.findings), default=Level.NONE),
                findings=own.findings,
                error=_NO_EXTRACTOR.format(kind=file_type.kind),
                coverage=Coverage(parts=("filename",)),
            )
        ]
    try:
        extraction = extractor(data, config)
    except ScanError as exc:
        return [FileResult(display, file_type.kind, Status.ERROR, error=str(exc))]
    except MemoryError:
        return [FileResult(display, file_type.kind, Status.ERROR, error="ran out of memory reading it")]
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        return [
            FileResult(
                display, file_type.kind, Status.ERROR, error=f"could not read {file_type.kind}: {reason}"
            )
        ]
    return _assemble(display, file_type.kind, extraction, name_block, config, depth, budget)


def _assemble(
    display: str,
    kind: str,
    extraction: Extraction,
    name_block: TextBlock,
    config: ScanConfig,
    depth: int,
    budget: _Budget,
) -> list[FileResult]:
    outcome = match([*extraction.blocks, name_block], config.catalog, config.threshold)
    member_results = _scan_members(display, extraction, config, depth, budget)
    coverage = Coverage(
        parts=tuple(
            dict.fromkeys([*extraction.parts_read, *(b.part for b in extraction.blocks), "filename"])
        ),
        pages=extraction.pages,
        skipped=extraction.skipped,
    )
    level = max(
        [*(f.level for f in outcome.findings), *(m.level for m in member_results)], default=Level.NONE
    )
    marked = any(f.level > Level.NONE for f in outcome.findings)
    status = _status_of(marked, member_results)
    error = _member_error_summary(member_results) if status == Status.ERROR else None
    unread = [f"{s.part}: {s.reason}" for s in extraction.skipped]
    direct = {f"{display}!{m.name}" for m in extraction.members}  # a grandchild is named by its parent
    unread += [
        f"{m.path[len(display) + 1 :]} ({m.error})"
        for m in member_results
        if m.status == Status.SKIPPED and m.path in direct
    ]
    if status == Status.CLEAN and unread:
        # Nothing found, but not everything was read (a photo or scanned page with --no-ocr,
        # a member of a type no extractor reads): "clean" would claim more than was checked.
        status = Status.SKIPPED
        read_any = bool(extraction.blocks or extraction.parts_read)
        error = ("partly read; not read: " if read_any else "") + "; ".join(unread)
    own = FileResult(
        display,
        kind,
        status,
        level=level,
        findings=outcome.findings,
        coverage=coverage,
        suppressed=outcome.suppressed if config.show_suppressed else (),
        error=error,
    )
    return [own, *member_results]


def _scan_members(
    display: str, extraction: Extraction, config: ScanConfig, depth: int, budget: _Budget
) -> list[FileResult]:
    results: list[FileResult] = []
    for member in extraction.members:
        member_display = f"{display}!{member.name}"
        budget.members -= 1
        budget.expanded -= len(member.data)
        if depth + 1 > config.limits.max_depth:
            error = f"over a limit: nested deeper than the nesting depth limit ({config.limits.max_depth})"
        elif budget.members < 0:
            error = f"over a limit: more members than the member count limit ({config.limits.max_members})"
        elif budget.expanded < 0:
            expanded = config.limits.max_expanded_size
            error = f"over a limit: expands past the expanded size limit ({expanded:,} bytes)"
        else:
            member_name = PurePath(member.name.replace("\\", "/")).name
            results.extend(scan_bytes(member_display, member_name, member.data, config, depth + 1, budget))
            continue
        results.append(FileResult(member_display, "unknown", Status.ERROR, error=error))
    return results


def _status_of(marked: bool, members: list[FileResult]) -> Status:
    if marked or any(m.status == Status.FLAGGED for m in members):
        return Status.FLAGGED
    if any(m.status == Status.ERROR for m in members):
        return Status.ERROR
    return Status.CLEAN


def _member_error_summary(members: list[FileResult]) -> str:
    failed = [m for m in members if m.status == Status.ERROR]
    first = failed[0]
    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
    return f"member {first.path.rsplit('!', 1)[-1]}: {first.error}{more}"
