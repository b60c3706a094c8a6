"""PowerPoint 97-2003 .ppt (and Kingsoft WPS .dps, the same format) -> text blocks.

No maintained Python library reads .ppt text (python-pptx is OOXML only; Apache
POI is Java), so ``ppt_records`` walks the record tree of the "PowerPoint
Document" stream. Slide placeholder text (SlideListWithText) is ``body`` with
its slide number; free text boxes on slides are ``body`` without one; master
text is ``header`` (it shows on every slide), notes ``notes``, comments ``comment``, and the
header/footer CStrings (often the 密级 line of a deck) ``header``/``footer``.
OLE properties become ``metadata``. An encrypted deck is decrypted with the
supplied passwords (msoffcrypto-tool) or reported; PowerPoint 95 decks are read
from their ``Text_Content`` stream.

Embedded objects (ExOleObjStg records, each a whole compound file, zlib-
compressed when the record instance is 1) come back as members through
``ole_objects`` (``deck.ppt!ExOleObjStg1.xls``), and the pictures of the
``Pictures`` stream as ``picture1.png`` ... through ``officeart``.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError
from secscan.extractors._common.bounded import Meter
from secscan.extractors.legacy.officeart import Inflater, sequence
from secscan.extractors.legacy.ole_objects import Objects, compound_objects
from secscan.extractors.legacy.ole_props import property_blocks
from secscan.extractors.legacy.parts import Pictures, embedded_parts
from secscan.extractors.legacy.ppt_persist import persist_offsets
from secscan.extractors.legacy.ppt_records import (
    COMMENT10,
    CSTRING,
    EX_OLE_OBJ_STG,
    HEADERS_FOOTERS,
    MAIN_MASTER,
    NOTES,
    SLIDE,
    SLIDE_LIST,
    SLIDE_PERSIST,
    Atom,
    atoms_of,
    text_atoms,
)
from secscan.model import Extraction, FileKind, SkippedPart, TextBlock

KINDS = frozenset({FileKind.PPT})

_ENCRYPTED_TOKEN = 0xF3D1C4DF
_STREAM = "PowerPoint Document"
# SlideListWithText instance -> part; master text shows on every slide, like a page header.
_LIST_PARTS = {0: "body", 1: "header", 2: "notes"}
_HF_PARTS = {1: "header", 2: "footer"}  # HeadersFooters CString instance -> part
_CHUNK = 1 << 20


def extract(data: bytes, config: ScanConfig) -> Extraction:
    ole = _open(data)
    if _encrypted(ole):
        from secscan.extractors._common.decrypt import decrypt_office

        ole.close()
        ole = _open(decrypt_office(data, config.passwords, "PowerPoint presentation"))
        if _encrypted(ole):
            raise EncryptedError("PowerPoint presentation")
    if not ole.exists(_STREAM):
        raise CorruptFile("no 'PowerPoint Document' stream (PowerPoint 4 or older is not read)")
    stream = _read(ole, _STREAM)
    atoms = list(text_atoms(stream))
    current_user = _read(ole, "Current User") if ole.exists("Current User") else b""
    blocks = _atom_blocks(atoms, _slide_numbers(atoms, persist_offsets(stream, current_user)))
    if not blocks and ole.exists("Text_Content"):
        text = _read(ole, "Text_Content").decode("cp1252", "replace")
        blocks = _lines(text, "body", None, "Text_Content (PowerPoint 95)", set())
    slides = max((b.page or 0 for b in blocks), default=0) or None
    props, unread_props = property_blocks(ole)
    blocks += props
    meter = Meter(config.limits)
    objects = _objects(stream, meter)
    pictures = Pictures(len(data))
    pictures.found += sequence(pictures.stream(ole, "Pictures"), Inflater(meter))
    ole.close()
    members, skipped = embedded_parts(objects, pictures, meter)
    parts = ("body", "notes", "comment", "header", "footer", "metadata")
    return Extraction(
        tuple(blocks), parts_read=parts, pages=slides, members=members, skipped=(*skipped, *unread_props)
    )


def _objects(stream: bytes, meter: Meter) -> Objects:
    """The embedded objects of the ExOleObjStg records, decompressed within the limits."""
    found = Objects()
    # An object saved again by a later incremental edit is the same record twice: read it once.
    storages = list(dict.fromkeys(atoms_of(stream, EX_OLE_OBJ_STG)))
    meter.check_count(len(storages))
    for number, (instance, body) in enumerate(storages, 1):
        name = f"ExOleObjStg{number}"
        blob = _inflate(body[4:], name, meter) if instance == 1 else body
        if blob is None:
            found.skipped.append(SkippedPart("embedded object", f"{name} not read (damaged compressed data)"))
        elif blob:
            found.extend(compound_objects(blob, name, meter))
    return found


def _inflate(packed: bytes, name: str, meter: Meter) -> bytes | None:
    """zlib data, inflated chunk by chunk under the member limits; None when nothing inflates."""
    inflater = zlib.decompressobj()
    chunks: list[bytes] = []
    produced = 0
    try:
        for start in range(0, len(packed), _CHUNK):
            chunk = inflater.decompress(packed[start : start + _CHUNK], _CHUNK)
            while chunk:
                produced += len(chunk)
                meter.check_member(name, produced, min(start + _CHUNK, len(packed)))
                chunks.append(chunk)
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
    except zlib.error:
        pass  # a damaged tail: keep what inflated (PowerPoint itself reads such objects)
    return b"".join(chunks) or None


def _open(data: bytes) -> Any:
    import olefile

    try:
        return olefile.OleFileIO(data)
    except Exception as exc:  # olefile raises assorted errors on damaged containers
        raise CorruptFile(f"damaged OLE container: {exc}") from None


def _read(ole: Any, name: str) -> bytes:
    try:
        return bytes(ole.openstream(name).read())
    except OSError as exc:
        raise CorruptFile(f"damaged {name!r} stream: {exc}") from None


def _encrypted(ole: Any) -> bool:
    if not ole.exists("Current User"):
        return False
    head = _read(ole, "Current User")[:16]
    return len(head) >= 16 and struct.unpack_from("<I", head, 12)[0] == _ENCRYPTED_TOKEN


def _slide_numbers(atoms: list[Atom], offsets: dict[int, int]) -> dict[int, int]:
    """SlideContainer stream offset -> slide number, from the slide list's persist atoms."""
    numbers = {}
    for atom in atoms:
        if atom.kind == SLIDE_PERSIST and atom.ancestors and atom.ancestors[-1] == (SLIDE_LIST, 0):
            where = offsets.get(atom.ref)
            if where is not None:
                numbers[where] = atom.slide
    return numbers


