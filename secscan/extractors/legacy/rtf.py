"""RTF -> text blocks: body, headers/footers, footnotes, comments, shape text, properties.

Measured first: striprtf (the usual pick) drops ``{\\header …}`` groups
entirely, i.e. exactly where a 密级 line sits, so it cannot be used. This is a
small RTF interpreter over ``rtf_tokens``: destinations map to parts (header*,
footer*, annotation -> comment, shptxt -> textbox, WordArt ``gtextUNICODE``
watermark text), ``\\info`` and ``\\userprops`` become metadata, and 8-bit
text is decoded in the code page of the current font (``\\fcharset134`` GBK,
``128`` Shift-JIS ...) or of ``\\ansicpgN``, with ``\\uN`` and its ``\\ucN``
fallback skipping, so Chinese and Japanese RTF come out right.

Pictures (``\\pict``) and embedded objects (``\\objdata``) are collected as
the groups are read and handed back as members by ``rtf_objects``
(``letter.rtf!picture1.png``, ``letter.rtf!object1/report.txt``); the copies
Word writes for old readers (``\\nonshppict``, ``\\shprslt``) are not read twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from secscan.config import ScanConfig
from secscan.extractors._common.bounded import Meter
from secscan.extractors._common.charsets import CHARSET_CODECS
from secscan.extractors.legacy.officeart import Picture
from secscan.extractors.legacy.ole_objects import Objects
from secscan.extractors.legacy.parts import Pictures, embedded_parts
from secscan.extractors.legacy.rtf_objects import (
    PICTURE_SIZES,
    PICTURE_TYPES,
    Capture,
    RtfObject,
    object_members,
    picture,
)
from secscan.extractors.legacy.rtf_state import (
    DESTINATIONS,
    KEEP,
    OBJDATA,
    OBJECT,
    PICT,
    SKIP,
    SYMBOLS,
    WORD_TEXT,
    Output,
    codec,
)
from secscan.extractors.legacy.rtf_tokens import Token, tokens
from secscan.model import Extraction, FileKind

KINDS = frozenset({FileKind.RTF})

_DATA = (PICT, OBJECT, OBJDATA)
_COPIES = ("nonshppict", "shprslt")  # a second rendering of a picture or shape, for older readers


@dataclass(frozen=True)
class _Group:
    dest: str = "body"  # a part, "skip", "fonttbl", "meta:NAME", "propname", "staticval", "sn", "sv"
    font: int | None = None
    uc: int = 1
    capture: Capture | None = None  # the \pict or \objdata being read, shared with its subgroups
    obj: RtfObject | None = None  # the \object this group is in
    copy: bool = False  # inside a \nonshppict or \shprslt: pictures here are copies


class _Reader:
    def __init__(self, meter: Meter) -> None:
        self.meter = meter
        self.pictures: list[Picture] = []
        self.objects = Objects()
        self.object_count = 0
        self.out = Output()
        self.stack: list[_Group] = [_Group()]
        self.ansi = "cp1252"
        self.fonts: dict[int, str] = {}
        self.font_being_defined: int | None = None
        self.pending: list[str] = []  # 8-bit bytes awaiting decoding, as latin-1 chars
        self.skip_chars = 0
        self.group_start = False
        self.starred = False

    @property
    def group(self) -> _Group:
        return self.stack[-1]

    def feed(self, token: Token) -> None:
        if token.kind != "byte":
            self.flush_bytes()
        if token.kind == "bin":
            if self.group.capture is not None and self.group.dest in (PICT, OBJDATA):
                self.group.capture.binary.append(token.value)
        elif token.kind == "open":
            self.stack.append(self.group)
            self.group_start, self.starred = True, False
        elif token.kind == "close":
            self.close_group()
        elif token.kind == "word":
            self.word(token.value, token.arg)
        elif token.kind == "symbol":
            self.symbol(token.value)
        else:
            self.chars(token.value, is_byte=token.kind == "byte")
        if token.kind not in ("open", "symbol") or token.value not in ("*", ""):
            self.group_start = token.kind == "open"

    def close_group(self) -> None:
        if len(self.stack) > 1:
            closed = self.stack.pop()
            if closed.capture is not None and closed.capture is not self.group.capture:
                self.finish_capture(closed.capture)
            if closed.obj is not None and closed.obj is not self.group.obj and not closed.obj.read:
                self.pictures += closed.obj.previews  # the object was not read: its picture is all there is
            if closed.dest != self.group.dest:
                self.out.finish(closed.dest)
        self.group_start = False

    def finish_capture(self, capture: Capture) -> None:
        if capture.kind == OBJDATA and capture.in_object is not None:
            found = object_members(capture.data(), capture.in_object.number, self.meter)
            self.objects.extend(found)
            capture.in_object.read = bool(found.members)
            return
        found_picture = picture(capture.picture_type, capture.data(), capture.sizes)
        if found_picture is None:
            return
        if capture.in_object is not None:
            capture.in_object.previews.append(found_picture)
        else:
            self.pictures.append(found_picture)

    def enter(self, word: str) -> _Group:
        """The group that destination control word ``word`` opens."""
        group = replace(self.group, dest=self.destination(word))
        if word in _COPIES:
            group = replace(group, copy=True)
        if group.dest == PICT:
            capture = None if group.copy else Capture(PICT, in_object=group.obj)
            group = replace(group, dest=SKIP if group.copy else PICT, capture=capture)
        elif group.dest == OBJECT:
            self.object_count += 1
            group = replace(group, obj=RtfObject(self.object_count))
        elif group.dest == OBJDATA:
            obj = group.obj
            if obj is None:  # \objdata outside an \object: read it all the same
                self.object_count += 1
                obj = RtfObject(self.object_count)
            group = replace(group, obj=obj, capture=Capture(OBJDATA, in_object=obj))
        return group

    def word(self, word: str, arg: int | None) -> None:
        if self.group_start and (word in DESTINATIONS or self.starred or self.group.dest == "info"):
            self.stack[-1] = self.enter(word)
            return
        if self.group.dest in _DATA:
            capture = self.group.capture
            if capture is not None and self.group.dest == PICT:
                if word in PICTURE_TYPES:
                    capture.picture_type = PICTURE_TYPES[word]
                elif word in PICTURE_SIZES and arg is not None:
                    capture.sizes[word] = arg
            return
        if self.group.dest == "skip":
            return
        if word == "u" and arg is not None:
            self.emit(chr(arg % 65536) if arg % 65536 else "")
            self.skip_chars = self.group.uc
        elif word == "uc" and arg is not None:
            self.stack[-1] = replace(self.group, uc=max(arg, 0))
        elif word == "f" and arg is not None:
            self.font_being_defined = arg
            self.stack[-1] = replace(self.group, font=arg)
        elif word == "fcharset" and arg is not None and self.font_being_defined is not None:
            self.fonts[self.font_being_defined] = CHARSET_CODECS.get(arg, "")
        elif word == "ansicpg" and arg is not None:
            self.ansi = codec(arg)
        elif word in WORD_TEXT:
            self.emit(WORD_TEXT[word])

    def destination(self, word: str) -> str:
        found = DESTINATIONS.get(word)
        if found == KEEP:
            return self.group.dest
        if found == "sv":
            return f"sv:{self.group.dest}"
        if found is not None:
            return found
        if self.group.dest == "info":
            return f"meta:{word}"
        return SKIP

    def symbol(self, symbol: str) -> None:
        if symbol == "*":
            self.starred = True
        elif self.group.dest != "skip" and symbol in SYMBOLS:
            self.emit(SYMBOLS[symbol])
        elif symbol in "\\{}":
            self.chars(symbol, is_byte=False)

    def chars(self, text: str, is_byte: bool) -> None:
        if self.group.dest in _DATA:
            if self.group.capture is not None and self.group.dest != OBJECT and not is_byte:
                self.group.capture.chunks.append(text)
            return
        if self.skip_chars:
            if is_byte:
                self.skip_chars -= 1
                return
            cut = min(self.skip_chars, len(text))
            text, self.skip_chars = text[cut:], self.skip_chars - cut
        if not text or self.group.dest == "skip":
            return
        if is_byte:
            self.pending.append(text)
        else:
            self.emit(text)

    def flush_bytes(self) -> None:
        if self.pending:
            font_codec = self.fonts.get(self.group.font, "") if self.group.font is not None else ""
            raw = "".join(self.pending).encode("latin-1")
            self.pending = []
            self.emit(raw.decode(font_codec or self.ansi, "replace"))

    def emit(self, text: str) -> None:
        if self.group.dest not in (SKIP, "fonttbl", "info", "userprops"):
            self.out.add(self.group.dest, text)


def extract(data: bytes, config: ScanConfig) -> Extraction:
    reader = _Reader(Meter(config.limits))
    for token in tokens(data.decode("latin-1")):
        reader.feed(token)
    reader.flush_bytes()
    while len(reader.stack) > 1:  # a file cut short: finish the pictures and objects it opened
        reader.close_group()
    blocks = reader.out.blocks()
    pictures = Pictures(len(data), found=reader.pictures)
    members, skipped = embedded_parts(reader.objects, pictures, reader.meter)
    return Extraction(
        tuple(blocks),
        parts_read=("body", "header", "footer", "comment", "textbox", "metadata"),
        members=members,
        skipped=skipped,
    )
