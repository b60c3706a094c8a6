"""Text from a scanned file made safe to show: control characters escaped, never obeyed.

A file name or a matched line is data an attacker chose. Printed raw, ``\\x1b]0;…\\x07``
retitles the terminal, ``\\x1b[2J`` clears it, a newline forges a report line, a C1
``\\x9b`` is a CSI on terminals that read 8-bit controls, and a bidirectional override
makes ``gpj.exe`` read as ``exe.jpg``. Every reporter and every message on stderr passes
paths and quoted text through :func:`printable`, so the reader sees ``\\x1b`` and
``\\u202e`` where those characters are, and nothing acts on them.

One ``str.translate`` table, built once: the escaping costs one pass over the text and
leaves every other character (CJK, emoji, ★) alone. A backslash already in a name is
left as it is, so Windows paths stay readable; the JSON reports keep the exact value.
"""

from __future__ import annotations

# Characters that change how a line is displayed rather than being displayed: the C0
# controls and DEL, the C1 controls, the bidirectional marks, embeddings, overrides and
# isolates, and the Unicode line and paragraph separators (a line break to some terminals).
_C0_AND_DEL = [*range(0x00, 0x20), 0x7F]
_C1 = list(range(0x80, 0xA0))
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SEPARATORS = [0x2028, 0x2029]
UNSAFE = frozenset(_C0_AND_DEL + _C1 + _BIDI + _SEPARATORS)

_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_TABLE = {
    code: _SHORT.get(code) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}") for code in UNSAFE
}
# In JSON text these characters can only occur inside strings, so writing them as \\uXXXX
# changes the bytes a terminal sees but not the value a JSON reader gets.
_JSON_TABLE = {code: f"\\u{code:04x}" for code in UNSAFE if code >= 0x7F}


def printable(text: str) -> str:
    """``text`` with every control, bidi and separator character written as an escape."""
    return text.translate(_TABLE)


def json_inert(dumped: str) -> str:
    """JSON text (from ``json.dumps``) with DEL, C1 and bidi characters as ``\\u`` escapes.

    ``json.dumps(ensure_ascii=False)`` already escapes C0 controls, but not these; the
    value a JSON reader gets is the same either way.
    """
    return dumped.translate(_JSON_TABLE)
