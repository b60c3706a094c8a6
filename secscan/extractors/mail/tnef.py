"""TNEF (winmail.dat, application/ms-tnef): the Outlook rich-text wrapper of a mail's body and files.

When Outlook sends rich text to a non-Outlook client, the body and every
attachment travel inside one ``winmail.dat`` ([MS-OXTNEF]); a scanner that
skipped it would pass the real content unseen. The layout is a flat list of
attributes (level, id, length, data, checksum); message-level MAPI properties
hold the body, often only as compressed RTF. Read here directly (no
maintained permissive Python reader exists): subject and plain body become
blocks, the RTF body becomes a ``body.rtf`` member, and each attachment a
member under its long file name.
"""

from __future__ import annotations

import struct

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.html_lines import html_lines
from secscan.extractors.mail.mapiprops import parse_properties
from secscan.extractors.mail.rtf_compressed import decompress_rtf
from secscan.model import Extraction, FileKind, Member, TextBlock

KINDS = frozenset({FileKind.TNEF})

SIGNATURE = b"\x78\x9f\x3e\x22"
_SUBJECT, _BODY, _MESSAGE_PROPS = 0x8004, 0x800C, 0x9003
_ATTACH_START, _ATTACH_TITLE, _ATTACH_DATA, _ATTACH_PROPS = 0x9002, 0x8010, 0x800F, 0x9005
_PR_SUBJECT, _PR_TOPIC, _PR_BODY, _PR_HTML = 0x0037, 0x0070, 0x1000, 0x1013
_PR_RTF, _PR_LONG_NAME = 0x1009, 0x3707


class _Attachment:
    def __init__(self) -> None:
        self.title = ""
        self.data = b""


def extract(data: bytes, config: ScanConfig) -> Extraction:
    if not data.startswith(SIGNATURE):
        raise CorruptFile("not a TNEF stream (bad signature)")
    meter = Meter(config.limits)
    texts: dict[str, str] = {}
    members: list[Member] = []
    attachments: list[_Attachment] = []
    for attribute, value in _attributes(data):
        if attribute == _ATTACH_START:
            attachments.append(_Attachment())
            meter.check_count(len(attachments))
        elif attachments and attribute == _ATTACH_TITLE:
            attachments[-1].title = _text(value)
        elif attachments and attribute == _ATTACH_DATA:
            attachments[-1].data = value
        elif attachments and attribute == _ATTACH_PROPS:
            attachments[-1].title = str(parse_properties(value).get(_PR_LONG_NAME) or attachments[-1].title)
        elif attribute in (_SUBJECT, _BODY):
            texts.setdefault("Subject" if attribute == _SUBJECT else "Body", _text(value))
        elif attribute == _MESSAGE_PROPS:
            members.extend(_message_properties(value, texts, config))
    for number, attachment in enumerate(attachments, start=1):
        name = attachment.title.replace("/", "_").replace("\\", "_") or f"attachment-{number}"
        meter.check_member(name, len(attachment.data), None)
        meter.add(len(attachment.data))
        members.append(Member(name, attachment.data))
    return Extraction(blocks=_blocks(texts), parts_read=("metadata", "body"), members=tuple(members))


def _attributes(data: bytes) -> list[tuple[int, bytes]]:
    found: list[tuple[int, bytes]] = []
    offset = 6
    while offset + 9 <= len(data):
        _level, attribute, length = struct.unpack_from("<BII", data, offset)
        start = offset + 9
        if start + length > len(data):
            raise CorruptFile(f"TNEF attribute 0x{attribute:08x} runs past the end (truncated)")
        found.append((attribute & 0xFFFF, data[start : start + length]))
        offset = start + length + 2  # 2-byte checksum
    return found


def _message_properties(value: bytes, texts: dict[str, str], config: ScanConfig) -> list[Member]:
    properties = parse_properties(value)
    for key, prop_id in (("Subject", _PR_SUBJECT), ("Subject", _PR_TOPIC), ("Body", _PR_BODY)):
        if isinstance(properties.get(prop_id), str):
            texts.setdefault(key, str(properties[prop_id]))
    html = properties.get(_PR_HTML)
    if isinstance(html, (str, bytes)) and html:
        texts.setdefault("Body", "\n".join(html_lines(html if isinstance(html, str) else _text(html))))
    rtf = properties.get(_PR_RTF)
    if isinstance(rtf, bytes) and rtf:
        return [Member("body.rtf", decompress_rtf(rtf, config.limits.max_expanded_size))]
    return []


def _blocks(texts: dict[str, str]) -> tuple[TextBlock, ...]:
    blocks = []
    if texts.get("Subject"):
        blocks.append(TextBlock(texts["Subject"], part="metadata", line=1, origin="property:Subject"))
    for line, text in enumerate(texts.get("Body", "").splitlines(), start=1):
        if text.strip():
            blocks.append(TextBlock(text, part="body", line=line, origin="TNEF body"))
    return tuple(blocks)


def _text(value: bytes) -> str:
    raw = value.rstrip(b"\x00")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp1252", "replace")
