"""EMF public comments (``EMR_COMMENT_PUBLIC``, "GDIC"): group descriptions and copies of the picture.

``EMR_COMMENT_BEGINGROUP`` names a group of records (metadata). An EMF made
from a WMF keeps that WMF in ``EMR_COMMENT_WINDOWS_METAFILE``, and
``EMR_COMMENT_MULTIFORMATS`` holds other renderings (EMF, EPS, PDF): an EMF or
WMF copy is walked too (its text is reported once), any other is a member.
"""

from __future__ import annotations

from secscan.extractors.metafile.charsets import clean
from secscan.extractors.metafile.records import take, unpack
from secscan.extractors.metafile.walker import Walker


def public_comment(walker: Walker, rec: bytes) -> None:
    """An EMR_COMMENT_PUBLIC record (``GDIC``): a group's description, or the picture in other formats."""
    (kind,) = unpack("<I", rec, 16)
    if kind == 0x00000002:  # EMR_COMMENT_BEGINGROUP: bounds, then a description
        (count,) = unpack("<I", rec, 36)
        text = clean(take(rec, 40, 2 * count).decode("utf-16le", "replace")).strip()
        if text:
            walker.reader.metadata.append((f"{walker.layer.origin} group", text))
    elif kind == 0x80000001:  # EMR_COMMENT_WINDOWS_METAFILE: the WMF this EMF was made from
        (size,) = unpack("<I", rec, 32)
        walker.reader.nested(take(rec, 36, size), walker.depth + 1, f"{walker.layer.origin} copy wmf")
    elif kind == 0x40000004:  # EMR_COMMENT_MULTIFORMATS: other renderings of the picture
        (count,) = unpack("<I", rec, 36)
        for index in range(min(count, (len(rec) - 40) // 16)):
            signature, _, size, offset = unpack("<4I", rec, 40 + 16 * index)
            body = take(rec, 12 + offset, size)
            if signature == 0x464D4520:  # " EMF"
                walker.reader.nested(body, walker.depth + 1, f"{walker.layer.origin} copy emf")
            else:
                ext = {0x46535045: "eps", 0x50444620: "pdf"}.get(signature, "bin")
                walker.reader.picture(body, ext)
