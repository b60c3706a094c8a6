"""A PDF's document information and XMP metadata: every key, not just the standard ones.

Office writes a document's custom properties into the PDF it exports (the
sensitivity label as ``MSIP_Label_<guid>_Name``, a ``Classification`` or 密级
property), and PDF tools often keep a label in XMP. pdfium reads an Info entry
only by a name known in advance and cannot list the keys, so pypdf (BSD, pure
Python, already a dependency for the text fallback) opens the trailer: it
parses the cross-reference table and the two objects, not the pages (about
20 ms for a 3 MB, 619-page file; its import, 70 ms, is paid once per worker).
When pypdf cannot open the file, pdfium's standard entries are read as before,
so a damaged Info dictionary never costs the pages.

Title, Subject and Keywords become blocks of their bare value (a title
"机密★5年 ..." reads like a first line); other entries become ``Key: value``,
like a Word document's custom properties, so the key's meaning is kept.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from secscan.extractors.pdf_fallback import quiet_pypdf
from secscan.model import TextBlock

BARE_KEYS = ("Title", "Subject", "Keywords")
# Dates, the producing software and identifiers say nothing about secrecy.
_SKIPPED_KEYS = {
    "CreationDate", "ModDate", "Trapped", "Producer", "CreateDate", "ModifyDate", "MetadataDate",
    "CreatorTool", "DocumentID", "InstanceID", "format", "PDFVersion", "OriginalDocumentID",
}  # fmt: skip
_MAX_XMP_BYTES = 4 * 1024 * 1024
_RDF_CONTAINERS = {"Alt", "Bag", "Seq", "li", "Description", "RDF", "xmpmeta"}


def info_blocks(data: bytes, passwords: tuple[str, ...], document: Any) -> list[TextBlock]:
    """Blocks for every Info entry and XMP property; ``document`` (pdfium) when pypdf cannot open it."""
    try:
        with quiet_pypdf():
            pairs = _pypdf_pairs(data, passwords)
    except Exception:  # pypdf raises assorted errors on damaged files; pdfium still has the basics
        pairs = _pdfium_pairs(document)
    seen: set[str] = set()
    blocks: list[TextBlock] = []
    for key, value, origin in pairs:
        value = " ".join(value.split())
        if not value or key in _SKIPPED_KEYS or value in seen:
            continue
        seen.add(value)
        text = value if key in BARE_KEYS else f"{key}: {value}"
        blocks.append(TextBlock(text, part="metadata", line=len(blocks) + 1, origin=origin))
    return blocks


def _pdfium_pairs(document: Any) -> list[tuple[str, str, str]]:
    info = document.get_metadata_dict(skip_empty=True)
    return [(key, str(info[key]), f"property:{key}") for key in (*BARE_KEYS, "Author") if key in info]


def _pypdf_pairs(data: bytes, passwords: tuple[str, ...]) -> list[tuple[str, str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not any(reader.decrypt(password) for password in ("", *passwords)):
        raise ValueError("pypdf could not decrypt the file")
    pairs: list[tuple[str, str, str]] = []
    found = reader.trailer.get("/Info")
    info: Any = found.get_object() if found is not None else None
    if hasattr(info, "items"):
        for raw_key, raw_value in info.items():
            key = str(raw_key).lstrip("/")
            value = raw_value.get_object() if hasattr(raw_value, "get_object") else raw_value
            if isinstance(value, str):
                pairs.append((key, value, f"property:{key}"))
    with contextlib.suppress(Exception):  # a damaged XMP packet must not cost the Info entries
        pairs.extend(_xmp_pairs(reader))
    return pairs


def _xmp_pairs(reader: Any) -> list[tuple[str, str, str]]:
    from lxml import etree

    from secscan.extractors.xmlsafe import parse_xml

    stream = reader.trailer["/Root"].get_object().get("/Metadata")
    if stream is None:
        return []
    stream = stream.get_object()
    if int(stream.get("/Length", 0) or 0) > _MAX_XMP_BYTES:
        return []
    xml = stream.get_data()[:_MAX_XMP_BYTES]
    root = parse_xml(xml.strip(b"\x00 \r\n\t"), "XMP metadata")
    pairs: list[tuple[str, str, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or len(element) or not (element.text or "").strip():
            continue
        owner = element
        while owner is not None and etree.QName(owner).localname in _RDF_CONTAINERS:
            owner = owner.getparent()
        if owner is not None:
            key = str(etree.QName(owner).localname)
            pairs.append((key, element.text or "", f"xmp:{key}"))
    for element in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        for name, value in element.attrib.items():  # the short form: properties as attributes
            key = str(etree.QName(name).localname)
            if key != "about":
                pairs.append((key, value, f"xmp:{key}"))
    return pairs
