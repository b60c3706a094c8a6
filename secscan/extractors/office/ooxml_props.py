"""Document properties of a Word package -> ``metadata`` blocks.

Sensitivity labels live here, not in the text: Microsoft Purview writes
``MSIP_Label_<guid>_Name = Confidential`` into ``docProps/custom.xml`` (and ids
into ``docMetadata/LabelInfo.xml``); Chinese systems write ``密级 = 机密``;
classification add-ins use Word document variables. Core properties (title,
subject, keywords, category, description...) often repeat a 密级 too. Custom
properties and variables are emitted as ``NAME: VALUE`` so the name is context
for the matcher; core and app values are emitted as they stand.
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from secscan.extractors._common.xmlsafe import parse_xml
from secscan.model import TextBlock

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Dates, counters and editing statistics carry no words worth matching.
_CORE_SKIP = {"created", "modified", "lastPrinted", "revision", "language", "identifier", "version"}
_APP_KEEP = {"Company", "Manager", "HyperlinkBase"}


class Reads(Protocol):
    def read(self, name: str) -> bytes | None: ...


def property_blocks(reader: Reads) -> list[TextBlock]:
    """Blocks from core, app and custom properties, label info and document variables."""
    blocks: list[TextBlock] = []
    for name, collect in (
        ("docProps/core.xml", _core),
        ("docProps/app.xml", _app),
        ("docProps/custom.xml", _custom),
        ("docMetadata/LabelInfo.xml", _label_info),
        ("word/settings.xml", _doc_vars),
    ):
        xml = reader.read(name)
        if xml:
            blocks.extend(_numbered(collect(parse_xml(xml, name)), name))
    return blocks


def _numbered(pairs: list[tuple[str, str]], part_name: str) -> list[TextBlock]:
    return [
        TextBlock(text, part="metadata", line=number, origin=origin or part_name)
        for number, (origin, text) in enumerate(pairs, 1)
        if text.strip()
    ]


def _local(el: etree._Element) -> str:
    return str(etree.QName(el).localname)


def _core(root: etree._Element) -> list[tuple[str, str]]:
    return [
        (f"property:{_local(el)}", el.text or "")
        for el in root
        if isinstance(el.tag, str) and _local(el) not in _CORE_SKIP
    ]


def _app(root: etree._Element) -> list[tuple[str, str]]:
    return [
        (f"property:{_local(el)}", el.text or "")
        for el in root
        if isinstance(el.tag, str) and _local(el) in _APP_KEEP
    ]


def _custom(root: etree._Element) -> list[tuple[str, str]]:
    pairs = []
    for prop in root:
        name = prop.get("name")
        if not isinstance(prop.tag, str) or not name:
            continue
        value = " ".join(t.strip() for t in prop.itertext() if t.strip())
        pairs.append((f"property:{name}", f"{name}: {value}"))
    return pairs


def _label_info(root: etree._Element) -> list[tuple[str, str]]:
    pairs = []
    for label in root.iter():
        if isinstance(label.tag, str) and _local(label) == "label":
            attrs = " ".join(f"{key}={value}" for key, value in label.attrib.items())
            pairs.append(("docMetadata/LabelInfo.xml", f"sensitivity label: {attrs}"))
    return pairs


def _doc_vars(root: etree._Element) -> list[tuple[str, str]]:
    return [
        (f"docVar:{var.get(f'{_W}name', '')}", f"{var.get(f'{_W}name', '')}: {var.get(f'{_W}val', '')}")
        for var in root.iter(f"{_W}docVar")
    ]
