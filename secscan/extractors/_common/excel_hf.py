"""Excel header/footer codes -> plain text, shared by the .xlsx and .xls readers.

A header is stored as one string of formatting codes, e.g.
``&L&"黑体,常规"&16秘密★1年&R第&P页``: ``&L``/``&C``/``&R`` switch section,
``&"font"``, ``&nn`` (size), ``&K…`` (colour) and ``&B &I &U &E &S &X &Y``
format, ``&P &N &D &T &F &A &Z &G`` insert page, pages, date, time, file, tab,
path and picture, and ``&&`` is a literal ampersand. A marking sits in one
section, so each non-empty section becomes one text.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"&([LCR])")
_CODE = re.compile(r'&(?:"[^"]*"|\d{1,3}|K[0-9A-Fa-f]{6}|K\d\d[+-]\d{3}|[PNDTFAZGBIUESXYpndtfazgbiuesxy+-])')
_AMP = "\x00"  # stands for a literal "&&" while codes are stripped


def header_footer_sections(code: str) -> list[tuple[str, str, bool]]:
    """(section "left"/"center"/"right", text, struck through) for each non-empty section."""
    code = code.replace("&&", _AMP)
    names = {"L": "left", "C": "center", "R": "right"}
    pieces = _SECTION.split(code)
    # split() alternates text and the captured section letter; text before any
    # section code belongs to the centre, as Excel shows it.
    sections: list[tuple[str, str]] = [("center", pieces[0])]
    sections += [(names[pieces[i]], pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
    result = []
    for section, raw in sections:
        struck = "&S" in raw
        text = _CODE.sub("", raw).replace(_AMP, "&").strip()
        if text:
            result.append((section, text, struck))
    return result
