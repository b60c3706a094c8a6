"""Where the shared real-world corpus is: beside the checkout (as CI lays it out) or the workplace's copy.

Tests that read it skip when it is absent (``REALWORLD.is_dir()`` is false).
"""

from __future__ import annotations

from pathlib import Path

_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "realworld"
REALWORLD = next((p for p in (_BESIDE, Path("/work/shared/corpora/realworld")) if p.is_dir()), _BESIDE)
