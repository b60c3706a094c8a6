"""PDF annotations -> ``annotation`` blocks (stamps, comments, form values).

A reviewer's "Confidential" stamp or a 密级 note is an annotation, which the
page text layer does not contain. pypdfium2 has no helper for annotation
strings, so this reads them through its raw pdfium binding. ``/Name`` of a
stamp (/Confidential, /TopSecret, /NotForPublicRelease) is a PDF name, which
``FPDFAnnot_GetStringValue`` also decodes; it is split into words so the
matcher sees ``Top Secret``.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

from secscan.extractors.pdf.lines import vpos_of
from secscan.model import TextBlock

_KEYS = (b"Name", b"Contents", b"Subj", b"T", b"V")
_MAX_VALUE = 1 << 20  # bytes of UTF-16; a longer annotation string is cut, not refused
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
STAMP = frozenset({"stamp"})


def annotation_blocks(page: Any, number: int) -> tuple[list[TextBlock], bool]:
    """Text of every annotation on a page, one block per distinct string value.

    The flag says whether a stamp, free-text or watermark annotation draws an
    appearance of its own, whose text only a flattened page shows.
    """
    import pypdfium2.raw as pdfium_c

    blocks: list[TextBlock] = []
    drawn = False
    page_box, rotation = page.get_bbox(), page.get_rotation()
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            hints = _hints(subtype, pdfium_c)
            shows_text = bool(hints) or subtype == pdfium_c.FPDF_ANNOT_FREETEXT
            drawn = drawn or (shows_text and _has_appearance(annot))
            vpos = _vpos(annot, page_box, rotation, pdfium_c)
            seen: set[str] = set()
            for key in _KEYS:
                value = _string_value(annot, key, pdfium_c).strip()
                if key == b"Name":
                    # Custom stamps are named by an id (#D4F0...); only standard names are words.
                    named = subtype == pdfium_c.FPDF_ANNOT_STAMP and not value.startswith("#")
                    value = _CAMEL.sub(" ", value) if named else ""
                if value and value.casefold() not in seen:
                    seen.add(value.casefold())
                    blocks.append(
                        TextBlock(
                            value,
                            part="annotation",
                            page=number,
                            line=len(blocks) + 1,
                            origin=f"annotation {index + 1} /{key.decode()}",
                            vpos=vpos,
                            hints=hints,
                        )
                    )
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return blocks, drawn


def _has_appearance(annot: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return bool(pdfium_c.FPDFAnnot_HasKey(annot, b"AP"))


def flatten(page: Any) -> None:
    """Merge annotation appearances into the page content, in memory only."""
    import pypdfium2.raw as pdfium_c

    pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)


def _hints(subtype: int, pdfium_c: Any) -> frozenset[str]:
    if subtype == pdfium_c.FPDF_ANNOT_STAMP:
        return STAMP
    if subtype == pdfium_c.FPDF_ANNOT_WATERMARK:
        return frozenset({"watermark"})
    return frozenset()


def _vpos(annot: Any, page_box: tuple[float, ...], rotation: int, pdfium_c: Any) -> float | None:
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
        return None
    box = (rect.left, rect.bottom, rect.right, rect.top)
    return vpos_of(box, (page_box[0], page_box[1], page_box[2], page_box[3]), rotation)


def _string_value(annot: Any, key: bytes, pdfium_c: Any) -> str:
    size = int(pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0))
    if size <= 2:
        return ""
    size = min(size, _MAX_VALUE)
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, pointer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").rstrip("\x00")
