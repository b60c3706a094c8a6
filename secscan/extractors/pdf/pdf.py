"""PDF: text layer per page with positions, annotations, document info, attachments.

Library: pypdfium2 (Apache-2.0/BSD, wheels bundle pdfium). The issue author
measured 600 pages: pypdfium2 794 pages/s, pdftotext 287, pdfminer.six 39; and
pypdfium2 also renders pages for OCR, so one library does both. PyMuPDF is
faster still but AGPL, which the default install must not carry.

Per page the text layer becomes positioned lines (:mod:`pdf_lines`). A page
with (nearly) no text but with drawn content is a scan: it is rendered and
handed to :func:`secscan.ocr.recognize` when OCR is on, or reported as a skipped
part when it is off, never silently passed. Stamps (/Confidential, /TopSecret)
and comments are annotations, not page text, so they are read through the raw
pdfium API; a page whose stamps draw their own text (custom Acrobat stamps carry
no readable /Name) is flattened in memory and read again. Embedded files are
returned as members. Text objects pdfium drops because their (non-embedded
CJK) font has no glyphs on this machine are detected per page and that page is
read again with pypdf (:mod:`pdf_fallback`). Before pdfium sees the file,
:mod:`budget` refuses one whose streams expand past the expanded size limit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError, MissingEngine
from secscan.extractors.pdf import budget
from secscan.extractors.pdf import glyph_recovery as pdf_fallback
from secscan.extractors.pdf.annots import STAMP, annotation_blocks, flatten
from secscan.extractors.pdf.attachments import Attachments
from secscan.extractors.pdf.dropped_glyphs import unread_objects
from secscan.extractors.pdf.info import info_blocks
from secscan.extractors.pdf.lines import line_blocks, page_lines
from secscan.model import Extraction, FileKind, Member, SkippedPart, TextBlock

KINDS = frozenset({FileKind.PDF})

_MIN_TEXT_CHARS = 4  # fewer real characters than this on a drawn page: treat it as a scan
_OCR_DPI = 240  # 200-300 dpi is where OCR engines read body text reliably
_OCR_MAX_PIXELS = 4200  # longest side; bounds the work on posters and A0 drawings
_MIN_TEXT_PATHS = 20  # a marking drawn as outlines takes a path per glyph, a frame a handful
_MAX_OBJECTS_CHECKED = 5000


def extract(data: bytes, config: ScanConfig) -> Extraction:
    """Read every page, annotation, info entry and attachment of a PDF."""
    import pypdfium2 as pdfium

    budget.check(data, config.passwords, config.limits)  # pdfium inflates streams with no limit of its own
    document = _open(data, config.passwords)
    try:
        blocks: list[TextBlock] = info_blocks(data, config.passwords, document)
        pages = len(document)
        progress = _Progress(
            pdf_fallback.Fallback(data, config.passwords, pages), attachments=Attachments(config.limits)
        )
        for index in range(pages):
            blocks.extend(_read_page(document, index, config, progress))
        members = (*progress.attachments.document(document), *progress.page_members)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"unreadable PDF: {exc}") from None
    finally:
        document.close()
    parts = ("metadata", "body", *(["annotation"] if any(b.part == "annotation" for b in blocks) else []))
    if progress.ocr_pages:
        parts = (*parts, "ocr")
    skipped = tuple(progress.skipped)
    return Extraction(blocks=tuple(blocks), parts_read=parts, skipped=skipped, members=members, pages=pages)


def _read_page(document: Any, index: int, config: ScanConfig, progress: _Progress) -> list[TextBlock]:
    page = document[index]
    try:
        body = _page_blocks(page, index + 1, config, progress)
        notes, drawn = annotation_blocks(page, index + 1)
        progress.page_members.extend(progress.attachments.page(page, index + 1))
        if drawn:
            flatten(page)
    finally:
        page.close()
    if drawn:
        notes.extend(_appearance_blocks(document, index, body))
    return [*body, *notes]


def _appearance_blocks(document: Any, index: int, body: list[TextBlock]) -> list[TextBlock]:
    """Text that only a stamp's appearance draws (the page was flattened in memory, never saved)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            lines = page_lines(textpage)
        finally:
            textpage.close()
        drawn = line_blocks(lines, index + 1, page.get_bbox(), page.get_rotation())
    finally:
        page.close()
    left = Counter(block.text for block in body)
    extra = []
    for block in drawn:
        if left[block.text] > 0:
            left[block.text] -= 1
        else:
            extra.append(replace(block, part="annotation", origin="annotation appearance", hints=STAMP))
    return extra


