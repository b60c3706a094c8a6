"""HTML mail bodies to lines of text, with lxml (already a core dependency).

Mail HTML is small and messy; lxml's HTML parser recovers from anything and
does no network or entity expansion. Block elements become line breaks so
that a marking alone on its own line (``机密★5年`` in a ``<p>``) stays alone,
which is a signal the matcher uses. Scripts, styles and comments are dropped.
"""

from __future__ import annotations

import re

from lxml import etree, html

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    }
)
_DROP = ("script", "style", "head")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(markup: str | bytes) -> html.HtmlElement | None:
    """The document tree of ``markup``, or None when there is nothing to parse."""
    if not markup.strip():
        return None
    if isinstance(markup, str):
        # lxml's HTML parser keeps control characters that lxml then refuses to set back on a node
        # (ValueError "All strings must be XML compatible" from drop_tree, found by fuzzing .msg bodies).
        markup = _NOT_XML.sub(" ", markup)
    try:
        return html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def html_lines(markup: str | bytes) -> list[str]:
    """The visible text of ``markup``, one entry per non-empty line."""
    root = parse_html(markup)
    return lines_of(root) if root is not None else []


def lines_of(root: html.HtmlElement) -> list[str]:
    """The visible text of a parsed document, one entry per non-empty line (the tree is consumed)."""
    title = root.findtext(".//title") or ""
    for element in [*root.iter(*_DROP), *root.iter(etree.Comment)]:
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() == "br":
                continue
            element.text = "\n" + (element.text or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.replace("\xa0", " ").splitlines()]
    return [line for line in [title.strip(), *lines] if line]
