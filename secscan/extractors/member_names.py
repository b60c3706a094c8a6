"""Decode the raw bytes of an archive member's name the way its author's tool wrote them.

ZIP and tar store names as bytes. Tools on Chinese Windows (WinRAR, 360压缩,
Explorer's "Send to compressed folder") write them in the ANSI code page
(GBK/CP936) without setting ZIP's UTF-8 flag, so Python's zipfile shows
``╗·├▄.docx`` for ``机密.docx``. A name that is valid UTF-8 is taken as UTF-8
(a GBK name almost never is: its lead bytes are not UTF-8 continuation
patterns); otherwise GB18030, a superset of GBK; otherwise the format's legacy
code page, so a name always decodes to something.
"""

from __future__ import annotations

import struct

from secscan.model import TextBlock

_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path: version, CRC-32 of raw name, UTF-8 name


def decode_name(raw: bytes, legacy: str = "cp437") -> str:
    """Decode ``raw``: UTF-8, then GB18030, then ``legacy``."""
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode(legacy, "replace")


def zip_member_name(filename: str, flag_bits: int, extra: bytes) -> str:
    """The real name of a ZIP member that zipfile decoded as ``filename``."""
    if flag_bits & 0x800:
        return filename
    unicode_path = _unicode_path(extra)
    if unicode_path is not None:
        return unicode_path
    try:
        raw = filename.encode("cp437")
    except UnicodeEncodeError:
        return filename
    return decode_name(raw)


def surrogate_name(name: str) -> str:
    """Fix a name decoded as UTF-8 with ``surrogateescape`` (tarfile's default)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return decode_name(name.encode("utf-8", "surrogateescape"), legacy="latin-1")
    return name


def _unicode_path(extra: bytes) -> str | None:
    offset = 0
    while offset + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + size]
        if tag == _UNICODE_PATH_EXTRA and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        offset += 4 + size
    return None


def folder_blocks(names: list[str]) -> tuple[TextBlock, ...]:
    """One ``filename`` block per folder inside an archive.

    A member's own file name is matched when the member itself is scanned, so
    only the folders above it (``机密文件/``) are left for the archive to report.
    """
    folders: dict[str, None] = {}
    for name in names:
        parts = name.replace("\\", "/").strip("/").split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]) + "/")
        if name.endswith("/"):
            folders.setdefault(name.replace("\\", "/").strip("/") + "/")
    return tuple(
        TextBlock(folder, part="filename", line=index, origin="folder in archive")
        for index, folder in enumerate(folders, start=1)
    )
