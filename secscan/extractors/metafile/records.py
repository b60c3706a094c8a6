"""Bounds-checked reads of one metafile record's fields.

A metafile is untrusted input, so every field is read through these two: an
offset or size that points outside its record raises ``Damaged``, which the
record walker counts as a damaged record instead of reading past it. Plain
``struct`` is enough here; the checks are what a parsing library would add.
"""

from __future__ import annotations

import struct
from typing import Any


class Damaged(Exception):
    """A field of one record points outside it."""


def unpack(fmt: str, buf: bytes, offset: int) -> tuple[Any, ...]:
    if offset < 0:
        raise Damaged
    try:
        return struct.unpack_from(fmt, buf, offset)
    except struct.error:
        raise Damaged from None


def take(buf: bytes, offset: int, length: int) -> bytes:
    """``length`` bytes at ``offset``, all inside ``buf``."""
    if offset < 0 or length < 0 or offset + length > len(buf):
        raise Damaged
    return buf[offset : offset + length]
