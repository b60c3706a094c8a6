"""RTF tokens: groups, control words, hex bytes, \\uN characters and text runs.

The file is read as latin-1 so each character is one byte; raw 8-bit bytes
and ``\\'hh`` escapes both come out as ``byte`` tokens, to be decoded later in
the code page of the current font (GBK for ``\\fcharset134``), because a GBK
character is two consecutive escapes. ``\\binN`` gives the N raw bytes that
follow as one ``bin`` token (picture and object data). One regex scan: linear
in the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_TOKEN = re.compile(
    r"""(?P<open>\{)|(?P<close>\})
      |\\(?P<word>[a-zA-Z]{1,32})(?P<arg>-?\d{1,10})?[ ]?
      |\\'(?P<hex>[0-9a-fA-F]{2})
      |\\(?P<symbol>[^a-zA-Z'])
      |(?P<text>[^\\{}\r\n]+)
      |(?P<newline>[\r\n]+)
      |(?P<stray>\\)""",
    re.VERBOSE,
)


class Token(NamedTuple):
    kind: str  # open, close, word, byte, symbol, text, bin
    value: str = ""
    arg: int | None = None


def tokens(source: str) -> Iterator[Token]:
    at = 0
    while at < len(source):
        found = _TOKEN.match(source, at)
        if found is None:  # cannot happen with the alternatives above; guard anyway
            at += 1
            continue
        at = found.end()
        # lastgroup would name "arg" for a word with a parameter: ask for "word" first.
        kind = "word" if found.group("word") is not None else found.lastgroup
        if kind in ("open", "close"):
            yield Token(kind)
        elif kind == "word":
            arg = found.group("arg")
            word = found.group("word")
            if word == "bin" and arg is not None:
                size = max(int(arg), 0)
                yield Token("bin", source[at : at + size])  # raw data, as latin-1 characters
                at += size
                continue
            yield Token("word", word, int(arg) if arg is not None else None)
        elif kind == "hex":
            yield Token("byte", chr(int(found.group("hex"), 16)))
        elif kind == "symbol":
            yield Token("symbol", found.group("symbol"))
        elif kind == "text":
            yield from _text_tokens(found.group("text"))


def _text_tokens(text: str) -> Iterator[Token]:
    """Plain text, with raw 8-bit bytes split off as byte tokens."""
    start = 0
    for index, char in enumerate(text):
        if char >= "\x80":
            if index > start:
                yield Token("text", text[start:index])
            yield Token("byte", char)
            start = index + 1
    if start < len(text):
        yield Token("text", text[start:])
