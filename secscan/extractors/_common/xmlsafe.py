"""One hardened XML parser for every XML-based format (OOXML, ODF, OFD, SVG ...).

Real attachments carry entity-expansion bombs and external entities, so entity
resolution, DTD loading and network access are all off, and huge trees are
refused by libxml2's own limits.
"""

from __future__ import annotations

from lxml import etree

from secscan.errors import CorruptFile

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
        raise CorruptFile(f"malformed {what}: {exc.msg}") from None
