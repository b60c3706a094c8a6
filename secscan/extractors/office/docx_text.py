"""WordprocessingML paragraphs -> TextBlocks, with the layout hints a matcher needs.

One recursive walk over a part (document, header, footer, notes, comments):
runs are joined per paragraph (``<w:t>机</w:t><w:t>密</w:t>`` is 机密), fields
and content controls are descended into, ``w:sym`` becomes its private-use code
point (Wingdings F0AB is a star; the normaliser maps it), tabs and breaks become
whitespace. A paragraph inside ``w:txbxContent`` is a text box, one inside a body
table is a table; of an ``mc:AlternateContent`` only the Choice is read, because
the Fallback is a VML copy of the same text box. Hidden and tracked-deleted
text is kept: it is still in the file that would be shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from secscan.extractors._common.colour import is_red_hex
from secscan.model import TextBlock

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"

_TEXT = {f"{W}t", f"{W}delText", _M_T}
_CHARS = {
    f"{W}tab": " ",
    f"{W}ptab": " ",
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "-",
}
# Subtrees that hold no document text (formatting, field codes, phonetic guides).
_SKIP = {
    f"{W}{name}"
    for name in ("rPr", "pPr", "tblPr", "tcPr", "trPr", "sectPr", "instrText", "rt", "sdtPr", "fldChar")
}
_LARGE_HALF_POINTS = 32  # 16 pt (三号), the usual size of a 密级 line


@dataclass
class _Para:
    pieces: list[str] = field(default_factory=list)
    chars: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, text: str, fmt: frozenset[str]) -> None:
        self.pieces.append(text)
        visible = len(text.strip())
        self.chars += visible
        for hint in fmt:
            self.counts[hint] = self.counts.get(hint, 0) + visible

    def hints(self) -> frozenset[str]:
        if not self.chars:
            return frozenset()
        # Strike only when the whole paragraph is struck: a partly struck line
        # must not let its unstruck marking pass.
        found = {h for h, n in self.counts.items() if n * 2 >= self.chars and h != "strike"}
        if self.counts.get("strike", 0) >= self.chars:
            found.add("strike")
        return frozenset(found)


@dataclass
class _Walker:
    origin: str
    blocks: list[TextBlock] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def paragraph(self, p: etree._Element, part: str) -> None:
        para = _Para()
        self.visit(p, part, para, frozenset())
        line = self.lines[part] = self.lines.get(part, 0) + 1
        text = "".join(para.pieces)
        if text.strip():
            self.blocks.append(TextBlock(text, part=part, line=line, origin=self.origin, hints=para.hints()))

    def visit(self, el: etree._Element, part: str, para: _Para | None, fmt: frozenset[str]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag in _TEXT:
                if para is not None and child.text:
                    para.add(child.text, fmt | {"deleted"} if tag == f"{W}delText" else fmt)
            elif tag in _CHARS:
                if para is not None:
                    para.add(_CHARS[tag], fmt)
            elif tag == f"{W}sym":
                if para is not None:
                    para.add(_symbol(child), fmt)
            elif tag == f"{W}p":
                self.paragraph(child, part)
            elif tag == f"{W}r":
                self.visit(child, part, para, run_format(child))
            elif tag == f"{W}tbl":
                self.visit(child, "table" if part == "body" else part, None, fmt)
            elif tag == f"{W}txbxContent":
                self.visit(child, "textbox", None, fmt)
            elif tag == f"{_MC}AlternateContent":
                chosen = child.find(f"{_MC}Choice")
                self.visit(chosen if chosen is not None else child, part, para, fmt)
            elif tag == _V_TEXTPATH:
                self.watermark(child, part)
            else:
                self.visit(child, part, para, fmt)

    def watermark(self, textpath: etree._Element, part: str) -> None:
        text = textpath.get("string", "")
        if text.strip():
            line = self.lines[part] = self.lines.get(part, 0) + 1
            hints = frozenset({"watermark"})
            self.blocks.append(TextBlock(text, part=part, line=line, origin=self.origin, hints=hints))


def paragraph_blocks(root: etree._Element, part: str, origin: str) -> list[TextBlock]:
    """Every non-empty paragraph of one WordprocessingML part, in document order."""
    walker = _Walker(origin)
    walker.visit(root, part, None, frozenset())
    return walker.blocks


def run_format(run: etree._Element) -> frozenset[str]:
    """The hints a run's own properties give (styles are not resolved)."""
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return frozenset()
    found = set()
    for name, hint in (("strike", "strike"), ("dstrike", "strike"), ("b", "bold"), ("vanish", "hidden")):
        el = rpr.find(f"{W}{name}")
        if el is not None and el.get(f"{W}val", "true") not in ("0", "false", "off"):
            found.add(hint)
    color = rpr.find(f"{W}color")
    if color is not None and is_red_hex(color.get(f"{W}val", "")):
        found.add("red")
    size = rpr.find(f"{W}sz")
    half_points = size.get(f"{W}val", "0") if size is not None else "0"
    if half_points.isdigit() and int(half_points) >= _LARGE_HALF_POINTS:
        found.add("large")
    return frozenset(found)


def _symbol(sym: etree._Element) -> str:
    """``<w:sym w:font="Wingdings" w:char="F0AB"/>`` -> U+F0AB (symbol fonts live in the PUA)."""
    try:
        code = int(sym.get(f"{W}char", ""), 16)
    except ValueError:
        return ""
    if code < 0x100:
        code += 0xF000  # some writers drop the F0 prefix of a symbol-font character
    return chr(code) if 0 < code < 0x110000 else ""
