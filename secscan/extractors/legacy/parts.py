"""What .doc, .xls and .ppt files hold besides their text: embedded objects and pictures, as members.

Each legacy reader finds its objects (``ole_objects``) and pictures
(``officeart``) where its format keeps them; this module reads the streams
they sit in without trusting declared sizes, charges every member to one
``Meter`` (the same size and ratio limits archives get) and turns what could
not be read into skipped parts, so a file is never clean by omission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from secscan.extractors._common.bounded import Meter
from secscan.extractors.legacy.officeart import Picture, picture_members
from secscan.extractors.legacy.ole_objects import Objects
from secscan.model import Member, SkippedPart

_STREAM = 2  # olefile's STGTY_STREAM


@dataclass
class Pictures:
    """Pictures found so far, and the streams that held pictures but could not be read."""

    limit: int  # no stream of a file can be larger than the file
    found: list[Picture] = field(default_factory=list)
    skipped: list[SkippedPart] = field(default_factory=list)

    def stream(self, ole: Any, name: str) -> bytes:
        """Stream ``name`` of ``ole``; b"" when there is none, and a skipped part when it is damaged."""
        try:
            if not ole.exists(name) or ole.get_type(name) != _STREAM:
                return b""
            if ole.get_size(name) > self.limit:
                raise ValueError("declared larger than the file")
            return bytes(ole.openstream(name).read())
        except Exception as exc:  # olefile raises OSError, IndexError ... on broken sector chains
            reason = " ".join(str(exc).split())[:80]
            self.skipped.append(SkippedPart("pictures", f"{name} stream damaged ({reason}); not read"))
            return b""


def embedded_parts(
    objects: Objects, pictures: Pictures, meter: Meter
) -> tuple[tuple[Member, ...], tuple[SkippedPart, ...]]:
    """All members (objects first, then ``picture1.png`` ...) and skipped parts, within the limits."""
    members, unread = picture_members(pictures.found)
    for member in members:
        meter.check_member(member.name, len(member.data), None)
        meter.add(len(member.data))
    return (*objects.members, *members), (*objects.skipped, *pictures.skipped, *unread)