def _atom_blocks(atoms: list[Atom], slide_numbers: dict[int, int]) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    seen: set[tuple[str, str, int | None]] = set()
    for atom in atoms:
        placed = _place(atom) if atom.kind != SLIDE_PERSIST else None
        if placed is not None:
            part, page, origin = placed
            page = page or slide_numbers.get(atom.container)
            blocks += _lines(atom.text, part, page, origin, seen)
    return blocks


def _place(atom: Atom) -> tuple[str, int | None, str] | None:
    """(part, slide number, origin) of a text atom, or None for text that is not shown."""
    kinds = [kind for kind, _ in atom.ancestors]
    if atom.kind == CSTRING:
        if HEADERS_FOOTERS in kinds and atom.instance in _HF_PARTS:
            return _HF_PARTS[atom.instance], None, "headers/footers"
        return ("comment", None, "comment") if COMMENT10 in kinds else None
    for kind, instance in reversed(atom.ancestors):
        if kind == SLIDE_LIST:
            part = _LIST_PARTS.get(instance, "body")
            return part, atom.slide if part == "body" and atom.slide else None, f"slide list ({part})"
        if kind in (SLIDE, NOTES, MAIN_MASTER):
            part, where = {
                SLIDE: ("body", "slide"),
                NOTES: ("notes", "notes"),
                MAIN_MASTER: ("header", "master"),
            }[kind]
            return part, None, f"{where} text box"
    return None


def _lines(
    text: str, part: str, page: int | None, origin: str, seen: set[tuple[str, str, int | None]]
) -> list[TextBlock]:
    blocks = []
    for number, line in enumerate(text.replace("\x0b", "\r").split("\r"), 1):
        line = "".join(c for c in line if c >= " " or c == "\t").strip()
        # Masters and notes repeat the same prompt text on every layout: keep the first.
        if line and (page is not None or (line, part, page) not in seen):
            seen.add((line, part, page))
            blocks.append(TextBlock(line, part=part, page=page, line=number, origin=origin))
    return blocks
