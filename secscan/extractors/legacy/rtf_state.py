"""Tables and the output collector for the RTF reader.

Which destinations are parts, which are skipped (font tables, field
instructions, list numbering), which hold data (pictures, embedded objects:
``rtf_objects``), what control words and symbols stand for as text, and which
code page an ``\\fcharsetN`` means.
"""

from __future__ import annotations

import codecs

from secscan.model import TextBlock

SKIP = "skip"
KEEP = "="  # a group that is no destination of its own: its text belongs to the parent's part
PICT, OBJECT, OBJDATA = "pict", "object", "objdata"  # data destinations: no text, but members

DESTINATIONS: dict[str, str] = {
    **dict.fromkeys(("header", "headerl", "headerr", "headerf"), "header"),
    **dict.fromkeys(("footer", "footerl", "footerr", "footerf"), "footer"),
    "footnote": "body",
    "annotation": "comment",
    "shptxt": "textbox",
    "info": "info",
    "fonttbl": "fonttbl",
    "userprops": "userprops",
    "propname": "propname",
    "staticval": "staticval",
    "sn": "sn",
    "sv": "sv",
    "field": KEEP,
    "fldrslt": KEEP,
    "shp": KEEP,
    "shpinst": KEEP,
    "sp": KEEP,
    "upr": KEEP,
    "ud": KEEP,
    "pict": PICT,
    "object": OBJECT,
    "objdata": OBJDATA,
    **dict.fromkeys(
        (
            "colortbl",
            "stylesheet",
            "themedata",
            "colorschememapping",
            "datastore",
            "latentstyles",
            "listtable",
            "listoverridetable",
            "rsidtbl",
            "generator",
            "xmlnstbl",
            "mmathPr",
            "fldinst",
            "filetbl",
            "revtbl",
            "pgdsctbl",
            "listtext",
            "pntext",
            "bkmkstart",
            "bkmkend",
            "atnid",
            "atnauthor",
            "atndate",
            "atnref",
            "xe",
            "tc",
            "nonshppict",
            "shprslt",
            "wgrffmtfilter",
            "fchars",
            "lchars",
            "xmlopen",
            "xmlattrname",
            "xmlattrvalue",
            "blipuid",
            "template",
            "docvar",
            "pgp",
            "pnseclvl",
            "pn",
            "falt",
            "panose",
            "fname",
        ),
        SKIP,
    ),
}

_BREAK = "\n"
WORD_TEXT = {
    "par": _BREAK,
    "line": _BREAK,
    "sect": _BREAK,
    "page": _BREAK,
    "row": _BREAK,
    "pard": "",
    "cell": "\t",
    "nestcell": "\t",
    "tab": "\t",
    "emdash": "—",
    "endash": "–",
    "bullet": "•",
    "lquote": "‘",
    "rquote": "’",
    "ldblquote": "“",
    "rdblquote": "”",
    "emspace": " ",
    "enspace": " ",
}
SYMBOLS = {"~": " ", "-": "", "_": "-", "\n": _BREAK, "\r": _BREAK, "\t": "\t"}

_PARTS = ("body", "header", "footer", "comment", "textbox")
_SHAPE_TEXT_PROPERTIES = ("gtextUNICODE", "gtextUTF8", "wzDescription")


def codec(codepage: int) -> str:
    name = {936: "gbk", 950: "big5", 932: "cp932", 949: "cp949", 10000: "mac_roman"}.get(
        codepage, f"cp{codepage}"
    )
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


class Output:
    """Collects text per part into lines, and properties into metadata blocks."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []  # (part, text, origin)
        self.open: dict[str, list[str]] = {}
        self.shape_property = ""
        self.property_name = ""

    def add(self, dest: str, text: str) -> None:
        if dest in _PARTS:
            pieces = text.split(_BREAK)
            self.open.setdefault(dest, []).append(pieces[0])
            for piece in pieces[1:]:
                self._end_line(dest)
                self.open[dest] = [piece]
        elif dest.startswith(("meta:", "sv:")) or dest in ("propname", "staticval", "sn"):
            self.open.setdefault(dest, []).append(text)

    def finish(self, dest: str) -> None:
        """A group with destination ``dest`` closed."""
        text = "".join(self.open.pop(dest, [])).strip()
        if dest in _PARTS:
            self.open[dest] = [text]
            self._end_line(dest)
        elif dest.startswith("meta:") and text:
            self.lines.append(("metadata", text, f"property:{dest[5:]}"))
        elif dest == "propname":
            self.property_name = text
        elif dest == "staticval" and text:
            name = self.property_name
            self.lines.append(("metadata", f"{name}: {text}", f"property:{name}"))
        elif dest == "sn":
            self.shape_property = text
        elif dest.startswith("sv:") and text and self.shape_property in _SHAPE_TEXT_PROPERTIES:
            part = dest[3:] if dest[3:] in _PARTS else "textbox"
            self.lines.append((part, text, f"shape {self.shape_property}"))

    def _end_line(self, part: str) -> None:
        text = "".join(self.open.pop(part, [])).strip()
        if text:
            self.lines.append((part, text, part))

    def blocks(self) -> list[TextBlock]:
        for part in list(self.open):
            if part in _PARTS:
                self._end_line(part)
        counters: dict[str, int] = {}
        result = []
        for part, text, origin in self.lines:
            counters[part] = counters.get(part, 0) + 1
            result.append(TextBlock(_join_surrogates(text), part=part, line=counters[part], origin=origin))
        return result


def _join_surrogates(text: str) -> str:
    """Pair the UTF-16 halves that ``\\uN`` escapes give one by one; replace any left alone."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
