"""Know a file's type by its bytes, not its name.

Containers are opened just far enough to tell their members apart: a ZIP is a
docx, xlsx or pptx by its ``[Content_Types].xml``, an ODF file by its
``mimetype`` member, an OFD by ``OFD.xml``; an OLE compound file is a .doc,
.xls, .ppt or .msg by its stream names. The extension only breaks ties
(``.csv`` vs ``.txt``), so a .docx renamed .jpg is still a docx.
"""

from __future__ import annotations

import re

from secscan.detect import wechat
from secscan.detect.ole import detect_ole
from secscan.detect.text import detect_text, looks_like_byte_text, utf16_without_bom
from secscan.detect.zip import detect_zip
from secscan.model import FileKind, FileType

# (magic bytes, offset, kind, mime). Longest and most specific first.
_MAGIC: tuple[tuple[bytes, int, FileKind, str], ...] = (
    (b"%PDF-", 0, FileKind.PDF, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, FileKind.PNG, "image/png"),
    (b"\xff\xd8\xff", 0, FileKind.JPEG, "image/jpeg"),
    (b"GIF87a", 0, FileKind.GIF, "image/gif"),
    (b"GIF89a", 0, FileKind.GIF, "image/gif"),
    (b"II*\x00", 0, FileKind.TIFF, "image/tiff"),
    (b"MM\x00*", 0, FileKind.TIFF, "image/tiff"),
    (b"BM", 0, FileKind.BMP, "image/bmp"),
    (b"7z\xbc\xaf\x27\x1c", 0, FileKind.SEVEN_Z, "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", 0, FileKind.RAR, "application/vnd.rar"),
    (b"\x1f\x8b", 0, FileKind.GZ, "application/gzip"),
    (b"BZh", 0, FileKind.BZ2, "application/x-bzip2"),
    (b"\xfd7zXZ\x00", 0, FileKind.XZ, "application/x-xz"),
    (b"{\\rtf", 0, FileKind.RTF, "application/rtf"),
    (b"ustar", 257, FileKind.TAR, "application/x-tar"),
    (b"\x78\x9f\x3e\x22", 0, FileKind.TNEF, "application/vnd.ms-tnef"),
    (b"%!PS", 0, FileKind.POSTSCRIPT, "application/postscript"),
    (b"\x1f\x9d", 0, FileKind.COMPRESS_Z, "application/x-compress"),
    (b"\x89LZO\x00\r\n\x1a\n", 0, FileKind.LZO, "application/x-lzop"),
    (b"GRZipII", 0, FileKind.GRZIP, "application/x-grzip"),
    (b"\x97JB2\r\n\x1a\n", 0, FileKind.JBIG2, "image/x-jbig2"),
    (b"\xffWPC", 0, FileKind.WORDPERFECT, "application/vnd.wordperfect"),
    (b" EMF", 40, FileKind.EMF, "image/emf"),
    (b"\xd7\xcd\xc6\x9a", 0, FileKind.WMF, "image/wmf"),  # placeable WMF
    # A standard WMF header: type 1 (memory) or 2 (disk), 9 words, version 0x300 or 0x100.
    (b"\x01\x00\x09\x00\x00\x03", 0, FileKind.WMF, "image/wmf"),
    (b"\x02\x00\x09\x00\x00\x03", 0, FileKind.WMF, "image/wmf"),
    (b"\x01\x00\x09\x00\x00\x01", 0, FileKind.WMF, "image/wmf"),
    (b"\x02\x00\x09\x00\x00\x01", 0, FileKind.WMF, "image/wmf"),
    (b"\x31\xbe\x00\x00\x00\xab", 0, FileKind.MS_WRITE, "application/x-mswrite"),
    (b"\x32\xbe\x00\x00\x00\xab", 0, FileKind.MS_WRITE, "application/x-mswrite"),
)

_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftypheim", b"ftypheis", b"ftyphevc", b"ftypmif1", b"ftypmsf1")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Signatures allowed a little way in: PDF readers accept junk before %PDF.
_PDF_SEARCH = 1024
# Excel 2-4 worksheets are bare BIFF records, not OLE: BOF record id + length.
_BIFF_BOF = (
    b"\x09\x00\x04\x00",
    b"\x09\x02\x06\x00",
    b"\x09\x04\x06\x00",
    b"\x09\x08\x08\x00",
    b"\x09\x08\x10\x00",
)

_PDF_OBJECTS = re.compile(rb"\d+\s+\d+\s+obj\s*<<|^%startxref|\bxref\s+\d+\s+\d+\s")


def detect(data: bytes, name: str = "") -> FileType:
    """Classify ``data``; ``name`` is used only where the bytes cannot decide."""
    for magic, offset, kind, mime in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return FileType(kind, mime, f"signature {magic!r} at {offset}")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileType(FileKind.WEBP, "image/webp")
    if data[4:12] in _HEIF_BRANDS:
        return FileType(FileKind.HEIC, "image/heic", f"ISO-BMFF brand {data[8:12]!r}")
    if data.startswith(ZIP_MAGICS):
        return detect_zip(data)
    if data.startswith(OLE_MAGIC):
        return detect_ole(data, name)
    return _detect_headless(data, name)


def _detect_headless(data: bytes, name: str) -> FileType:
    """Files whose signature is not at offset 0, or that have none."""
    if data.startswith(_BIFF_BOF):
        return FileType(FileKind.XLS, "application/vnd.ms-excel", "BIFF2-4 worksheet (no OLE container)")
    pdf_at = data.find(b"%PDF-", 0, _PDF_SEARCH)
    if pdf_at > 0:
        return FileType(FileKind.PDF, "application/pdf", f"%PDF- at offset {pdf_at}")
    if _PDF_OBJECTS.search(data[:4096]):
        return FileType(FileKind.PDF, "application/pdf", "PDF objects without a %PDF- header")
    if _is_tar(data[:512]):
        return FileType(FileKind.TAR, "application/x-tar", "tar header checksum")
    if wechat.looks_like_dat(data):
        return FileType(FileKind.WECHAT_DAT, "application/octet-stream", "WeChat image cache (.dat)")
    if _looks_like_text(data[:8192]):
        return detect_text(data, name)
    utf16 = utf16_without_bom(data[:8192])
    if utf16 is not None:
        # Re-read with a BOM so the text sniffers see ASCII.
        bom = b"\xff\xfe" if utf16 == "utf-16-le" else b"\xfe\xff"
        return detect_text(bom + data[:8192], name)
    if data.find(b"PK\x03\x04", 0, 65536) > 0 or data.find(b"PK\x05\x06", len(data) - 65557) >= 0:
        return detect_zip(data)  # padded or self-extracting zip; zipfile finds the directory
    return FileType(FileKind.UNKNOWN_BINARY, "application/octet-stream", "no known signature")


def _is_tar(block: bytes) -> bool:
    """A POSIX/GNU tar header without the ustar magic still has a valid checksum."""
    if len(block) < 512 or not block[:100].rstrip(b"\x00"):
        return False
    field = block[148:156].replace(b"\x00", b" ").strip()
    if not field or any(c not in b"01234567" for c in field):
        return False
    expected = int(field, 8)
    actual = sum(block[:148]) + 8 * 32 + sum(block[156:512])
    return expected == actual


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    return looks_like_byte_text(head)
