"""DrawingML shapes -> paragraphs with position and look, for slides and sheet drawings.

A shape's text sits in ``a:p`` paragraphs of ``a:r``/``a:fld`` runs; its offset
(``a:off/@y``, in EMU) says how high on the slide it stands, and run properties
say whether it is struck through, bold or red, all signals the matcher uses to
tell a banner from a mention. Copies inside ``mc:Fallback`` repeat the
``mc:Choice`` content and are skipped.

Charts and SmartArt keep their text in parts of their own (``charts/chart1.xml``,
``diagrams/data1.xml``), which :class:`GraphicText` reads for the .xlsx and
.pptx readers: chart titles, axis titles and data labels (``a:p``), series
names and category labels (string caches, ``c:v``; the numbers are not text),
text boxes drawn over a chart (its ``chartUserShapes`` drawing) and SmartArt
boxes. SmartArt's ``diagrams/drawing*.xml`` is a rendering cache of the data
part's text and is not read twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import etree

from secscan.extractors._common.colour import is_red_hex
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.zipparts import Package, relationships
from secscan.model import TextBlock

_SHAPES = ("{*}sp", "{*}graphicFrame", "{*}cxnSp")
# Placeholders whose master/layout text is shown on slides; the others (title,
# body, picture ...) hold prompt text ("Click to edit Master title style") that
# every slide replaces.
_SHOWN_PLACEHOLDERS = frozenset({"ftr", "hdr", "dt", "sldNum"})


def shape_paragraphs(
    root: etree._Element, skip_prompts: bool = False
) -> Iterator[tuple[str, bool, int | None, frozenset[str]]]:
    """(text, in a table, shape top in EMU or None, hints) for each non-empty paragraph.

    ``skip_prompts`` leaves out prompt placeholders, for masters and layouts.
    """
    for shape in root.iter(*_SHAPES):
        if any(True for _ in shape.iterancestors("{*}Fallback")):
            continue
        if skip_prompts and _is_prompt(shape):
            continue
        offset = next(shape.iter("{*}off"), None)
        y_text = offset.get("y", "") if offset is not None else ""
        top = int(y_text) if y_text.lstrip("-").isdigit() else None
        in_table = any(True for _ in shape.iter("{*}tbl"))
        for paragraph in shape.iter("{*}p"):
            text = paragraph_text(paragraph)
            if text:
                yield text, in_table, top, run_hints(paragraph)


def _is_prompt(shape: etree._Element) -> bool:
    placeholder = next(shape.iter("{*}ph"), None)
    return placeholder is not None and placeholder.get("type", "obj") not in _SHOWN_PLACEHOLDERS


def paragraph_text(paragraph: etree._Element) -> str:
    pieces = [
        (t.text or "") if etree.QName(t).localname == "t" else " " for t in paragraph.iter("{*}t", "{*}br")
    ]
    return "".join(pieces).strip()


def run_hints(paragraph: etree._Element) -> frozenset[str]:
    hints: set[str] = set()
    for props in paragraph.iter("{*}rPr", "{*}defRPr"):
        if props.get("strike", "noStrike") != "noStrike":
            hints.add("strike")
        if props.get("b") in ("1", "true"):
            hints.add("bold")
        colour = next(props.iter("{*}srgbClr"), None)
        if colour is not None and is_red_hex(colour.get("val", "")):
            hints.add("red")
    return frozenset(hints)


# Relationship types (suffixes) from a slide or a sheet drawing to a part of chart or SmartArt text.
GRAPHIC_KINDS = frozenset({"chart", "chartEx", "diagramData"})
_GRAPHIC_PART = re.compile(r"(?:charts/chart(?:Ex)?|diagrams/data)\d*\.xml")
# DrawingML main, transitional and strict (a:p, a:t).
_A_NAMESPACES = frozenset(
    {"http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"}
)
# Containers of chart numbers (values, numeric categories): their points are not text.
_NUMBERS = frozenset({"numCache", "numLit", "numRef", "numDim"})
_Texts = Callable[[etree._Element], Iterator[tuple[str, frozenset[str]]]]


class GraphicText:
    """The chart and SmartArt text of one package, each part read once, as ``textbox`` blocks.

    ``linked`` reads the graphics a slide or sheet drawing points to (their blocks carry that
    page); ``rest`` then reads those under ``folder`` nothing pointed to (masters, layouts,
    orphans), without a page. Every read goes through ``package``, so its limits apply.
    """

    def __init__(self, package: Package, folder: str) -> None:
        self.package = package
        self.folder = folder
        self.read: list[str] = []

    def linked(self, source: str, page: int | None) -> list[TextBlock]:
        blocks: list[TextBlock] = []
        for _, kind, target in relationships(self.package, source):
            if kind in GRAPHIC_KINDS:
                blocks.extend(self._graphic(target, page))
        return blocks

    def rest(self) -> list[TextBlock]:
        blocks: list[TextBlock] = []
        for name in sorted(self.package.names):
            inner = name[len(self.folder) :]
            if name.startswith(self.folder) and _GRAPHIC_PART.fullmatch(inner):
                blocks.extend(self._graphic(name, None))
        return blocks

    def _graphic(self, path: str, page: int | None) -> list[TextBlock]:
        if path in self.read or path not in self.package:
            return []
        blocks = self._blocks(path, page, graphic_texts)
        for _, kind, target in relationships(self.package, path):
            if kind == "chartUserShapes" and target not in self.read and target in self.package:
                blocks.extend(self._blocks(target, page, _paragraph_texts))
        return blocks

    def _blocks(self, path: str, page: int | None, texts: _Texts) -> list[TextBlock]:
        self.read.append(path)
        root = parse_xml(self.package.read(path), path)
        return [
            TextBlock(text, part="textbox", page=page, line=line, origin=path, hints=hints)
            for line, (text, hints) in enumerate(texts(root), 1)
        ]


def graphic_texts(root: etree._Element) -> Iterator[tuple[str, frozenset[str]]]:
    """(text, hints) of a chart or SmartArt data part, in document order.

    DrawingML paragraphs (titles, labels, SmartArt boxes) and the string points of a chart:
    series names and category labels, each distinct one once (every series repeats the
    categories), numbers left out.
    """
    values: set[str] = set()
    for element in root.iter("{*}p", "{*}v", "{*}pt"):
        if any(True for _ in element.iterancestors("{*}Fallback")):
            continue
        name = etree.QName(element)
        if name.localname == "p":
            text = paragraph_text(element) if name.namespace in _A_NAMESPACES else ""
            if text:
                yield text, run_hints(element)
            continue
        text = (element.text or "").strip()
        if not text or text in values:
            continue
        if any(etree.QName(a).localname in _NUMBERS for a in element.iterancestors()):
            continue
        values.add(text)
        yield text, frozenset()


def _paragraph_texts(root: etree._Element) -> Iterator[tuple[str, frozenset[str]]]:
    for paragraph in root.iter("{*}p"):
        if etree.QName(paragraph).namespace not in _A_NAMESPACES:
            continue
        if any(True for _ in paragraph.iterancestors("{*}Fallback")):
            continue
        text = paragraph_text(paragraph)
        if text:
            yield text, run_hints(paragraph)
