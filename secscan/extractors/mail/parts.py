"""One MIME message to text blocks and attachment members (stdlib ``email``, ``policy.default``).

Shared by the .eml and mbox extractors. Headers that carry a classification
(Subject, Sensitivity, X-Protective-Marking, msip_labels, ...) become
``metadata`` blocks, each with its header name as ``origin``; every
text/plain and text/html body part becomes ``body`` lines; attachments and
attached messages become members (``mail.eml!report.docx``) that the
pipeline scans like any file. Encrypted mail (PGP/MIME, S/MIME enveloped,
inline PGP) cannot be read and raises ``EncryptedError``: never clean.
"""

from __future__ import annotations

import mimetypes
import re
from email.message import Message

from secscan.errors import EncryptedError
from secscan.extractors._common.html_lines import html_lines
from secscan.model import Member, TextBlock

# Headers read as metadata, besides any header whose name says it is a label.
HEADERS = ("Subject", "From", "To", "Cc", "Date", "Sensitivity", "Keywords", "Comments", "Importance")
LABEL_HEADER = re.compile(r"classif|marking|sensitiv|msip|label|security|caveat|secre|confiden", re.I)
_GBK_FAMILY = {"gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "gb_2312-80"}
_PGP_INLINE = "-----BEGIN PGP MESSAGE-----"


class MailParts:
    """Accumulates the blocks and members of one message (and its nested parts)."""

    def __init__(self, origin_prefix: str = "", member_prefix: str = "") -> None:
        self.origin_prefix = origin_prefix
        self.member_prefix = member_prefix
        self.blocks: list[TextBlock] = []
        self.members: list[Member] = []

    def add_message(self, message: Message) -> None:
        self._add_headers(message)
        self._add_part(message)

    def _add_headers(self, message: Message) -> None:
        names = [*HEADERS, *(key for key in message if LABEL_HEADER.search(key))]
        for line, name in enumerate(dict.fromkeys(names), start=1):
            for value in _header_values(message, name):
                origin = f"{self.origin_prefix}header:{name}"
                self.blocks.append(TextBlock(value, part="metadata", line=line, origin=origin))

    def _add_part(self, part: Message) -> None:
        content_type = part.get_content_type()
        if content_type in ("multipart/encrypted", "application/pgp-encrypted") or (
            content_type in ("application/pkcs7-mime", "application/x-pkcs7-mime")
            and "signed" not in str(part.get_param("smime-type", "")).lower()
        ):
            raise EncryptedError("e-mail body (PGP/MIME or S/MIME)", openable=False)
        if part.is_multipart() and content_type != "message/rfc822":
            for child in part.get_payload():
                if isinstance(child, Message):
                    self._add_part(child)
            return
        disposition = (part.get_content_disposition() or "").lower()
        if content_type in ("text/plain", "text/html") and disposition != "attachment":
            self._add_body(part, content_type)
        elif content_type == "message/rfc822":
            self._add_attached_message(part)
        elif part.get_filename() or disposition in ("attachment", "inline"):
            self._add_member(part, _payload(part))

    def _add_body(self, part: Message, content_type: str) -> None:
        text = _decoded_text(part)
        if _PGP_INLINE in text:
            raise EncryptedError("e-mail body (inline PGP)", openable=False)
        lines = html_lines(text) if content_type == "text/html" else text.splitlines()
        origin = f"{self.origin_prefix}{content_type} body"
        for number, line in enumerate(lines, start=1):
            if line.strip():
                self.blocks.append(TextBlock(line, part="body", line=number, origin=origin))

    def _add_attached_message(self, part: Message) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else payload
        data = inner.as_bytes() if isinstance(inner, Message) else _payload(part)
        self._add_member(part, data, default_ext=".eml")

    def _add_member(self, part: Message, data: bytes, default_ext: str = "") -> None:
        name = _filename(part) or (
            f"attachment-{len(self.members) + 1}"
            + (default_ext or mimetypes.guess_extension(part.get_content_type()) or ".bin")
        )
        self.members.append(Member(self.member_prefix + name.replace("/", "_"), data))


def _header_values(message: Message, name: str) -> list[str]:
    try:
        values = message.get_all(name) or []
        return [" ".join(str(value).split()) for value in values if str(value).strip()]
    except (ValueError, TypeError, LookupError, IndexError):
        raw = message.get(name)
        return [str(raw)] if raw else []


def _filename(part: Message) -> str:
    try:
        return (part.get_filename() or "").strip()
    except (ValueError, TypeError, LookupError):
        return ""


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _decoded_text(part: Message) -> str:
    """The part's text: its declared charset (GB2312 read as GB18030), else a best guess."""
    data = _payload(part)
    charset = (part.get_content_charset() or "").lower()
    candidates = ["gb18030"] if charset in _GBK_FAMILY else ([charset] if charset else [])
    for codec in [*candidates, "utf-8"]:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", "replace")