@dataclass
class _Progress:
    fallback: pdf_fallback.Fallback
    skipped: list[SkippedPart] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    attachments: Attachments = field(default_factory=Attachments)
    page_members: list[Member] = field(default_factory=list)


def _open(data: bytes, passwords: tuple[str, ...]) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    # An owner-password-only PDF opens with no password; try that first.
    for password in (None, *passwords):
        try:
            return pdfium.PdfDocument(data, password=password)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) != pdfium_c.FPDF_ERR_PASSWORD:
                raise CorruptFile(f"unreadable PDF: {_reason(exc)}") from None
    raise EncryptedError("PDF")


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def _page_blocks(page: Any, number: int, config: ScanConfig, progress: _Progress) -> list[TextBlock]:
    textpage = page.get_textpage()
    try:
        lines = page_lines(textpage)
        unread = unread_objects(page, textpage, progress.fallback.fonts)
    finally:
        textpage.close()
    if unread:
        lines = pdf_fallback.recover(progress.fallback, number, lines, unread, progress.skipped)
    blocks = line_blocks(lines, number, page.get_bbox(), page.get_rotation())
    if sum(len(line.text.replace(" ", "")) for line in lines) >= _MIN_TEXT_CHARS:
        if not config.ocr:
            return blocks
        pictures = _picture_blocks(page, number, config)  # a stamp pasted as a picture on a text page
        if pictures:
            progress.ocr_pages.append(number)
        return [*blocks, *pictures]
    if not _has_drawing(page):
        return blocks
    if not config.ocr:
        progress.skipped.append(SkippedPart(f"page {number}", "no text layer; OCR off"))
        return blocks
    progress.ocr_pages.append(number)
    return [*blocks, *_ocr(page, number, config)]


def _has_drawing(page: Any) -> bool:
    """An image, or enough vector paths to be outlined text; a lone rule or page number is not."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for index in range(min(pdfium_c.FPDFPage_CountObjects(page.raw), _MAX_OBJECTS_CHECKED)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page.raw, index))
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_SHADING):
            return True
        paths += kind == pdfium_c.FPDF_PAGEOBJ_PATH
    return paths >= _MIN_TEXT_PATHS


_PICTURE_MIN_SIDE = 48  # px of the stored picture: smaller holds no legible word
_PICTURES_PER_PAGE = 8  # logos and photos beyond this are left to the page's own text
_PICTURE_MAX_PIXELS = 50_000_000  # a bigger stored picture is a bomb, not a stamp


def _picture_blocks(page: Any, number: int, config: ScanConfig) -> list[TextBlock]:
    """OCR of the pictures on a page that has a text layer (red stamps, pasted scans), largest first.

    Only pictures big enough to carry a word are decoded; each goes through the same
    ``recognize`` as a photo, which looks for red ink (stamps) first.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found = []
    for index in range(min(pdfium_c.FPDFPage_CountObjects(page.raw), _MAX_OBJECTS_CHECKED)):
        raw = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(raw) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        picture = pdfium.PdfObject(raw, page=page, pdf=page.pdf)
        width, height = picture.get_px_size()
        big_enough = min(width, height) >= _PICTURE_MIN_SIDE // 3 and max(width, height) >= _PICTURE_MIN_SIDE
        if big_enough and width * height <= _PICTURE_MAX_PIXELS:
            found.append((width * height, picture))
    if not found:
        return []
    try:
        from secscan.ocr import recognize
    except ImportError as exc:
        raise MissingEngine(f"OCR is not available ({exc.name} is missing); reinstall secscan") from None
    blocks: list[TextBlock] = []
    for _, picture in sorted(found, key=lambda item: -item[0])[:_PICTURES_PER_PAGE]:
        image = _on_white(picture.get_bitmap(render=True).to_pil())
        read = recognize(image, config, number)
        # its boxes are in the picture, not the page: no evidence crop rather than a wrong one
        blocks.extend(replace(block, origin=f"picture on page {number}", box=None) for block in read)
    return blocks


def _on_white(image: Any) -> Any:
    """A picture with transparency laid on white paper: a stamp's clear background must not turn black."""
    from PIL import Image

    if image.mode not in ("RGBA", "LA"):
        return image
    paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")


def _ocr(page: Any, number: int, config: ScanConfig) -> list[TextBlock]:
    try:
        from secscan.ocr import recognize
    except ImportError as exc:
        raise MissingEngine(f"OCR is not available ({exc}); pip install 'secscan[ocr]'") from None
    width, height = page.get_size()
    scale = min(_OCR_DPI / 72, _OCR_MAX_PIXELS / max(width, height, 1.0))
    image = page.render(scale=scale).to_pil()
    return list(recognize(image, config, page=number))
