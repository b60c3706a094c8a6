"""Text of one OpenDocument paragraph, and the document's meta.xml fields.

ODF stores runs of spaces as ``<text:s text:c="3"/>``, tabs and line breaks as
elements, and nests annotations, footnotes and anchored frames *inside* the
paragraph they are attached to. Those nested parts are reported on their own
(as comment, body or textbox), so the paragraph's own text leaves them out.
"""

from __future__ import annotations

from lxml import etree

from secscan.model import TextBlock

_NESTED = frozenset({"annotation", "note", "frame", "a-annotation-end"})
_META_KEEP = frozenset({"title", "subject", "description", "keyword", "initial-creator", "creator"})
_MAX_SPACES = 64


def paragraph_text(paragraph: etree._Element) -> str:
    pieces: list[str] = []
    _collect(paragraph, pieces)
    return " ".join("".join(pieces).split(" ")).strip()


def _collect(element: etree._Element, pieces: list[str]) -> None:
    if element.text:
        pieces.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            if local == "s":
                count = child.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c", "1")
                pieces.append(" " * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
            elif local == "tab":
                pieces.append("\t")
            elif local == "line-break":
                pieces.append(" ")
            elif local not in _NESTED:
                _collect(child, pieces)
        if child.tail:
            pieces.append(child.tail)


def meta_blocks(root: etree._Element) -> list[TextBlock]:
    """Title, subject, keywords ... as they stand; user-defined fields as ``NAME: VALUE``."""
    blocks: list[TextBlock] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        value = (element.text or "").strip()
        if not value:
            continue
        if local == "user-defined":
            name = element.get("{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name", "")
            blocks.append(
                TextBlock(
                    f"{name}: {value}", part="metadata", line=len(blocks) + 1, origin=f"property:{name}"
                )
            )
        elif local in _META_KEEP:
            blocks.append(TextBlock(value, part="metadata", line=len(blocks) + 1, origin=f"property:{local}"))
    return blocks
