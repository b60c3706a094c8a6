"""Word binary story text -> lines: fields resolved, control marks turned into text.

In a .doc story, fields are ``\\x13 code \\x14 result \\x15`` (nested freely):
the code (``HYPERLINK "…"``, ``PAGE``) is not shown and is dropped, the result
is kept. ``\\r`` ends a paragraph, ``\\x07`` ends a table cell (and a row),
``\\x0b`` is a line break, ``\\x0c`` a page or section break; the other
control characters stand for pictures, footnote marks and the like.
"""

from __future__ import annotations

_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"
_PARAGRAPH_ENDS = str.maketrans({"\x0c": "\r", "\x0b": " ", "\x1e": "-", "\x1f": "", "\xa0": " "})
_DROP = {c: None for c in range(32) if chr(c) not in "\t\r\x07"}


def story_lines(text: str) -> list[tuple[str, bool]]:
    """(line text, is a table cell row) for each non-empty paragraph of a story."""
    shown = drop_field_codes(text).translate(_PARAGRAPH_ENDS).translate(_DROP)
    lines = []
    for paragraph in shown.split("\r"):
        in_table = "\x07" in paragraph
        line = paragraph.replace("\x07", "\t").strip()
        if line:
            lines.append((line, in_table))
    return lines


def drop_field_codes(text: str) -> str:
    """Keep field results, drop field codes; unbalanced marks are tolerated."""
    if _FIELD_BEGIN not in text:
        return text
    kept: list[str] = []
    # One entry per open field: True while inside its code part; ``in_code``
    # counts the True entries so each character costs O(1) however deep the nesting.
    stack: list[bool] = []
    in_code = 0
    for char in text:
        if char == _FIELD_BEGIN:
            stack.append(True)
            in_code += 1
        elif char == _FIELD_SEP and stack:
            in_code -= stack[-1]
            stack[-1] = False
        elif char == _FIELD_END and stack:
            in_code -= stack.pop()
        elif not in_code:
            kept.append(char)
    return "".join(kept)
