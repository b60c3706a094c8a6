"""Scan settings: one frozen value handed to every stage that needs a setting.

A scan of one file is a function of (the file, a ScanConfig), with no global
state, so it can run in a worker process with a time limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secscan.match.catalog import Catalog
    from secscan.model import Level

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds that fail closed: passing one makes the file an ``error``, never clean."""

    max_file_size: int = 200 * MIB
    max_expanded_size: int = 1024 * MIB  # total bytes unpacked from one archive tree
    max_ratio: float = 200.0  # expanded / compressed, per member
    max_depth: int = 10  # archives within archives
    max_members: int = 10_000
    timeout: float = 120.0  # seconds per top-level file
    max_memory: int = 1024 * MIB  # resident bytes a worker may hold above what it held when started


@dataclass(frozen=True)
class CacheSettings:
    """Where the result cache is and the scan key results are kept under (``engine/cache.py``)."""

    folder: str
    key: str
    redact: bool = False  # keep no text at all: only whole clean files without members


@dataclass(frozen=True)
class ScanConfig:
    catalog: Catalog
    threshold: float = 0.6
    limits: Limits = field(default_factory=Limits)
    ocr: bool = True
    ocr_engine: str = "rapidocr"
    # Set only for a gate that reports no detail (text format, no baseline): OCR of a page stops
    # once its marking bands hold a finding at this level, which already decides the verdict.
    ocr_stop_at: Level | None = None
    passwords: tuple[str, ...] = ()
    show_suppressed: bool = False
    follow_symlinks: bool = False
    cache: CacheSettings | None = None  # None: every file is read (--no-cache)
    # Threads one worker's OCR may use; the runner sets it to the CPUs divided among its workers
    # (two workers each running ONNX Runtime on every core fight over them: 1.5x slower). None: all.
    ocr_threads: int | None = None
    evidence: bool = False  # cut a crop of the page around boxed findings (for the HTML report)
