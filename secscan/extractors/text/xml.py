"""Generic XML and Word 2003 XML (WordprocessingML) -> text blocks.

Parsed with the hardened parser (no entities, no DTD, no network). Word 2003
XML splits a paragraph into runs, so for it each ``w:p`` paragraph is one
block; for other XML each element's own text is one block, so tags and
attribute noise never reach the matcher. XML the parser refuses (malformed, or
over libxml2's limits) is read as plain text instead, never dropped.
"""

from __future__ import annotations

from lxml import etree

from secscan.config import ScanConfig
from secscan.errors import CorruptFile
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.text import plain as text
from secscan.model import Extraction, FileKind, TextBlock

KINDS = frozenset({FileKind.XML, FileKind.WORDML_XML})

_WORDML = "http://schemas.microsoft.com/office/word/2003/wordml"


def extract(data: bytes, config: ScanConfig) -> Extraction:
    try:
        root = parse_xml(data, "XML document")
    except CorruptFile:
        return text.extract(data, config)
    if any(True for _ in root.iter(f"{{{_WORDML}}}p")):
        pairs = [(_wordml_part(p), "".join(p.itertext())) for p in root.iter(f"{{{_WORDML}}}p")]
    else:
        pairs = []
        for element in root.iter():
            pairs += [("body", element.text or "")] if isinstance(element.tag, str) else []
            pairs += [("body", element.tail or "")]
    lines = [(part, " ".join(line.split())) for part, line in pairs if line.strip()]
    blocks = [TextBlock(line, part=part, line=n, origin="xml") for n, (part, line) in enumerate(lines, 1)]
    return Extraction(tuple(blocks), parts_read=("body", "header", "footer"))


def _wordml_part(paragraph: etree._Element) -> str:
    for ancestor in paragraph.iterancestors():
        if ancestor.tag == f"{{{_WORDML}}}hdr":
            return "header"
        if ancestor.tag == f"{{{_WORDML}}}ftr":
            return "footer"
    return "body"
