"""Decode the raw bytes of an archive member's name the way its author's tool wrote them.

ZIP, tar and gzip store names as bytes. Tools on Chinese Windows (WinRAR,
360压缩, Explorer's "Send to compressed folder") write them in the ANSI code
page (GBK/CP936) without setting ZIP's UTF-8 flag, so Python's zipfile shows
``╗·├▄.docx`` for ``机密.docx``. A name that is valid UTF-8 is taken as UTF-8,
unless it decodes to combining marks, Greek, Hebrew or Arabic letters: short
GBK names such as ``通知`` (CD A8 D6 AA) are valid UTF-8 by accident and
land exactly there. Otherwise GB18030 (a superset of GBK), else the format's
legacy code page, so a name always decodes to something. The price: a
UTF-8 Greek or Hebrew name without the flag reads as Chinese.
"""

import struct

from secscan.model import TextBlock

_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path: version, CRC-32 of raw name, UTF-8 name


def decode_name(raw: bytes, legacy: str = "cp437") -> str:
    """Decode ``raw``: UTF-8, then GB18030, then ``legacy``."""
    try:
        text = raw.decode("utf-8")
        if not any(_accidental_utf8(ord(char)) for char in text):
            return text
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode(legacy, "replace")


def _accidental_utf8(point: int) -> bool:
    # Two-byte UTF-8 that GBK lead/trail pairs produce; rare in real file names.
    return 0x0300 <= point <= 0x03FF or 0x0500 <= point <= 0x07FF


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
