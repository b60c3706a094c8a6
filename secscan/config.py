"""Scan settings: one frozen value handed to every stage that needs a setting.

A scan of one file is a function of (the file, a ScanConfig), with no global
state, so it can run in a worker process with a time limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secscan.match.catalog import Catalog

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


@dataclass(frozen=True)
class ScanConfig:
    catalog: Catalog
    threshold: float = 0.6
    limits: Limits = field(default_factory=Limits)
    ocr: bool = True
    ocr_engine: str = "rapidocr"
    passwords: tuple[str, ...] = ()
    show_suppressed: bool = False
    follow_symlinks: bool = False
