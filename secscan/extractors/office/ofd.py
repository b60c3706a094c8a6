"""OFD (GB/T 33190-2016, China's fixed-layout format for 公文 and e-invoices) -> text blocks.

OFD.xml -> DocBody -> DocInfo (title, subject, keywords, ``CustomDatas``, where
a 密级 may be kept as metadata) and DocRoot -> Document.xml -> pages, each a
Content.xml of TextObject/TextCode placed in millimetres. Text is rebuilt into
lines per page with ``vpos`` (baseline over page height), so a 密级 line at the
top of page 1 reads as the banner it is. Template pages (shown under every
page: ``header``/``footer`` by position),
annotations (watermarks, stamps: part ``annotation``), custom tags (公文
metadata) and attachments (returned as members, scanned recursively) are read
too. The pictures pages, templates and annotations draw (a scanned 公文 is one
image per page) are returned as members, once each, for the pipeline to OCR;
one that cannot be found is a skipped part (:mod:`ofd_images`). Paths in OFD
may be absolute (``/Doc_0/…``) or relative to the file that names them; both
are resolved.

zipfile + the hardened lxml parser: no maintained permissive Python OFD reader
exists (easyofd and ofdparser are thin and unmaintained).
"""

from __future__ import annotations

import hashlib
import posixpath

from lxml import etree

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.ofd_images import Pictures, locate
from secscan.extractors.office.ofd_lines import group_lines, page_glyphs, page_height
from secscan.extractors.office.zipparts import Package
from secscan.model import Extraction, FileKind, Member, SkippedPart, TextBlock

KINDS = frozenset({FileKind.OFD})

_A4_HEIGHT = 297.0
_DOC_INFO = ("Title", "Author", "Subject", "Abstract", "Keyword", "Creator")


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "OFD package")
    if any(n.lower().endswith("encryptions.xml") for n in package.names):
        raise EncryptedError("OFD package (GM/T 0099 encryption)", openable=False)
    root = parse_xml(package.read("OFD.xml"), "OFD.xml")
    blocks: list[TextBlock] = []
    members: dict[str, Member] = {}
    skipped: list[SkippedPart] = []
    attachments: list[Member] = []
    pages = 0
    for body in root.iter("{*}DocBody"):
        blocks += _doc_info(body)
        doc_root = _text(body, "DocRoot")
        path = locate(package, "", doc_root) if doc_root else None
        if path is None:
            raise CorruptFile(f"OFD DocRoot {doc_root!r} is missing")
        doc_blocks, doc_pages, pictures, doc_attachments = _document(package, path, pages)
        blocks += doc_blocks
        for member in pictures.members:
            # Identical bytes under two names (one scan saved per page) are OCR'd once.
            members.setdefault(hashlib.sha256(member.data).hexdigest(), member)
        skipped += pictures.skipped
        attachments += doc_attachments
        pages += doc_pages
    parts = ("body", "header", "footer", "annotation", "metadata")
    return Extraction(
        tuple(blocks),
        parts_read=parts,
        skipped=tuple(skipped),
        members=(*members.values(), *attachments),
        pages=pages,
    )


def _document(
    package: Package, path: str, first_page: int
) -> tuple[list[TextBlock], int, Pictures, list[Member]]:
    doc = parse_xml(package.read(path), path)
    default_height = page_height(_text(doc, "PhysicalBox"), _A4_HEIGHT)
    pictures = Pictures(package, path, doc)
    blocks: list[TextBlock] = []
    page_ids: dict[str, int] = {}
    for index, page in enumerate(doc.iter("{*}Page"), first_page + 1):
        page_ids[page.get("ID", "")] = index
        content = locate(package, path, page.get("BaseLoc", ""))
        if content is not None:
            root = parse_xml(package.read(content), content)
            blocks += _page_blocks(root, content, index, "body", default_height)
            pictures.collect(root, content, f"page {index}")
    for template in doc.iter("{*}TemplatePage"):
        content = locate(package, path, template.get("BaseLoc", ""))
        if content is not None:
            root = parse_xml(package.read(content), content)
            blocks += _page_blocks(root, content, None, "template", default_height)
            pictures.collect(root, content, f"template {content}")
    annotations = _text(doc, "Annotations")
    if annotations:
        blocks += _annotations(package, path, annotations, page_ids, default_height, pictures)
    blocks += _custom_tags(package, path, _text(doc, "CustomTags"))
    return blocks, len(page_ids), pictures, _attachments(package, path, _text(doc, "Attachments"))


