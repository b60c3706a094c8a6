"""DrawingML shapes -> paragraphs with position and look, for slides and sheet drawings.

A shape's text sits in ``a:p`` paragraphs of ``a:r``/``a:fld`` runs; its offset
(``a:off/@y``, in EMU) says how high on the slide it stands, and run properties
say whether it is struck through, bold or red, all signals the matcher uses to
tell a banner from a mention. Copies inside ``mc:Fallback`` repeat the
``mc:Choice`` content and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

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
        if colour is not None and _is_red(colour.get("val", "")):
            hints.add("red")
    return frozenset(hints)


def _is_red(value: str) -> bool:
    if len(value) != 6:
        return False
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return red >= 0xB0 and green < 0x60 and blue < 0x60
