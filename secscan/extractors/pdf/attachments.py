"""Files attached to a PDF, as members, with pypdfium2's raw PDFium API (Apache-2.0/BSD).

Two places hold them: the document's EmbeddedFiles name tree (what a viewer
lists in its attachments pane) and FileAttachment annotations on pages (a
paper-clip icon). PDFium exposes the first as ``FPDFDoc_GetAttachment`` and
the second as ``FPDFAnnot_GetFileAttachment``, both as ``FPDF_ATTACHMENT``
handles, so one reader serves both. Each file's size is asked before its
bytes are copied, and an attachment over ``max_bytes`` raises LimitExceeded.

The pdf extractor reads a page's paperclips while it has the page open for its
text (``Attachments.page``): loading every page a second time for them cost a
619-page file 40% more time. ``pdf_attachments`` reads both kinds in one call.
"""

from __future__ import annotations

import ctypes
from typing import Any

from secscan.config import Limits
from secscan.errors import LimitExceeded
from secscan.model import Member

_FILE_ATTACHMENT_SUBTYPE = 17  # FPDF_ANNOT_FILEATTACHMENT


class Attachments:
    """The attached files of one document, all of them within one expanded-size budget."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.room = (limits or Limits()).max_expanded_size

    def document(self, pdf: Any) -> list[Member]:
        """The files of the EmbeddedFiles name tree (the viewer's attachments pane)."""
        import pypdfium2.raw as pdfium_c

        count = pdfium_c.FPDFDoc_GetAttachmentCount(pdf.raw)
        return self._read(pdfium_c, [(pdfium_c.FPDFDoc_GetAttachment(pdf.raw, i), "") for i in range(count)])

    def page(self, page: Any, number: int) -> list[Member]:
        """The files of ``page``'s FileAttachment annotations (paperclips), read while it is open."""
        import pypdfium2.raw as pdfium_c

        found: list[tuple[Any, str]] = []
        annots: list[Any] = []
        for annot_index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
            annot = pdfium_c.FPDFPage_GetAnnot(page.raw, annot_index)
            if not annot:
                continue
            annots.append(annot)
            if pdfium_c.FPDFAnnot_GetSubtype(annot) == _FILE_ATTACHMENT_SUBTYPE:
                handle = pdfium_c.FPDFAnnot_GetFileAttachment(annot)
                if handle:
                    found.append((handle, f"page {number} annotation/"))
        try:
            return self._read(pdfium_c, found)
        finally:
            for annot in annots:
                pdfium_c.FPDFPage_CloseAnnot(annot)

    def _read(self, pdfium_c: Any, handles: list[tuple[Any, str]]) -> list[Member]:
        members: list[Member] = []
        for number, (handle, where) in enumerate(handles, start=1):
            if not handle:
                continue
            name = _name(pdfium_c, handle) or f"attachment-{number}"
            data = _file(pdfium_c, handle, name, self.room)
            if data is None:
                continue
            self.room -= len(data)
            members.append(Member(f"{where}{name}".replace("\\", "_"), data))
        return members


def pdf_attachments(pdf: Any, limits: Limits | None = None) -> list[Member]:
    """Every attached file of ``pdf`` (a ``pypdfium2.PdfDocument``): the name tree's, then the pages'."""
    attachments = Attachments(limits)
    members = attachments.document(pdf)
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            members.extend(attachments.page(page, index + 1))
        finally:
            page.close()
    return members


def _name(pdfium_c: Any, handle: Any) -> str:
    size = pdfium_c.FPDFAttachment_GetName(handle, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAttachment_GetName(handle, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace").replace("/", "_")


def _file(pdfium_c: Any, handle: Any, name: str, room: int) -> bytes | None:
    length = ctypes.c_ulong(0)
    if not pdfium_c.FPDFAttachment_GetFile(handle, None, 0, ctypes.byref(length)):
        return None  # declared but without an embedded stream
    if length.value > room:
        raise LimitExceeded(
            f"PDF attachment {name!r} is {length.value:,} bytes, past what is left of the expanded size "
            f"limit ({room:,} bytes)"
        )
    buffer = ctypes.create_string_buffer(max(length.value, 1))
    if not pdfium_c.FPDFAttachment_GetFile(handle, buffer, length.value, ctypes.byref(length)):
        return None
    return buffer.raw[: length.value]
