"""Word 97-2003 .doc (and Kingsoft WPS .wps, the same format; Word 6/95) -> text blocks.

No maintained, permissively licensed Python reader exists (antiword and
catdoc are GPL C tools; textract shells out to them), so this is a bounded
MS-DOC reader: FIB -> piece table -> text by character position, cut into
stories by the FIB counts. Main text and footnotes/endnotes are ``body``,
header and footer stories (told apart by the PlcfHdd story table) are
``header``/``footer``, comments ``comment``, text boxes ``textbox``; field
codes are dropped and field results kept. OLE summary and user-defined
properties (``密级: 机密``) become ``metadata``. An encrypted document is
decrypted with the supplied passwords (msoffcrypto-tool) or reported.
Word 6/95 files are read as one 8-bit run in the document's code page.

Embedded objects (the ``ObjectPool/_NNNN`` storages) come back as members
through ``ole_objects`` (``report.doc!ObjectPool/_1269427460.xls``), and
pictures (OfficeArt BLIPs: inline ones in the ``Data`` stream, floating ones
in the WordDocument stream, found through the drawing group's BStore) as
``picture1.png`` ... through ``officeart``, so the pipeline reads and OCRs them.
"""

from __future__ import annotations

from typing import Any

from secscan.config import ScanConfig
from secscan.errors import CorruptFile, EncryptedError
from secscan.extractors._common.bounded import Meter
from secscan.extractors.legacy.doc_fields import story_lines
from secscan.extractors.legacy.doc_pieces import (
    Fib,
    drawing_group,
    header_stories,
    piece_text,
    read_fib,
    story_ranges,
    word6_text,
)
from secscan.extractors.legacy.officeart import Inflater, bstore, scan
from secscan.extractors.legacy.ole_objects import storage_objects
from secscan.extractors.legacy.ole_props import property_blocks
from secscan.extractors.legacy.parts import Pictures, embedded_parts
from secscan.model import Extraction, FileKind, TextBlock

KINDS = frozenset({FileKind.DOC})

_STORY_PARTS = {
    "main": "body",
    "footnote": "body",
    "endnote": "body",
    "comment": "comment",
    "textbox": "textbox",
    "header textbox": "header",
}
# PlcfHdd: 6 separator stories, then per section: even/odd header, even/odd footer, first header/footer.
_HDD_KINDS = ("header", "header", "footer", "footer", "header", "footer")
_LID_CODECS = {
    0x0804: "gbk",
    0x1004: "gbk",
    0x0404: "big5",
    0x0C04: "big5",
    0x0411: "cp932",
    0x0412: "cp949",
    0x0419: "cp1251",
}


def extract(data: bytes, config: ScanConfig) -> Extraction:
    ole, word = _open(data)
    fib = read_fib(word)
    if fib.encrypted:
        from secscan.extractors._common.decrypt import decrypt_office

        ole.close()
        data = decrypt_office(data, config.passwords, "Word document")
        ole, word = _open(data)
        fib = read_fib(word)
        if fib.encrypted:
            raise EncryptedError("Word document")
    # Word 6/95 header and footer stories are read too, but reported as body text.
    blocks = _word97_blocks(ole, word, fib) if fib.is_word97 else _word6_blocks(word, fib)
    props, unread_props = property_blocks(ole)
    blocks += props
    meter = Meter(config.limits)
    storages = [e for e in ole.listdir(streams=False, storages=True) if len(e) == 2 and e[0] == "ObjectPool"]
    objects = storage_objects(data, ole, storages, meter)
    members, skipped = embedded_parts(objects, _pictures(ole, word, fib, len(data), meter), meter)
    ole.close()
    parts = ("body", "header", "footer", "comment", "textbox", "metadata")
    return Extraction(tuple(blocks), parts_read=parts, members=members, skipped=(*skipped, *unread_props))


def _pictures(ole: Any, word: bytes, fib: Fib, size: int, meter: Meter) -> Pictures:
    """Inline pictures (Data stream) and floating ones (the BStore's BLIPs, in the WordDocument stream)."""
    pictures = Pictures(size)
    inflater = Inflater(meter)  # metafile pictures inflate within the file's limits
    data = pictures.stream(ole, "Data")
    if data:
        pictures.found += scan(data, inflater)
    if fib.is_word97:
        table = pictures.stream(ole, fib.table_stream)
        pictures.found += bstore(drawing_group(word, table), delay=word, inflater=inflater)
    return pictures


def _open(data: bytes) -> tuple[Any, bytes]:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
        return ole, ole.openstream("WordDocument").read()
    except Exception as exc:  # olefile raises assorted errors on damaged containers
        raise CorruptFile(f"damaged Word document container: {exc}") from None


def _word97_blocks(ole: Any, word: bytes, fib: Fib) -> list[TextBlock]:
    if not ole.exists(fib.table_stream):
        raise CorruptFile(f"Word document has no {fib.table_stream} stream")
    try:
        table = ole.openstream(fib.table_stream).read()
    except OSError as exc:
        raise CorruptFile(f"damaged {fib.table_stream} stream: {exc}") from None
    text = piece_text(word, table)
    blocks: list[TextBlock] = []
    for story, start, end in story_ranges(fib, len(text)):
        if story == "header":
            blocks += _header_blocks(text[start:end], header_stories(word, table))
        elif story in _STORY_PARTS:
            blocks += _blocks(text[start:end], _STORY_PARTS[story], f"{story} story")
    return blocks


def _header_blocks(text: str, cps: list[int]) -> list[TextBlock]:
    if len(cps) < 8:
        return _blocks(text, "header", "header story")
    blocks: list[TextBlock] = []
    for index in range(6, len(cps) - 1):
        kind = _HDD_KINDS[(index - 6) % 6]
        section = (index - 6) // 6 + 1
        story = text[cps[index] : cps[index + 1]]
        blocks += _blocks(story, kind, f"section {section} {kind} story")
    return blocks


def _blocks(text: str, part: str, origin: str) -> list[TextBlock]:
    blocks = []
    for line, (content, in_table) in enumerate(story_lines(text), 1):
        this_part = "table" if in_table and part == "body" else part
        blocks.append(TextBlock(content, part=this_part, line=line, origin=origin))
    return blocks


def _word6_blocks(word: bytes, fib: Fib) -> list[TextBlock]:
    text = word6_text(word, _LID_CODECS.get(fib.lid, "cp1252"))
    if fib.complex:
        return _blocks(text, "body", "Word 6/95 text (fast-saved: order not guaranteed)")
    blocks: list[TextBlock] = []
    for story, start, end in story_ranges(fib, len(text)):
        part = "header" if story == "header" else _STORY_PARTS.get(story)
        if part is not None:
            blocks += _blocks(text[start:end], part, f"{story} story")
    return blocks or _blocks(text, "body", "Word 6/95 text")
