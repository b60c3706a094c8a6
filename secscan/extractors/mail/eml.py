"""RFC 822 / MIME e-mail (.eml) files: headers, bodies and attachments via ``mailparts``.

The stdlib parser with ``policy.default`` decodes RFC 2047 words in headers
(``=?GB2312?B?...?=`` subjects) and never raises on malformed mail; it only
records defects. A message saved as UTF-16 (Outlook "Save as Unicode") is
decoded to text first, because the byte parser would see no headers at all.
"""

from __future__ import annotations

import email
from email import policy
from email.message import Message

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors.mail.parts import MailParts
from secscan.model import Extraction, FileKind

KINDS = frozenset({FileKind.EML})


def extract(data: bytes, config: ScanConfig) -> Extraction:
    message = parse_message(data)
    parts = MailParts()
    parts.add_message(message)
    return Extraction(
        blocks=tuple(parts.blocks),
        parts_read=("metadata", "body"),
        members=tuple(parts.members),
    )


def parse_message(data: bytes) -> Message:
    text = _utf16_text(data)
    try:
        if text is not None:
            return email.message_from_string(text, policy=policy.default)
        return email.message_from_bytes(data, policy=policy.default)
    except (ValueError, TypeError, IndexError, LookupError) as exc:
        raise CorruptFile(f"not a readable e-mail message: {exc}") from None


def _utf16_text(data: bytes) -> str | None:
    head = data[:400]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if head.count(b"\x00") < len(head) // 4:
        return None
    # No BOM: ASCII header names put the NUL after (LE) or before (BE) each letter.
    even_nuls = head[0::2].count(b"\x00")
    odd_nuls = head[1::2].count(b"\x00")
    return data.decode("utf-16-be" if even_nuls > odd_nuls else "utf-16-le", "replace")
