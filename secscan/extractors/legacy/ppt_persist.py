"""Where each slide of a .ppt lives: the persist directory, for slide numbers.

A SlideContainer does not say which slide it is. The slide order is the order
of SlidePersistAtoms in the slide list; each names a persist id, and the
persist directory (reached from the "Current User" stream through the chain of
UserEditAtoms) maps persist ids to stream offsets. Newer edits override older
ones. The chain is followed at most ``_MAX_EDITS`` times and every offset is
checked, so a damaged or cyclic chain only costs the slide numbers.
"""

from __future__ import annotations

import struct

_USER_EDIT, _PERSIST_DIRECTORY = 0x0FF5, 0x1772
_MAX_EDITS = 256


def persist_offsets(stream: bytes, current_user: bytes) -> dict[int, int]:
    """persist id -> stream offset, newest edit winning; {} when the chain cannot be read."""
    if len(current_user) < 20:
        return {}
    offset = struct.unpack_from("<I", current_user, 16)[0]
    offsets: dict[int, int] = {}
    seen: set[int] = set()
    while offset and offset not in seen and len(seen) < _MAX_EDITS:
        seen.add(offset)
        if _record_type(stream, offset) != _USER_EDIT or offset + 24 > len(stream):
            break
        last_edit, directory = struct.unpack_from("<II", stream, offset + 16)
        for persist_id, where in _directory(stream, directory).items():
            offsets.setdefault(persist_id, where)  # the first (newest) edit wins
        offset = last_edit
    return offsets


def _directory(stream: bytes, offset: int) -> dict[int, int]:
    if _record_type(stream, offset) != _PERSIST_DIRECTORY:
        return {}
    length = struct.unpack_from("<I", stream, offset + 4)[0]
    at, end = offset + 8, min(offset + 8 + length, len(stream))
    entries: dict[int, int] = {}
    while at + 4 <= end:
        packed = struct.unpack_from("<I", stream, at)[0]
        first, count = packed & 0xFFFFF, packed >> 20
        at += 4
        for index in range(count):
            if at + 4 > end:
                break
            entries[first + index] = struct.unpack_from("<I", stream, at)[0]
            at += 4
    return entries


def _record_type(stream: bytes, offset: int) -> int:
    if offset < 0 or offset + 8 > len(stream):
        return -1
    return int(struct.unpack_from("<H", stream, offset + 2)[0])
