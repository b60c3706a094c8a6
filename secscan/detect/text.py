"""Tell text files apart: HTML, XML, e-mail (RFC 822), mbox, CSV/TSV or plain text.

Markup and mail headers are ASCII in every encoding secscan meets (UTF-8, GBK,
Shift-JIS, latin-1), so the first KB is read as latin-1 (or as UTF-16 when a BOM
says so) and matched with a few anchored regular expressions. Only CSV/TSV is
decided by name: a comma-separated file has no signature of its own.

Whether bytes are text at all is decided here too, for ``detect`` and the plain
text reader alike: text in a byte encoding has (almost) no NUL or control bytes,
a stray NUL run of padding aside; UTF-16 without a BOM is recognised by decoding
the head both ways and counting how much of it is plausible text (ASCII, CJK,
kana, Hangul, European letters), because CJK UTF-16 has no NUL bytes for the old
"NUL in every other byte" test to see, and an unpaired surrogate rules a byte
order out.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from secscan.model import FileKind, FileType

_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title>", re.IGNORECASE)
_XML_DECL = re.compile(rb"^<\?xml[\s?]")
_HEADER = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]*\S?")
_MAIL_HEADERS = frozenset(
    {
        b"from",
        b"received",
        b"mime-version",
        b"return-path",
        b"message-id",
        b"delivered-to",
        b"x-mailer",
        b"subject",
        b"to",
        b"date",
        b"reply-to",
        b"content-type",
        b"dkim-signature",
        b"x-originating-ip",
        b"thread-topic",
        b"x-ms-exchange-organization-authas",
        b"cc",
    }
)
_STRONG_MAIL_HEADERS = frozenset(
    {b"received", b"mime-version", b"return-path", b"message-id", b"delivered-to", b"from", b"dkim-signature"}
)
_MBOX_FROM = re.compile(rb"^From \S+")
# The mbox separator line ends in a ctime() date: "From who Mon Jun 01 10:00:00 2009".
_MBOX_LINE = re.compile(rb"^From \S+ +\w{3} \w{3} [ \d]\d \d\d:\d\d(:\d\d)?( \S+)? \d{4}\r?$", re.M)
# A fragment of HTML with no <html>: it starts with a tag and has common HTML tags.
_HTML_TAGS = re.compile(rb"<(p|div|span|table|h[1-6]|br|hr|img|a|ul|ol|li|meta|style)[\s>/]", re.I)
_BY_EXTENSION = {".csv": FileKind.CSV, ".tsv": FileKind.TSV, ".tab": FileKind.TSV}
_MIMES = {
    FileKind.HTML: "text/html",
    FileKind.XML: "application/xml",
    FileKind.WORDML_XML: "application/xml",
    FileKind.EML: "message/rfc822",
    FileKind.MBOX: "application/mbox",
    FileKind.CSV: "text/csv",
    FileKind.TSV: "text/tab-separated-values",
    FileKind.TEXT: "text/plain",
}


def detect_text(data: bytes, name: str) -> FileType:
    """Classify data already known to be text."""
    head = _ascii_view(data[:4096])
    kind, note = _kind_of(head, name)
    return FileType(kind, _MIMES[kind], note)


def _kind_of(head: bytes, name: str) -> tuple[FileKind, str]:
    stripped = head.lstrip()
    first_line = stripped.split(b"\n", 1)[0]
    if _MBOX_FROM.match(stripped) and (
        _MBOX_LINE.match(first_line) or _mail_headers(stripped.split(b"\n", 1)[-1]) >= 2
    ):
        return FileKind.MBOX, "mbox 'From ' separator line then headers"
    if _mail_headers(stripped) >= 2:
        return FileKind.EML, "RFC 822 headers at the start"
    if _HTML.search(head[:1024]) and stripped.startswith(b"<"):
        return FileKind.HTML, "HTML markup in the first KB"
    if stripped[:1] == b"<" and len(_HTML_TAGS.findall(head)) >= 2 and not _XML_DECL.match(stripped):
        return FileKind.HTML, "HTML fragment: starts with a tag, has HTML tags"
    if _XML_DECL.match(stripped):
        if b'progid="Word.Document"' in head:
            return FileKind.WORDML_XML, "Word 2003 XML (mso-application Word.Document)"
        return FileKind.XML, "XML declaration"
    by_name = _BY_EXTENSION.get(PurePath(name).suffix.lower())
    if by_name is not None:
        return by_name, f"text named {PurePath(name).suffix}"
    return FileKind.TEXT, "text"


def _mail_headers(head: bytes) -> int:
    """How many known mail headers open ``head``; 0 unless one of them is a strong one."""
    known = strong = 0
    for line in head.split(b"\n")[:40]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue  # folded continuation of the previous header
        found = _HEADER.match(line)
        if found is None:
            return 0  # a mail starts with headers and nothing else
        field = found.group(1).lower()
        known += field in _MAIL_HEADERS or field.startswith(b"x-")
        strong += field in _STRONG_MAIL_HEADERS
    return known if strong else 0


def _ascii_view(head: bytes) -> bytes:
    """The head with BOMs removed and UTF-16 narrowed, so ASCII patterns match."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[2:].decode(codec, "replace")
            if plausible_share(text) < UTF16_PLAUSIBLE:
                return head[2:]  # a BOM the body contradicts (UTF-8 after FF FE): ignore it
            return text.encode("ascii", "replace")
    return head.removeprefix(b"\xef\xbb\xbf")


# Bytes text in a byte encoding rarely holds: C0 controls but TAB LF FF CR and ESC (ANSI colours).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
UTF16_PLAUSIBLE = 0.95
_NUL_RUN = re.compile(b"\x00+")
_PLAUSIBLE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u017f\u0370-\u03ff\u0400-\u052f\u2000-\u206f\u2190-\u27bf\u3000-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


def looks_like_byte_text(head: bytes) -> bool:
    """Whether ``head`` reads as text in a byte encoding (UTF-8, GB18030, Big5, latin-1 ...).

    NUL padding is not held against it: runs of NULs (the reader drops them) may number one
    per hundred bytes, while UTF-16 and binary formats have NULs all through. Other control
    bytes may be 1% of it.
    """
    body = head.strip(b"\x00")
    if not body:
        return not head
    nuls = body.count(0)
    runs = len(_NUL_RUN.findall(body)) if nuls else 0
    controls = len(body) - len(body.translate(None, _CONTROL)) - nuls
    return runs <= max(1, len(body) // 100) and controls <= len(body) // 100


def plausible_share(text: str) -> float:
    """Share of ``text`` that is ordinary text: ASCII, European letters, CJK, kana, Hangul, punctuation."""
    if not text:
        return 0.0
    return len(_PLAUSIBLE.findall(text)) / len(text)


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` if ``head`` is UTF-16 text without a BOM, else None.

    Only asked of bytes that are not text in a byte encoding: English read as UTF-16
    lands in the CJK block and would look plausible.
    """
    head = head[: min(len(head), 8192) // 2 * 2]
    if len(head) < 4 or looks_like_byte_text(head):
        return None
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:
                continue  # an unpaired surrogate inside the sample: not this byte order
            text = head[: exc.start].decode(codec)  # the sample ends inside a surrogate pair
        share = plausible_share(text.replace("\x00", "\ufffe"))
        if share >= UTF16_PLAUSIBLE and (best is None or share > best[0]):
            best = (share, codec)
    return best[1] if best else None
