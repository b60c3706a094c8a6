"""A PDF's document information and XMP metadata: every key, not just the standard ones.

Office writes a document's custom properties into the PDF it exports (the
sensitivity label as ``MSIP_Label_<guid>_Name``, a ``Classification`` or 密级
property), and PDF tools often keep a label in XMP. pdfium reads an Info entry
by name (it decodes the string encodings right) but cannot list the names.

Most files keep both in plain text: the trailer names the Info object, whose
keys a regular expression lists, and the XMP packet is stored uncompressed (as
the XMP specification asks, so that non-PDF tools can find it). Only when the
Info object sits in a compressed object stream, or the XMP is compressed, does
pypdf (BSD, pure Python, already the text fallback's dependency) open the
trailer: about 0.4 ms for a one-page file and 20 ms for a 3 MB, 619-page one,
plus 70 ms to import it once per worker. Measured on 150 one-page PDFs, pypdf
for every file made the whole extractor 1.6x slower; the plain-text path costs
about what pdfium's standard keys alone did. When pypdf cannot open the file,
pdfium's standard entries are read, so a damaged Info never costs the pages.

Title, Subject and Keywords become blocks of their bare value (a title
"机密★5年 ..." reads like a first line); other entries become ``Key: value``,
like a Word document's custom properties, so the key's meaning is kept.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

from secscan.extractors.pdf.glyph_recovery import quiet_pypdf
from secscan.model import TextBlock

BARE_KEYS = ("Title", "Subject", "Keywords")
# Dates, the producing software and identifiers say nothing about secrecy.
_SKIPPED_KEYS = {
    "CreationDate", "ModDate", "Trapped", "Producer", "CreateDate", "ModifyDate", "MetadataDate",
    "CreatorTool", "DocumentID", "InstanceID", "format", "PDFVersion", "OriginalDocumentID",
}  # fmt: skip
_MAX_XMP_BYTES = 4 * 1024 * 1024
_MAX_SCANNED_BYTES = 256 * 1024 * 1024
_MAX_INFO_BYTES = 256 * 1024
_MAX_INFO_KEYS = 500
_INFO_REF = re.compile(rb"/Info\s+(\d+)\s+(\d+)\s+R")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_XMP_PACKET = re.compile(rb"<x:x[am]pmeta\b.{0,4194304}?</x:x[am]pmeta>", re.DOTALL)
_RDF_CONTAINERS = {"Alt", "Bag", "Seq", "li", "Description", "RDF", "xmpmeta"}


def info_blocks(data: bytes, passwords: tuple[str, ...], document: Any) -> list[TextBlock]:
    """Blocks for every Info entry and XMP property of the PDF ``data`` (open in pdfium as ``document``)."""
    info = _plain_info_pairs(data, document)
    xmp = _plain_xmp_pairs(data)
    if info is None or xmp is None:
        try:
            with quiet_pypdf():
                read = _pypdf_pairs(data, passwords)
        except Exception:  # pypdf raises assorted errors on damaged files; pdfium still has the basics
            read = _pdfium_pairs(document)
        info, xmp = read, []
    return _blocks([*info, *xmp])


def _blocks(pairs: list[tuple[str, str, str]]) -> list[TextBlock]:
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


def _plain_info_pairs(data: bytes, document: Any) -> list[tuple[str, str, str]] | None:
    """The Info entries when the Info object is plain text in the file; None when it is compressed."""
    refs = _INFO_REF.findall(data)
    if not refs:
        return []  # the trailer (never compressed) names no Info: there is none
    number, generation = refs[-1]  # the last trailer wins after incremental updates
    # The usual spelling is found with a plain search (a regex with a lookbehind scans the file
    # far slower); other spacing falls back to the regex.
    starts = _object_starts(data, number, generation)
    if not starts:
        return None  # inside an object stream
    body = data[starts[-1] : starts[-1] + _MAX_INFO_BYTES]
    body = body[: body.find(b"endobj")] if b"endobj" in body else body
    names = dict.fromkeys(_name(raw) for raw in _NAME.findall(body)[:_MAX_INFO_KEYS])
    pairs = []
    for key in names:
        value = document.get_metadata_value(key) if key else ""
        if value:
            pairs.append((key, value, f"property:{key}"))
    return pairs


def _object_starts(data: bytes, number: bytes, generation: bytes) -> list[int]:
    """Where the body of object ``number generation`` begins, each time the file defines it."""
    starts: list[int] = []
    for before in (b" ", b"\n", b"\r"):  # the byte before keeps "12 0 obj" from matching "112 0 obj"
        token = before + number + b" " + generation + b" obj"
        at = data.find(token)
        while at >= 0:
            starts.append(at + len(token))
            at = data.find(token, at + 1)
    if starts or data.startswith(number + b" "):
        return sorted(starts)
    header = re.compile(rb"(?<![0-9])" + number + rb"\s+" + generation + rb"\s+obj\b")
    return [m.end() for m in header.finditer(data)]


def _plain_xmp_pairs(data: bytes) -> list[tuple[str, str, str]] | None:
    """Properties of the uncompressed XMP packets; None when the file has XMP but none is plain."""
    if b"/Metadata" not in data:
        return []
    pairs: list[tuple[str, str, str]] = []
    found = False
    for match in _XMP_PACKET.finditer(data[:_MAX_SCANNED_BYTES]):
        found = True
        with contextlib.suppress(Exception):  # a damaged packet costs only itself
            pairs.extend(_xmp_properties(match.group(0)))
    return pairs if found else None


def _name(raw: bytes) -> str:
    """A PDF name token without its slash, ``#xx`` escapes decoded."""
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return decoded.decode("utf-8", "replace")


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
    stream = reader.trailer["/Root"].get_object().get("/Metadata")
    if stream is None:
        return []
    stream = stream.get_object()
    if int(stream.get("/Length", 0) or 0) > _MAX_XMP_BYTES:
        return []
    return _xmp_properties(stream.get_data()[:_MAX_XMP_BYTES])


def _xmp_properties(xml: bytes) -> list[tuple[str, str, str]]:
    from lxml import etree

    from secscan.extractors._common.xmlsafe import parse_xml

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
