"""EMF and WMF pictures (object previews, pasted drawings, thumbnails) -> text lines and bitmap members.

Office keeps a preview picture of every embedded object as a metafile, and Word
and PowerPoint keep drawings and pasted pictures as metafiles too. A metafile is
a list of drawing records, and its text is in them, so it is read exactly, not
by OCR:

* EMF (MS-EMF): ``EMR_EXTTEXTOUTW``/``A``, ``EMR_POLYTEXTOUTW``/``A`` and
  ``EMR_SMALLTEXTOUT``; EMF+ records in ``EMR_COMMENT`` (MS-EMFPLUS:
  ``EmfPlusDrawString``, ``EmfPlusDrawDriverString``); the header's
  description and ``BEGINGROUP`` descriptions (part ``metadata``). The copies
  an EMF may carry of itself (the WMF it was converted from, the EMF of an
  ``EMR_COMMENT_MULTIFORMATS``) are walked too; a PDF or EPS copy is a member.
* WMF (MS-WMF, placeable or standard header): ``META_TEXTOUT`` and
  ``META_EXTTEXTOUT``, whose 8-bit text is decoded in the charset of the font
  selected from the object table (lfCharSet 134 -> GB18030, 136 -> Big5, 128 ->
  Shift-JIS ...; for DEFAULT_CHARSET the face name decides, else text whose
  every non-ASCII byte pairs up as GB2312 is GB2312, else cp1252), and the EMF
  that a WMF converted from one keeps in ``META_ESCAPE`` comments.

Metafiles draw text a glyph or a word at a time, so the glyph strings are placed
on the picture (EMF: window/viewport mapping, map mode and world transform;
WMF: the window over the picture, viewport records being the player's; EMF+:
world and page transforms; text alignment and the current position) and grouped
into lines by their vertical centre (within half the font height: same line),
left to right, so a title drawn glyph by glyph reads as one line ``机密★5年``.
``vpos`` is the line's centre over the picture's frame (EMF: header frame,
WMF: placeable bounding box or the window). Text drawn twice (EMF+ with its
EMF fallback, a WMF with its EMF copy) is reported once. Bitmaps
(``EMR_STRETCHDIBITS``, ``EMR_BITBLT`` and the other blits, ``META_DIBSTRETCHBLT``,
``META_STRETCHDIB`` ..., EMF+ image objects) are returned as members (a DIB gets
the BMP file header it lacks), each distinct one once, for the pipeline to OCR.

What is not read is said, so a metafile is never clean for it: text drawn as
glyph indices (``ETO_GLYPH_INDEX``: the characters are not in the file),
device-dependent and raw EMF+ bitmaps this reader cannot convert, damaged
records, a walk stopped by damage (a record of size 0 or past the end) or by
the caps, a file shorter than its header says or without its EOF record.
Not seen at all, like in any vector format: text converted to outlines
(paths), and pattern-brush tiles.

A metafile is untrusted input: every offset and size is checked against its
record; the walk stops at a record of size 0 or one that runs past the end; at
most ``MAX_RECORDS`` records (all nested copies together) and ``MAX_CHARS``
characters of text are read, nested copies at most ``MAX_NESTING`` deep.

A hand-rolled record walker, because no package on PyPI extracts metafile text:
Pillow opens WMF/EMF only to render them, and only on Windows; metafile-render
(MIT, 0.x) and pillow-wmf render metafiles to raster or SVG pictures, and text
read back out of a rendering would be slower and would lose what the records
say exactly (the font's charset, text drawn as glyph indices, the bitmaps);
libwmf and libemf2svg are C libraries without a maintained Python binding.

The reader is split by what each part knows: ``metafile_walker`` (the record
walk shared by EMF and WMF) over ``metafile_records`` (bounds-checked reads);
``metafile_reader`` (what a walk found, and the caps); ``metafile_emf`` with
``metafile_emf_dc``, ``metafile_emf_text`` and ``metafile_emf_comments``;
``metafile_emfplus`` with ``metafile_emfplus_space`` and ``metafile_emfplus_objects``;
``metafile_wmf`` with ``metafile_wmf_objects``; ``metafile_dc`` (device context,
text placement), ``metafile_xform``, ``metafile_charsets`` (8-bit text),
``metafile_lines`` (runs -> lines -> text blocks) and ``metafile_bitmaps``
(DIB -> BMP). This module only chooses the walker for a file.
"""

from __future__ import annotations

from secscan.config import ScanConfig
from secscan.extractors.metafile.emf import EMF_SIGNATURE, Emf
from secscan.extractors.metafile.reader import MAX_CHARS, MAX_NESTING, MAX_RECORDS, Reader
from secscan.extractors.metafile.wmf import Wmf
from secscan.model import Extraction, FileKind

KINDS = frozenset({FileKind.EMF, FileKind.WMF})

__all__ = ["MAX_CHARS", "MAX_NESTING", "MAX_RECORDS", "extract"]


def extract(data: bytes, config: ScanConfig) -> Extraction:
    reader = Reader(_read)
    _read(reader, data, 0, "emf" if _is_emf(data) else "wmf")
    return reader.extraction()


def _read(reader: Reader, data: bytes, depth: int, origin: str) -> None:
    """Walk one EMF or WMF (the file, or a copy nested in it) into ``reader``."""
    if _is_emf(data):
        Emf(reader, data, depth, origin).walk()
    else:
        Wmf(reader, data, depth, origin).walk()


def _is_emf(data: bytes) -> bool:
    # The signature alone decides: a damaged EMF header is reported as such, not as a bad WMF.
    return data[40:44] == EMF_SIGNATURE
