"""Unpack archive members without ever unpacking a bomb.

Every container extractor reads its members through a ``Meter``: it reads in
chunks and stops the moment one member passes the size limit or the
expansion ratio, or the whole archive passes ``max_expanded_size``. A 4 GB
member of 42.zip is refused after the first chunk, not after 4 GB.

The ratio is judged only once a member has produced ``RATIO_FLOOR`` bytes:
small, very repetitive files (an empty spreadsheet, a log of one repeated
line) legitimately compress 1000:1, and a few MB of them is no bomb.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from secscan.config import Limits
from secscan.errors import LimitExceeded

CHUNK = 1024 * 1024
RATIO_FLOOR = 4 * 1024 * 1024


class Meter:
    """Counts the bytes one archive has unpacked and raises LimitExceeded when over."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0

    def check_count(self, count: int) -> None:
        if count > self.limits.max_members:
            limit = self.limits.max_members
            raise LimitExceeded(f"{count:,} members, above the member count limit ({limit:,})")

    def check_member(self, name: str, produced: int, consumed: int | None) -> None:
        """Raise when member ``name`` has produced too much from ``consumed`` packed bytes."""
        limits = self.limits
        if produced > limits.max_expanded_size or self.total + produced > limits.max_expanded_size:
            raise LimitExceeded(
                f"{name!r} expands past the expanded size limit ({limits.max_expanded_size:,} bytes)"
            )
        if consumed is not None and produced > RATIO_FLOOR and produced > max(consumed, 1) * limits.max_ratio:
            ratio = produced / max(consumed, 1)
            raise LimitExceeded(
                f"{name!r} expands {ratio:,.0f}:1 (a zip bomb?), "
                f"above the compression ratio limit ({limits.max_ratio:g})"
            )

    def add(self, size: int) -> None:
        """Count a finished member towards the archive's total."""
        self.total += size

    def read(self, stream: IO[bytes], name: str, consumed: Callable[[], int | None]) -> bytes:
        """Read ``stream`` to its end in chunks; ``consumed()`` tells the packed bytes read so far."""
        chunks: list[bytes] = []
        produced = 0
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            produced += len(chunk)
            self.check_member(name, produced, consumed())
            chunks.append(chunk)
        self.add(produced)
        return b"".join(chunks)
