"""Excel .xlsx/.xlsm (and Kingsoft .et saved as OOXML) -> text blocks.

Reads every place a spreadsheet hides a marking: cell text (shared and inline
strings), sheet names, hidden and very hidden sheets, page headers/footers
(``&L&"黑体,常规"&16秘密★1年``), cell comments, threaded comments, text boxes
and shapes in drawings, the text of charts and SmartArt (titles, series and
category names, boxes: :class:`drawingml.GraphicText`), and document
properties. Pictures and embedded objects (``xl/media/``, ``xl/embeddings/``)
are handed back as members for the pipeline to scan, as the .docx reader does.

zipfile + the hardened lxml parser, not openpyxl: openpyxl builds a full cell
model with styles (about 10x slower on the corpus) and drops headers of hidden
sheets; parse_xml also refuses entity bombs (poi/poc-xmlbomb.xlsx).
"""

from __future__ import annotations

from lxml import etree

from secscan.config import ScanConfig
from secscan.extractors._common.excel_hf import header_footer_sections
from secscan.extractors._common.textbudget import TextBudget
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.drawingml import GraphicText
from secscan.extractors.office.ooxml_props import property_blocks
from secscan.extractors.office.zipparts import OptionalParts, Package, folder_of, media_members, relationships
from secscan.model import Extraction, FileKind, TextBlock

KINDS = frozenset({FileKind.XLSX})

_HF_PARTS = {
    "oddHeader": "header",
    "evenHeader": "header",
    "firstHeader": "header",
    "oddFooter": "footer",
    "evenFooter": "footer",
    "firstFooter": "footer",
}


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "workbook")
    workbook = _main_part(package)
    shared = _shared_strings(package, workbook)
    blocks: list[TextBlock] = []
    budget = TextBudget(config.limits, "workbook")
    sheets = _sheets(package, workbook)
    graphics = GraphicText(package, folder_of(workbook))
    for number, (name, state, path) in enumerate(sheets, 1):
        label = f"{name}, {state}" if state != "visible" else name
        origin = f"{path} ({label})"
        blocks.append(TextBlock(name, part="metadata", page=number, line=1, origin=f"sheet name ({label})"))
        if path in package:
            blocks.extend(_sheet_blocks(package, path, number, origin, shared, budget, graphics))
    blocks.extend(graphics.rest())  # charts and SmartArt no sheet's drawing shows
    blocks.extend(property_blocks(OptionalParts(package)))
    members = media_members(package, folder_of(workbook))
    return Extraction(
        tuple(blocks),
        parts_read=("table", "header", "footer", "comment", "textbox", "metadata"),
        members=tuple(members),
        pages=len(sheets),
    )


def _main_part(package: Package) -> str:
    for _, kind, target in relationships(package, ""):
        if kind == "officeDocument":
            return target
    return "xl/workbook.xml"


def _shared_strings(package: Package, workbook: str) -> list[str]:
    path = next((t for _, k, t in relationships(package, workbook) if k == "sharedStrings"), None)
    xml = package.read_optional(path or "xl/sharedStrings.xml")
    if xml is None:
        return []
    return [rich_text(item) for item in parse_xml(xml, "shared strings").iter("{*}si")]


def rich_text(item: etree._Element) -> str:
    """The text of a string item; phonetic guides (``rPh``) are not part of the text."""
    return "".join(t.text or "" for t in item.iter("{*}t") if etree.QName(t.getparent()).localname != "rPh")


def _sheets(package: Package, workbook: str) -> list[tuple[str, str, str]]:
    """(name, state, part path) of each sheet, in workbook order."""
    targets = {rid: target for rid, _, target in relationships(package, workbook)}
    root = parse_xml(package.read(workbook), workbook)
    sheets = []
    for sheet in root.iter("{*}sheet"):
        rid = next((v for k, v in sheet.attrib.items() if etree.QName(k).localname == "id"), "")
        sheets.append((sheet.get("name", ""), sheet.get("state", "visible"), targets.get(rid, "")))
    return sheets


def _sheet_blocks(
    package: Package,
    path: str,
    number: int,
    origin: str,
    shared: list[str],
    budget: TextBudget,
    graphics: GraphicText,
) -> list[TextBlock]:
    root = parse_xml(package.read(path), path)
    blocks = _cell_rows(root, number, origin, shared, budget)
    blocks.extend(_header_footer(root, number, origin))
    for _, kind, target in relationships(package, path):
        if kind in ("comments", "threadedComment") and target in package:
            blocks.extend(_comments(package, target, number))
        elif kind == "drawing" and target in package:
            blocks.extend(_drawing(package, target, number))
            blocks.extend(graphics.linked(target, number))
    return blocks


def _cell_rows(
    root: etree._Element, number: int, origin: str, shared: list[str], budget: TextBudget
) -> list[TextBlock]:
    blocks = []
    for index, row in enumerate(root.iter("{*}row"), 1):
        cells = [text for cell in row.iter("{*}c") if (text := _cell_text(cell, shared))]
        if cells:
            budget.charge(sum(map(len, cells)))
            line = int(row.get("r", index)) if str(row.get("r", "")).isdigit() else index
            hints = frozenset({"alone"}) if len(cells) == 1 else frozenset()
            blocks.append(
                TextBlock("\t".join(cells), part="table", page=number, line=line, origin=origin, hints=hints)
            )
    return blocks


def _cell_text(cell: etree._Element, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = next(cell.iter("{*}is"), None)
        return rich_text(inline).strip() if inline is not None else ""
    value = next(cell.iter("{*}v"), None)
    text = (value.text or "").strip() if value is not None else ""
    if kind == "s":
        return shared[int(text)].strip() if text.isdigit() and int(text) < len(shared) else ""
    return "" if kind in ("b", "e") else text


def _header_footer(root: etree._Element, number: int, origin: str) -> list[TextBlock]:
    blocks = []
    for element in root.iter("{*}headerFooter"):
        for child in element:
            part = _HF_PARTS.get(etree.QName(child).localname) if isinstance(child.tag, str) else None
            if part is None or not child.text:
                continue
            for line, (section, text, struck) in enumerate(header_footer_sections(child.text), 1):
                hints = frozenset({"strike"}) if struck else frozenset()
                where = f"{origin} {etree.QName(child).localname} {section}"
                blocks.append(TextBlock(text, part=part, page=number, line=line, origin=where, hints=hints))
    return blocks


def _comments(package: Package, path: str, number: int) -> list[TextBlock]:
    root = parse_xml(package.read(path), path)
    blocks = []
    for line, comment in enumerate((c for c in root.iter("{*}comment", "{*}threadedComment")), 1):
        text = " ".join(t.strip() for t in comment.itertext() if t.strip())
        if text:
            origin = f"{path} {comment.get('ref', '')}".strip()
            blocks.append(TextBlock(text, part="comment", page=number, line=line, origin=origin))
    return blocks


def _drawing(package: Package, path: str, number: int) -> list[TextBlock]:
    root = parse_xml(package.read(path), path)
    blocks = []
    for line, paragraph in enumerate(root.iter("{*}p"), 1):
        text = "".join(t.text or "" for t in paragraph.iter("{*}t")).strip()
        if text:
            blocks.append(TextBlock(text, part="textbox", page=number, line=line, origin=path))
    return blocks
