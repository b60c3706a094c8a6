"""Tell text files apart: HTML, XML, e-mail (RFC 822), mbox, CSV/TSV or plain text.

Markup and mail headers are ASCII in every encoding secscan meets (UTF-8, GBK,
Shift-JIS, latin-1), so the first KB is read as latin-1 (or as UTF-16 when a BOM
says so) and matched with a few anchored regular expressions. Only CSV/TSV is
decided by name: a comma-separated file has no signature of its own.
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
            return text.encode("ascii", "replace")
    return head.removeprefix(b"\xef\xbb\xbf")
