"""A bounded walk over PowerPoint 97-2003 records, yielding text atoms with where they sit.

The "PowerPoint Document" stream is a tree of records (8-byte header:
version/instance, type, length). Containers (version 0xF) hold records; text
lives in TextCharsAtom (0x0FA0, UTF-16) and TextBytesAtom (0x0FA8, 8-bit), and
header/footer text in CString atoms (0x0FBA) of a HeadersFooters container.
The walk keeps the chain of enclosing containers, so each text knows whether
it is on a slide, a master, in notes or a comment, and which slide of the
SlideListWithText it follows. It uses an explicit stack and checks every
length against its parent, so it ends on any input.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

TEXT_CHARS, TEXT_BYTES, CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
SLIDE, NOTES, MAIN_MASTER, SLIDE_LIST = 0x03EE, 0x03F0, 0x03F8, 0x0FF0
SLIDE_PERSIST, HEADERS_FOOTERS, COMMENT10 = 0x03F3, 0x0FD9, 0x2EE0
EX_OLE_OBJ_STG = 0x1011  # an embedded OLE object: a whole compound file, zlib-compressed when instance 1
# Records whose header says "atom" but whose body is a list of records
# (BinaryTagDataBlob holds the PowerPoint 2002+ comments of a slide).
_ATOMS_WITH_CHILDREN = frozenset({0x138B})
_MAX_DEPTH = 64


@dataclass(frozen=True)
class Atom:
    text: str
    kind: int  # record type of the text atom
    instance: int  # record instance (tells a header CString from a footer one)
    ancestors: tuple[tuple[int, int], ...]  # (type, instance) of the enclosing containers, outermost first
    slide: int  # 1-based position in the SlideListWithText it sits in, 0 when not in one
    container: int = -1  # stream offset of the enclosing SlideContainer, -1 when not on a slide
    ref: int = 0  # for a SlidePersistAtom: the persist id of the slide it stands for


def text_atoms(stream: bytes) -> Iterator[Atom]:
    # Each stack entry: (end offset, type, instance, start offset) of an open container.
    stack: list[tuple[int, int, int, int]] = [(len(stream), -1, -1, 0)]
    slide = 0
    at = 0
    while at + 8 <= len(stream):
        while len(stack) > 1 and at >= stack[-1][0]:
            stack.pop()
        ver_inst, kind, length = struct.unpack_from("<HHI", stream, at)
        body_end = min(at + 8 + length, stack[-1][0])
        is_container = ver_inst & 0x0F == 0x0F or kind in _ATOMS_WITH_CHILDREN
        if is_container and len(stack) <= _MAX_DEPTH:
            if kind == SLIDE_LIST:
                slide = 0
            stack.append((body_end, kind, ver_inst >> 4, at))
            at += 8
            continue
        ancestors = tuple((k, i) for _, k, i, _ in stack[1:])
        if kind == SLIDE_PERSIST and body_end >= at + 12:
            slide += 1
            ref = struct.unpack_from("<I", stream, at + 8)[0]
            yield Atom("", kind, ver_inst >> 4, ancestors, slide, ref=ref)
        elif kind in (TEXT_CHARS, TEXT_BYTES, CSTRING):
            raw = stream[at + 8 : body_end]
            text = raw.decode("latin-1") if kind == TEXT_BYTES else raw.decode("utf-16-le", "replace")
            in_list = any(k == SLIDE_LIST for k, _ in ancestors)
            container = next((o for _, k, _, o in reversed(stack) if k == SLIDE), -1)
            yield Atom(text, kind, ver_inst >> 4, ancestors, slide if in_list else 0, container)
        at = body_end if body_end > at else at + 8


def atoms_of(stream: bytes, kind: int) -> Iterator[tuple[int, bytes]]:
    """(instance, body) of every atom of type ``kind``, at any depth, in stream order.

    Containers are entered without trusting their lengths and atoms are
    stepped over by theirs, so each step moves at least 8 bytes on.
    """
    at = 0
    while at + 8 <= len(stream):
        ver_inst, rec_type, length = struct.unpack_from("<HHI", stream, at)
        if ver_inst & 0x0F == 0x0F:
            at += 8
            continue
        if rec_type == kind:
            yield ver_inst >> 4, stream[at + 8 : at + 8 + length]
        at += 8 + length