def _page_blocks(
    root: etree._Element, path: str, page: int | None, part: str, height: float
) -> list[TextBlock]:
    height = page_height(_text(root, "PhysicalBox"), height)
    blocks = []
    for number, (text, y) in enumerate(group_lines(page_glyphs(root)), 1):
        vpos = min(max(y / height, 0.0), 1.0)
        this_part = ("footer" if vpos >= 0.5 else "header") if part == "template" else part
        blocks.append(TextBlock(text, part=this_part, page=page, line=number, origin=path, vpos=vpos))
    return blocks


def _annotations(
    package: Package,
    doc_path: str,
    loc: str,
    page_ids: dict[str, int],
    height: float,
    pictures: Pictures,
) -> list[TextBlock]:
    index_path = locate(package, doc_path, loc)
    if index_path is None:
        return []
    blocks: list[TextBlock] = []
    for page in parse_xml(package.read(index_path), index_path).iter("{*}Page"):
        path = locate(package, index_path, _text(page, "FileLoc"))
        if path is None:
            continue
        number = page_ids.get(page.get("PageID", ""))
        root = parse_xml(package.read(path), path)
        blocks += _page_blocks(root, path, number, "annotation", height)
        where = f"page {number} annotation" if number is not None else f"annotation {path}"
        pictures.collect(root, path, where)
        for line, annot in enumerate(root.iter("{*}Remark"), 1):
            if annot.text and annot.text.strip():
                blocks.append(
                    TextBlock(
                        annot.text.strip(), part="annotation", page=number, line=line, origin=f"{path} remark"
                    )
                )
    return blocks


def _custom_tags(package: Package, doc_path: str, loc: str) -> list[TextBlock]:
    index_path = locate(package, doc_path, loc) if loc else None
    if index_path is None:
        return []
    blocks: list[TextBlock] = []
    for tag in parse_xml(package.read(index_path), index_path).iter("{*}CustomTag"):
        path = locate(package, index_path, _text(tag, "FileLoc"))
        if path is None:
            continue
        try:
            tree = parse_xml(package.read(path), path)
        except CorruptFile:
            continue  # custom tags are optional metadata; a broken one must not hide the pages
        for element in tree.iter():
            if isinstance(element.tag, str) and element.text and element.text.strip():
                name = etree.QName(element).localname
                blocks.append(
                    TextBlock(
                        f"{name}: {element.text.strip()}",
                        part="metadata",
                        line=len(blocks) + 1,
                        origin=f"{path} {name}",
                    )
                )
    return blocks


def _attachments(package: Package, doc_path: str, loc: str) -> list[Member]:
    index_path = locate(package, doc_path, loc) if loc else None
    if index_path is None:
        return []
    members = []
    for attachment in parse_xml(package.read(index_path), index_path).iter("{*}Attachment"):
        path = locate(package, index_path, _text(attachment, "FileLoc"))
        if path is not None:
            members.append(Member(attachment.get("Name") or posixpath.basename(path), package.read(path)))
    return members


def _doc_info(body: etree._Element) -> list[TextBlock]:
    info = next(body.iter("{*}DocInfo"), None)
    if info is None:
        return []
    pairs = [
        (f"property:{etree.QName(e).localname}", (e.text or "").strip())
        for e in info.iter(*(f"{{*}}{name}" for name in _DOC_INFO))
    ]
    pairs += [
        (f"property:{c.get('Name', '')}", f"{c.get('Name', '')}: {(c.text or '').strip()}")
        for c in info.iter("{*}CustomData")
    ]
    return [
        TextBlock(text, part="metadata", line=n, origin=origin)
        for n, (origin, text) in enumerate(pairs, 1)
        if text.strip()
    ]


def _text(root: etree._Element, local: str) -> str:
    found = next(root.iter(f"{{*}}{local}"), None)
    return (found.text or "").strip() if found is not None else ""
