"""Unix mailboxes (mbox): every message read like an .eml, numbered in the box.

A message's blocks carry ``message N:`` in their origin, and its attachments
are members named ``message-N/report.docx``. Messages are split on the
``From `` separator line that starts each one (mboxrd/mboxo alike; a body
line that begins with ``From `` is escaped as ``>From `` by every writer).
"""

from __future__ import annotations

import re

from secscan.config import ScanConfig
from secscan.extractors._common.bounded import Meter
from secscan.extractors.mail.eml import parse_message
from secscan.extractors.mail.parts import MailParts
from secscan.model import Extraction, FileKind, Member, TextBlock

KINDS = frozenset({FileKind.MBOX})

_SEPARATOR = re.compile(rb"^From [^\r\n]*\r?\n", re.MULTILINE)


def extract(data: bytes, config: ScanConfig) -> Extraction:
    chunks = split_mbox(data)
    Meter(config.limits).check_count(len(chunks))
    blocks: list[TextBlock] = []
    members: list[Member] = []
    for number, chunk in enumerate(chunks, start=1):
        parts = MailParts(origin_prefix=f"message {number}: ", member_prefix=f"message-{number}/")
        parts.add_message(parse_message(chunk))
        blocks.extend(parts.blocks)
        members.extend(parts.members)
    return Extraction(blocks=tuple(blocks), parts_read=("metadata", "body"), members=tuple(members))


def split_mbox(data: bytes) -> list[bytes]:
    """The raw messages of a mailbox, without their ``From `` separator lines."""
    starts = [match for match in _SEPARATOR.finditer(data) if _at_message_start(data, match.start())]
    if not starts:
        return [data] if data.strip() else []
    bounds = [*(match.start() for match in starts), len(data)]
    return [
        data[match.end() : bounds[index + 1]]
        for index, match in enumerate(starts)
        if data[match.end() : bounds[index + 1]].strip()
    ]


def _at_message_start(data: bytes, offset: int) -> bool:
    # A separator starts the file or follows an empty line.
    return offset == 0 or data.endswith((b"\n\n", b"\r\n\r\n"), 0, offset)
