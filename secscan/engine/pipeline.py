"""Scan one file: detect -> extract -> match -> FileResult, with no global state.

``scan_entry(entry, config)`` is the unit of work a worker process runs. It
never raises for a bad file: whatever goes wrong becomes an ``error`` entry,
because a scanner that crashes on a file has called the rest of the scan clean.
Members (archive entries, attachments, embedded objects) are scanned by the
same function, recursively, and reported as ``ARCHIVE!MEMBER``.

A single-stream compression layer (gz, bz2, xz) is no container: it holds one
file and no names of its own, so its stream is scanned under the file's own
path and the member of a tarball is ``a.tar.gz!dir/file``, not
``a.tar.gz!(decompressed)!dir/file``. The layer still costs one level of the
nesting depth limit and one member (what stops a gzip that contains itself),
its type reads ``tar.gz``, and the outer file name is matched as well as the
inner one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import PurePath

from secscan.config import ScanConfig
from secscan.detect.sniff import detect
from secscan.engine.cache import ResultCache, Spent, content_hash, for_process, keepable, rebased
from secscan.errors import LimitExceeded, ScanError, brief, trace
from secscan.extractors import get_extractor
from secscan.extractors.archives.compressed import inner_name
from secscan.inputs.walk import WalkEntry
from secscan.match.labels import label_mismatch
from secscan.match.matcher import match
from secscan.model import (
    Coverage,
    Extraction,
    FileKind,
    FileResult,
    Level,
    Member,
    OcrModels,
    Status,
    TextBlock,
)

# Kinds that hold no document text of their own: a file of an unknown binary
# kind is "skipped" with this reason, never "clean".
_NO_EXTRACTOR = "no extractor reads {kind} files yet; not inspected"
_LAYERS = frozenset({FileKind.GZ, FileKind.BZ2, FileKind.XZ})  # one stream, no names: not a container


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
        info = None if entry.data is not None else os.stat(entry.path)
        size = info.st_size if info is not None else len(entry.data or b"")
        if size > config.limits.max_file_size:
            raise LimitExceeded(
                f"file is {size:,} bytes, above the file size limit ({config.limits.max_file_size:,} bytes)"
            )
        data = entry.data if entry.data is not None else read_without_touching(str(entry.path))
    except ScanError as exc:
        return [FileResult(entry.display, "unknown", Status.ERROR, error=str(exc), traceback=trace(exc))]
    except OSError as exc:
        return [
            FileResult(entry.display, "unknown", Status.ERROR, error=f"cannot read: {exc.strerror or exc}")
        ]
    budget = _Budget(config.limits.max_expanded_size, config.limits.max_members)
    name = PurePath(entry.path).name
    cache = _cache_of(config)
    if cache is None:
        return scan_bytes(entry.display, name, data, config, depth=0, budget=budget)
    content = content_hash(data)
    results = _cached_scan(cache, content, entry.display, name, data, config, 0, budget)
    if info is not None and keepable(results, cache.redact):
        cache.remember(entry, info, content)
    return results


def _cache_of(config: ScanConfig) -> ResultCache | None:
    settings = config.cache
    return None if settings is None else for_process(settings.folder, settings.key, settings.redact)


def _cached_scan(
    cache: ResultCache,
    content: str,
    display: str,
    name: str,
    data: bytes,
    config: ScanConfig,
    depth: int,
    budget: _Budget,
) -> list[FileResult]:
    """``scan_bytes`` through the cache: results kept for this content are reused, new ones kept."""
    found = cache.lookup(content, name, depth)
    if found is not None:
        results, spent = found
        if spent.members <= budget.members and spent.expanded <= budget.expanded:
            # What a fresh scan would have taken from the archive budget, it takes now.
            budget.members -= spent.members
            budget.expanded -= spent.expanded
            return rebased(results, display)
    members, expanded = budget.members, budget.expanded
    results = scan_bytes(display, name, data, config, depth, budget)
    cache.store(content, name, depth, results, Spent(members - budget.members, expanded - budget.expanded))
    return results


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
    outer_names: tuple[str, ...] = (),
) -> list[FileResult]:
    """Scan ``data`` (named ``name``) and its members; never raises for bad input.

    ``outer_names`` are the names of compression layers around it, matched like its own.
    """
    if budget is None:
        budget = _Budget(config.limits.max_expanded_size, config.limits.max_members)
    file_type = detect(data, name)
    try:
        extractor = get_extractor(file_type.kind)
    except ImportError as exc:
        reason = f"the reader for {file_type.kind} files is not installed ({exc.name}); reinstall secscan"
        return [FileResult(display, file_type.kind, Status.ERROR, error=reason)]
    name_blocks = [
        TextBlock(shown, part="filename", line=number, origin="file name")
        for number, shown in enumerate(dict.fromkeys((name, *outer_names)), start=1)
    ]
    if extractor is None:
        own = match(name_blocks, config.catalog, config.threshold)
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
        return [FileResult(display, file_type.kind, Status.ERROR, error=str(exc), traceback=trace(exc))]
    except MemoryError:
        raise  # the runner makes the whole file "over the memory limit" and replaces the worker
    except Exception as exc:
        reason = brief(exc, 200)
        return [
            FileResult(
                display,
                file_type.kind,
                Status.ERROR,
                error=f"could not read {file_type.kind}: {reason}",
                traceback=trace(exc),
            )
        ]
    if file_type.kind in _LAYERS and len(extraction.members) == 1 and not extraction.blocks:
        names = (name, *outer_names)
        return _unwrap(display, file_type.kind, extraction.members[0], config, depth, budget, names)
    results = _assemble(display, file_type.kind, extraction, name_blocks, config, depth, budget)
    if config.evidence and results[0].findings:
        from secscan.engine.evidence import with_evidence

        results[0] = with_evidence(results[0], file_type.kind, data, config.passwords)
    return results


def _unwrap(
    display: str,
    kind: str,
    stream: Member,
    config: ScanConfig,
    depth: int,
    budget: _Budget,
    names: tuple[str, ...],
) -> list[FileResult]:
    """Scan a compression layer's one stream under the layer's own path (``a.tar.gz!dir/file``)."""
    error = _over_limit(stream, config, depth, budget)
    if error is not None:
        return [FileResult(display, kind, Status.ERROR, error=error)]
    results = scan_bytes(
        display, inner_name(names[0], stream.name), stream.data, config, depth + 1, budget, names
    )
    inner = results[0]
    return [replace(inner, type=f"{inner.type}.{kind}"), *results[1:]]


def _assemble(
    display: str,
    kind: str,
    extraction: Extraction,
    name_blocks: list[TextBlock],
    config: ScanConfig,
    depth: int,
    budget: _Budget,
) -> list[FileResult]:
    outcome = match([*extraction.blocks, *name_blocks], config.catalog, config.threshold)
    member_results = _scan_members(display, extraction, config, depth, budget)
    coverage = Coverage(
        parts=tuple(
            dict.fromkeys([*extraction.parts_read, *(b.part for b in extraction.blocks), "filename"])
        ),
        pages=extraction.pages,
        skipped=extraction.skipped,
        ocr=_ocr_models(extraction, config),
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
        label_mismatch=label_mismatch(outcome),
    )
    return [own, *member_results]


def _scan_members(
    display: str, extraction: Extraction, config: ScanConfig, depth: int, budget: _Budget
) -> list[FileResult]:
    results: list[FileResult] = []
    for member in extraction.members:
        member_display = f"{display}!{member.name}"
        error = _over_limit(member, config, depth, budget)
        if error is None:
            member_name = PurePath(member.name.replace("\\", "/")).name
            cache = _cache_of(config)
            if cache is None:
                results.extend(
                    scan_bytes(member_display, member_name, member.data, config, depth + 1, budget)
                )
            else:
                content = content_hash(member.data)
                args = (content, member_display, member_name, member.data, config, depth + 1, budget)
                results.extend(_cached_scan(cache, *args))
        else:
            results.append(FileResult(member_display, "unknown", Status.ERROR, error=error))
    return results


def _over_limit(member: Member, config: ScanConfig, depth: int, budget: _Budget) -> str | None:
    """Charge ``member`` to the budget; why it may not be scanned, or None when it may."""
    budget.members -= 1
    budget.expanded -= len(member.data)
    if depth + 1 > config.limits.max_depth:
        return f"over a limit: nested deeper than the nesting depth limit ({config.limits.max_depth})"
    if budget.members < 0:
        return f"over a limit: more members than the member count limit ({config.limits.max_members})"
    if budget.expanded < 0:
        expanded = config.limits.max_expanded_size
        return f"over a limit: expands past the expanded size limit ({expanded:,} bytes)"
    return None


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


def _ocr_models(extraction: Extraction, config: ScanConfig) -> OcrModels | None:
    """Which engine and models read this file's pictures; None when nothing was OCR'd."""
    if "ocr" not in extraction.parts_read and not any(b.part == "ocr" for b in extraction.blocks):
        return None
    from secscan.ocr.models import fingerprint

    return fingerprint(config.ocr_engine)
