"""Evidence crops: a small picture of the page around a marking, for the HTML report.

The person who must act on an audit wants to see the 机密★ in the scan, not only
read that OCR found it. The crop is cut here, in the worker, because only here
is the page at hand: the file's bytes are decoded again (a picture) or the page
rendered again (pypdfium2, the renderer the PDF extractor already uses), once
per page, only for files with a finding that carries a box (OCR'd pictures and
pages, PDF text). Office files get no crop: their report row shows the line.

Bounded on purpose: at most ``MAX_PER_FILE`` crops per scanned file, the most
serious findings first, each ``WIDTH`` pixels wide and at most ``MAX_BYTES``
(smaller of a 64-colour PNG, crisp for rendered text, and a JPEG, small for
photos), so 10,000 findings stay a few MB. The marking's box is outlined in
red. A crop is a courtesy: anything that goes wrong here leaves the finding as
it was, never fails the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from secscan.model import FileKind, FileResult, Finding, Level, PageBox

if TYPE_CHECKING:
    from PIL import Image

MAX_PER_FILE = 3
WIDTH = 360  # px: wide enough for a marking and some of its line, small enough for a table cell
MAX_HEIGHT = 200
MAX_BYTES = 20_000
PDF_SIDE = 1600  # px of the rendered page's long side (about 140 dpi for A4)
PICTURES = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.GIF, FileKind.TIFF, FileKind.BMP, FileKind.WEBP})
_TURNS = {90: "ROTATE_90", 180: "ROTATE_180", 270: "ROTATE_270"}


def with_evidence(result: FileResult, kind: str, data: bytes, passwords: tuple[str, ...] = ()) -> FileResult:
    """``result`` with a crop on each of its (at most ``MAX_PER_FILE``) most serious boxed findings."""
    chosen = _chosen(result.findings)
    if not chosen or (kind not in PICTURES and kind != FileKind.PDF):
        return result
    crops: dict[int, Finding] = {}
    try:
        with _pages(kind, data, passwords) as page_of:
            for index in chosen:
                finding = result.findings[index]
                page = page_of(finding)
                if page is not None:
                    crops[index] = _with_crop(finding, *page)
    except Exception:  # a crop is a courtesy; the finding stands without one
        return result
    findings = tuple(crops.get(i, f) for i, f in enumerate(result.findings))
    return replace(result, findings=findings)


def _chosen(findings: tuple[Finding, ...]) -> list[int]:
    boxed = [i for i, f in enumerate(findings) if f.location.box is not None and f.level > Level.NONE]
    boxed.sort(key=lambda i: (-findings[i].level, -findings[i].confidence))
    return boxed[:MAX_PER_FILE]


# A page source: for a finding, its upright page picture and a refined box (or None: no crop).
PageOf = Any


@contextmanager
def _pages(kind: str, data: bytes, passwords: tuple[str, ...]) -> Iterator[PageOf]:
    if kind == FileKind.PDF:
        with _pdf_pages(data, passwords) as pdf_page_of:
            yield pdf_page_of
        return
    from PIL import Image as PILImage
    from PIL import ImageOps

    image = PILImage.open(io.BytesIO(data))
    frames: dict[int, Image.Image] = {}

    def page_of(finding: Finding) -> tuple[Image.Image, PageBox] | None:
        number, box = finding.location.page or 1, finding.location.box
        assert box is not None
        if number not in frames:
            image.seek(number - 1)
            frame = ImageOps.exif_transpose(image) if number == 1 else image.copy()
            frames[number] = frame.convert("RGB")
        return _turned(frames[number], box.turn), _within_line(finding, box)

    try:
        yield page_of
    finally:
        image.close()


@contextmanager
def _pdf_pages(data: bytes, passwords: tuple[str, ...]) -> Iterator[PageOf]:
    document = _open_pdf(data, passwords)
    rendered: dict[int, Image.Image] = {}

    def page_of(finding: Finding) -> tuple[Image.Image, PageBox] | None:
        number, box = finding.location.page, finding.location.box
        if number is None or box is None or not 1 <= number <= len(document):
            return None
        page = document[number - 1]
        try:
            if number not in rendered:
                width, height = page.get_size()
                rendered[number] = page.render(scale=min(4.0, PDF_SIDE / max(width, height, 1.0))).to_pil()
            if finding.location.part == "ocr":
                return _turned(rendered[number], box.turn), _within_line(finding, box)
            return rendered[number], _searched(page, finding, box) or box
        finally:
            page.close()

    try:
        yield page_of
    finally:
        document.close()


def _open_pdf(data: bytes, passwords: tuple[str, ...]) -> Any:
    import pypdfium2 as pdfium

    for password in (None, *passwords):
        try:
            return pdfium.PdfDocument(data, password=password)
        except pdfium.PdfiumError:
            continue
    raise ValueError("the PDF does not open again")


def _searched(page: Any, finding: Finding, line: PageBox) -> PageBox | None:
    """The matched text's own box on a PDF page: the occurrence inside the line's box."""
    from secscan.extractors.pdf.lines import shown_box

    if not finding.match.strip():
        return None
    textpage = page.get_textpage()
    try:
        searcher = textpage.search(finding.match, match_case=True)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            union = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            found = shown_box(union, page.get_bbox(), page.get_rotation())
            if _inside(found, line):
                return found
    finally:
        textpage.close()
    return None


def _inside(box: PageBox, line: PageBox) -> bool:
    slack = max(line.y1 - line.y0, 0.01)
    middle_x, middle_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    return line.x0 - slack <= middle_x <= line.x1 + slack and line.y0 - slack <= middle_y <= line.y1 + slack


def _within_line(finding: Finding, box: PageBox) -> PageBox:
    """An OCR line's box narrowed to the match, by its share of the line's characters."""
    context, (start, end) = finding.context, finding.span
    if not context or not 0 <= start < end <= len(context) or end - start == len(context):
        return box
    width = box.x1 - box.x0
    return replace(box, x0=box.x0 + width * start / len(context), x1=box.x0 + width * end / len(context))


def _turned(picture: Image.Image, turn: int) -> Image.Image:
    from PIL import Image as PILImage

    name = _TURNS.get(turn % 360)
    return picture if name is None else picture.transpose(getattr(PILImage.Transpose, name))


def _with_crop(finding: Finding, picture: Image.Image, box: PageBox) -> Finding:
    crop = cut(picture, box)
    return replace(finding, location=replace(finding.location, box=box), evidence=crop)


def cut(picture: Image.Image, box: PageBox) -> bytes | None:
    """The region around ``box`` of ``picture``, the box outlined, as at most ``MAX_BYTES`` of image."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = picture.size
    x0, y0, x1, y1 = box.x0 * width, box.y0 * height, box.x1 * width, box.y1 * height
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    line = y1 - y0
    across = max(x1 - x0 + 4 * line, 6 * line)  # some of the line on each side, however short the match
    middle = (x0 + x1) / 2
    left, right = max(0, round(middle - across / 2)), min(width, round(middle + across / 2))
    top, bottom = max(0, round(y0 - 1.5 * line)), min(height, round(y1 + 1.5 * line))
    region = picture.crop((left, top, right, bottom))
    scale = min(2.0, WIDTH / region.width, MAX_HEIGHT / region.height)
    size = (max(1, round(region.width * scale)), max(1, round(region.height * scale)))
    region = region.resize(size, PILImage.Resampling.LANCZOS).convert("RGB")
    outline = [(x0 - left) * scale - 2, (y0 - top) * scale - 2]
    outline += [(x1 - left) * scale + 2, (y1 - top) * scale + 2]
    ImageDraw.Draw(region).rectangle(outline, outline=(220, 0, 0), width=2)
    while True:
        encoded = _smallest(region)
        if len(encoded) <= MAX_BYTES or region.width < 80:
            return encoded if len(encoded) <= MAX_BYTES else None
        region = region.resize((region.width * 3 // 4, region.height * 3 // 4), PILImage.Resampling.LANCZOS)


def _smallest(region: Image.Image) -> bytes:
    png, jpeg = io.BytesIO(), io.BytesIO()
    region.quantize(colors=64).save(png, format="PNG", optimize=True)
    region.save(jpeg, format="JPEG", quality=70, optimize=True)
    return min(png.getvalue(), jpeg.getvalue(), key=len)
