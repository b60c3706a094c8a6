"""PowerPoint .pptx/.ppsx/.potx/.pptm -> text blocks.

A presentation hides markings in more places than its slides: a banner on the
slide master or a layout shows on every slide while the slides themselves carry
no such text, and speaker notes travel with the file. This reader walks slides
(in presentation order), their notes and comments, then every master, layout,
notes master and handout master (reported as ``header``/``footer`` by position, since they show on every
slide like a page header), the text of charts and SmartArt (titles, series and
category names, boxes: :class:`drawingml.GraphicText`, as ``textbox`` like the
.docx reader's), and the document properties.
Pictures and embedded objects (``ppt/media/``, ``ppt/embeddings/``) are handed
back as members for the pipeline to scan, as the .docx reader does.
Vertical position comes from each shape's offset over the slide height, so a
banner at the top of a slide reads as one.

zipfile + the hardened lxml parser: python-pptx would need a full object model
per slide and does not expose masters' free text boxes more simply.
"""

from __future__ import annotations

from lxml import etree

from secscan.config import ScanConfig
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.drawingml import GraphicText, shape_paragraphs
from secscan.extractors.office.ooxml_props import property_blocks
from secscan.extractors.office.zipparts import OptionalParts, Package, folder_of, media_members, relationships
from secscan.model import Extraction, FileKind, TextBlock

KINDS = frozenset({FileKind.PPTX})

_MASTER_KINDS = ("slideMaster", "slideLayout", "notesMaster", "handoutMaster")
_DEFAULT_HEIGHT = 6858000  # 4:3 and 16:9 slides are both 7.5 in high


def extract(data: bytes, config: ScanConfig) -> Extraction:
    package = Package(data, config.limits, "presentation")
    main = next(
        (t for _, k, t in relationships(package, "") if k == "officeDocument"), "ppt/presentation.xml"
    )
    root = parse_xml(package.read(main), main)
    height = _slide_height(root)
    slides = _ordered_slides(package, main, root)
    blocks: list[TextBlock] = []
    graphics = GraphicText(package, folder_of(main))
    for number, slide in enumerate(slides, 1):
        blocks.extend(_part_blocks(package, slide, "body", number, height))
        blocks.extend(graphics.linked(slide, number))
        for _, kind, target in relationships(package, slide):
            if kind == "notesSlide" and target in package:
                blocks.extend(_part_blocks(package, target, "notes", number, None))
            elif kind == "comments" and target in package:
                blocks.extend(_comment_blocks(package, target, number))
    for master in _master_parts(package):
        blocks.extend(_part_blocks(package, master, "master", None, height))
    blocks.extend(graphics.rest())  # on masters, layouts and notes, or on no slide at all
    blocks.extend(property_blocks(OptionalParts(package)))
    members = media_members(package, folder_of(main))
    charts = ("textbox",) if graphics.read else ()
    return Extraction(
        tuple(blocks),
        parts_read=("body", "table", "notes", "comment", "header", "footer", *charts, "metadata"),
        members=tuple(members),
        pages=len(slides),
    )


def _slide_height(root: etree._Element) -> int:
    size = next(root.iter("{*}sldSz"), None)
    value = size.get("cy", "") if size is not None else ""
    return int(value) if value.isdigit() and int(value) > 0 else _DEFAULT_HEIGHT


def _ordered_slides(package: Package, main: str, root: etree._Element) -> list[str]:
    targets = {rid: (kind, target) for rid, kind, target in relationships(package, main)}
    ordered = []
    for slide_id in root.iter("{*}sldId"):
        rid = next(
            (v for k, v in slide_id.attrib.items() if etree.QName(k).localname == "id" and k.startswith("{")),
            "",
        )
        kind, target = targets.get(rid, ("", ""))
        if kind == "slide" and target in package:
            ordered.append(target)
    listed = set(ordered)
    # Slides missing from the list (damaged or hand-edited files) are still read.
    ordered += sorted(t for k, t in targets.values() if k == "slide" and t in package and t not in listed)
    return ordered


def _master_parts(package: Package) -> list[str]:
    prefixes = tuple(f"ppt/{kind}s/" for kind in _MASTER_KINDS)
    return sorted(n for n in package.names if n.startswith(prefixes) and n.endswith(".xml"))


def _part_blocks(
    package: Package, path: str, part: str, page: int | None, height: int | None
) -> list[TextBlock]:
    root = parse_xml(package.read(path), path)
    blocks = []
    paragraphs = shape_paragraphs(root, skip_prompts=part == "master")
    for line, (text, in_table, y, hints) in enumerate(paragraphs, 1):
        vpos = min(max(y / height, 0.0), 1.0) if height and y is not None else None
        this_part = "table" if in_table and part == "body" else part
        if part == "master":
            # Master and layout text shows on every slide, as a page header or footer would.
            this_part = "footer" if vpos is not None and vpos >= 0.5 else "header"
        blocks.append(
            TextBlock(text, part=this_part, page=page, line=line, origin=path, vpos=vpos, hints=hints)
        )
    return blocks


def _comment_blocks(package: Package, path: str, page: int) -> list[TextBlock]:
    root = parse_xml(package.read(path), path)
    blocks = []
    for line, comment in enumerate(root.iter("{*}cm"), 1):
        text = " ".join(t.strip() for t in comment.itertext() if t.strip())
        if text:
            blocks.append(TextBlock(text, part="comment", page=page, line=line, origin=path))
    return blocks
