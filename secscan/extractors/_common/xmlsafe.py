"""One hardened XML parser for every XML-based format (OOXML, ODF, OFD, SVG ...).

Real attachments carry entity-expansion bombs and external entities, so entity
resolution, DTD loading and network access are all off, and huge trees are
refused by libxml2's own limits (``huge_tree`` stays off): a text node over 10 M
characters, nesting over 256 levels, entity expansion over its amplification
factor. Passing one of those is reported as over a limit, naming the limit, not
as a malformed part: the part is not damaged, and the file must not pass for
clean either way.
"""

from __future__ import annotations

from lxml import etree

from secscan.errors import CorruptFile, LimitExceeded

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    recover=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_xml(data: bytes, what: str = "XML part") -> etree._Element:
    """Parse ``data`` safely; malformed XML raises CorruptFile naming ``what``."""
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        limit = _limit_passed(exc.msg or "")
        if limit:
            raise LimitExceeded(f"{what}: {limit}") from None
        raise CorruptFile(f"malformed {what}: {exc.msg}") from None


# libxml2's wording for each of its limits, and the limit it means (its flag names stay out of reports).
_LIMITS = (
    ("Text node too long", "a text node over the XML parser's text node limit (10,000,000 characters)"),
    ("Excessive depth", "elements nested deeper than the XML parser's depth limit (256)"),
    ("amplification", "entities expand past the XML parser's entity expansion limit"),
    ("Resource limit exceeded", "past one of the XML parser's size limits"),
    ("XML_PARSE_HUGE", "past one of the XML parser's size limits"),
)


def _limit_passed(message: str) -> str | None:
    return next((limit for words, limit in _LIMITS if words in message), None)
