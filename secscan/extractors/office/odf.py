"""OpenDocument .odt/.ods/.odp (LibreOffice, WPS, Google Docs exports) -> text blocks.

Reads ``content.xml`` (body, tables, frames and text boxes, annotations,
spreadsheet rows by sheet, presentation pages and their notes), ``styles.xml``
(page headers and footers of every master page, and the frames of
presentation master pages, reported as ``header`` since they show on every
slide) and ``meta.xml`` (title, subject,
keywords, description and user-defined fields such as ``密级``).

zipfile + the hardened lxml parser: odfpy loads the whole document into its own
DOM (much slower) and offers nothing the XML does not. Repeat counts
(``number-columns-repeated``) are never expanded, so a sheet claiming a billion
columns (calamine/issue_594_dos.ods) costs nothing. A package whose manifest
lists ``encryption-data`` is an encrypted ODF: reported, not guessed at.

Embedded objects and pictures: an ODF sub-document (a chart, a formula, a text
or sheet pasted in) is a folder of its own, ``Object 1/content.xml`` (and
``styles.xml``, ``meta.xml``), read here like the main document; a flat
``Object N`` file (an OLE object: an Office file or a package wrapped by
Office) and everything under ``Pictures/`` are handed back as members for the
pipeline to scan, as the .docx reader does with ``word/media/`` and
``word/embeddings/``. ``ObjectReplacements/`` and ``Thumbnails/`` hold preview
images of what is read anyway, and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree

from secscan.config import ScanConfig
from secscan.errors import EncryptedError
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.odf_text import meta_blocks, paragraph_text
from secscan.extractors.office.zipparts import Package
from secscan.model import Extraction, FileKind, Member, TextBlock

KINDS = frozenset({FileKind.ODT, FileKind.ODS, FileKind.ODP, FileKind.ODF})

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_PARAGRAPHS = (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h")
# Nearest ancestor (local name) -> part; the first one found going up wins.
_ANCESTOR_PARTS = {
    "annotation": "comment",
    "notes": "notes",
    "note": "body",
    "header": "header",
    "header-left": "header",
    "header-first": "header",
    "footer": "footer",
    "footer-left": "footer",
    "footer-first": "footer",
    "text-box": "textbox",
    "table-cell": "table",
    "master-page": "master",
}
# A flat embedded object, as LibreOffice and Office name it (``Object 1``); a folder of that
# name is a sub-document instead.
_FLAT_OBJECT = re.compile(r"Object \d+")


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "OpenDocument package")
    manifest = package.read_optional("META-INF/manifest.xml") or b""
    if b"encryption-data" in manifest:
        raise EncryptedError("OpenDocument package", openable=False)
    blocks, pages = _document_blocks(package, "")
    folders = _object_folders(package)
    for folder in folders:
        # A sub-document is read in place rather than handed back as a member: a member is one
        # file's bytes, and this folder would have to be zipped up again, with a mimetype, to be
        # scanned as a file. Its pages (or sheets) are not the container's, so they are dropped.
        inner, _ = _document_blocks(package, folder)
        blocks += [replace(block, page=None, origin=f"{folder}{block.origin}") for block in inner]
    parts = ("body", "table", "header", "footer", "textbox", "comment", "notes", "metadata")
    members = _members(package, folders)
    return Extraction(tuple(blocks), parts_read=parts, members=tuple(members), pages=pages)


def _document_blocks(package: Package, folder: str) -> tuple[list[TextBlock], int | None]:
    """content.xml, styles.xml and meta.xml of the document (``folder`` "") or of a sub-document."""
    content = parse_xml(package.read(f"{folder}content.xml"), f"{folder}content.xml")
    blocks, pages = _content_blocks(content)
    styles = package.read_optional(f"{folder}styles.xml")
    if styles is not None:
        root = parse_xml(styles, f"{folder}styles.xml")
        blocks += _paragraph_blocks(root, "styles.xml", default_part="master")
    meta = package.read_optional(f"{folder}meta.xml")
    if meta is not None:
        blocks += meta_blocks(parse_xml(meta, f"{folder}meta.xml"))
    return blocks, pages


def _object_folders(package: Package) -> list[str]:
    """``Object 1/``, ``Object 1/Object 2/`` ...: every folder holding a content.xml."""
    return sorted(name[: -len("content.xml")] for name in package.names if name.endswith("/content.xml"))


def _members(package: Package, folders: list[str]) -> list[Member]:
    """Pictures and flat embedded objects of the document and of its sub-documents, by part path."""
    members = []
    for name in package.names:
        if name.endswith("/"):
            continue
        # Seen from the document or from any sub-document holding it (so a stray content.xml
        # under Pictures/ cannot turn that folder into a sub-document and hide its pictures).
        inners = [name[len(f) :] for f in ("", *folders) if name.startswith(f)]
        if any(inner.startswith("Pictures/") or _FLAT_OBJECT.fullmatch(inner) for inner in inners):
            data = package.read(name)
            if data:
                members.append(Member(name, data))
    return members


def _content_blocks(root: etree._Element) -> tuple[list[TextBlock], int | None]:
    sheets = list(root.iter(f"{{{_TABLE}}}table"))
    if next(root.iter("{*}spreadsheet"), None) is not None:
        blocks: list[TextBlock] = []
        for number, sheet in enumerate(sheets, 1):
            blocks += _sheet_blocks(sheet, number)
        return blocks, len(sheets)
    pages = list(root.iter(f"{{{_DRAW}}}page"))
    if pages:
        blocks = []
        for number, page in enumerate(pages, 1):
            blocks += _paragraph_blocks(page, f"content.xml page {number}", page=number, default_part="slide")
        return blocks, len(pages)
    return _paragraph_blocks(root, "content.xml"), None


def _sheet_blocks(sheet: etree._Element, number: int) -> list[TextBlock]:
    name = sheet.get(f"{{{_TABLE}}}name", "")
    origin = f"content.xml ({name})"
    blocks = [TextBlock(name, part="metadata", page=number, line=1, origin=f"sheet name ({name})")]
    line = 0
    for row in sheet.iter(f"{{{_TABLE}}}table-row"):
        line += 1
        cells = [_cell_text(cell) for cell in row if isinstance(cell.tag, str)]
        cells = [c for c in cells if c]
        if cells:
            hints = frozenset({"alone"}) if len(cells) == 1 else frozenset()
            blocks.append(
                TextBlock("\t".join(cells), part="table", page=number, line=line, origin=origin, hints=hints)
            )
        repeated = row.get(f"{{{_TABLE}}}number-rows-repeated", "1")
        line += int(repeated) - 1 if repeated.isdigit() and len(repeated) < 9 else 0
    for annotation in sheet.iter("{*}annotation"):
        text = " ".join(paragraph_text(p) for p in annotation.iter(*_PARAGRAPHS)).strip()
        if text:
            blocks.append(TextBlock(text, part="comment", page=number, line=1, origin=origin))
    return blocks


def _cell_text(cell: etree._Element) -> str:
    return " ".join(
        t for p in cell.iter(*_PARAGRAPHS) if _owner(p) == "table-cell" and (t := paragraph_text(p))
    )


def _paragraph_blocks(
    root: etree._Element, origin: str, page: int | None = None, default_part: str = "body"
) -> list[TextBlock]:
    blocks = []
    counters: dict[str, int] = {}
    for paragraph, part in _paragraphs(root, default_part):
        text = paragraph_text(paragraph)
        if not text:
            continue
        counters[part] = counters.get(part, 0) + 1
        blocks.append(TextBlock(text, part=part, page=page, line=counters[part], origin=origin))
    return blocks


def _paragraphs(root: etree._Element, default_part: str) -> Iterator[tuple[etree._Element, str]]:
    """Each paragraph with its part; in styles.xml only master pages are shown text."""
    for paragraph in root.iter(*_PARAGRAPHS):
        owner = _owner(paragraph)
        part = _ANCESTOR_PARTS.get(owner, "body") if owner else default_part
        if default_part == "master":
            if not any(etree.QName(a).localname == "master-page" for a in paragraph.iterancestors()):
                continue  # style samples outside master pages are never shown
            # Master-page frames show on every page or slide, like a header.
            yield paragraph, part if part == "footer" else "header"
        elif default_part == "slide" and part in ("textbox", "body"):
            # Every slide text sits in a frame: it is the slide's body, or its notes.
            in_notes = any(etree.QName(a).localname == "notes" for a in paragraph.iterancestors())
            yield paragraph, "notes" if in_notes else "body"
        else:
            yield paragraph, part


def _owner(paragraph: etree._Element) -> str | None:
    for ancestor in paragraph.iterancestors():
        if isinstance(ancestor.tag, str):
            local: str = etree.QName(ancestor).localname
            if local in _ANCESTOR_PARTS:
                return local
    return None
