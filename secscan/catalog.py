"""Load the marking catalog (patterns/*.toml). STUB: replaced by the catalog work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Catalog:
    patterns: tuple[object, ...] = ()


def load_catalog(extra_dirs: Sequence[Path] = ()) -> Catalog:
    return Catalog()
