"""PDF text that pdfium drops (found by ``dropped_glyphs``), recovered with pypdf.

Recovery (:meth:`Fallback.page_lines`) reads only the affected pages with
pypdf (BSD, pure Python, so no new native code; it decodes the text from the
font's CMap and never needs the glyphs). Its ``extract_text`` visitor gives each
string's text and text matrix x CTM, hence a position, so the page becomes
:class:`~secscan.extractors.pdf.lines.Line` objects in pdfium's page space,
grouped by baseline as pdfium groups glyphs, each boxed one em high over its
guessed advance (pypdf gives no glyph widths); ``join_columns`` and
``vpos_of`` then treat them like pdfium's lines.

Merge: an affected page takes pypdf's lines for the whole page, plus each
pdfium line that no pypdf line contains. pypdf cuts strings differently from
pdfium's objects (one pypdf string can hold glyphs pdfium kept and glyphs it
dropped), so adding only the "missing" pieces would split or duplicate a
marking; whole-page lines hold every string once, and the pdfium lines kept
on top guard against pypdf cutting a line pdfium read whole (at the price of
some repeated text on that page). If pypdf's text holds no character pdfium
lacks, the dropped objects held nothing new (lone spaces) and pdfium's lines
stay. pypdf's text is not used when it misses more than a tenth of pdfium's
characters (it decoded the fonts differently: mojibake). Then, and when pypdf
fails (an exception, another page count, no text), the page keeps pdfium's
lines and a SkippedPart says how many text objects could not be read, so the
file is never silently clean.

Measured costs: benchmarks/pdf_glyph_recovery.md.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from secscan.extractors.pdf.lines import Box, Line, join_columns
from secscan.model import SkippedPart

_ASCENT, _DESCENT = 0.88, 0.12  # share of the em above/below the baseline, for glyph boxes
_NARROW = 0.55  # advance (em) assumed for a glyph that is not East Asian wide
_AGREEMENT = 0.9  # share of pdfium's characters pypdf must also read for its text to be trusted
_SAME_BASELINE = 0.5  # ems off the baseline a string may start and still be on the line
_SAME_DIRECTION = 0.05  # sine of the angle between two baselines that still count as one
_WORD_GAP = 0.3  # ems of empty baseline that separate words

Matrix = list[float]  # a b c d e f, as pypdf passes them


class RecoveryFailed(Exception):
    """pypdf could not give the page's text."""


@dataclass
class Fallback:
    """Per document: the font verdicts and pypdf's reader, opened on the first page that needs it."""

    data: bytes
    passwords: tuple[str, ...]
    pages: int
    fonts: dict[int, bool] = field(default_factory=dict)  # pdfium font handle -> has no glyphs
    _reader: Any = None
    _unopened: RecoveryFailed | None = None  # why pypdf could not open the file, so it is tried once

    def page_lines(self, index: int, pdfium_lines: list[Line]) -> list[Line]:
        """The page's lines read by pypdf, plus pdfium's lines pypdf did not reproduce."""
        try:
            with quiet_pypdf():
                recovered = _pypdf_lines(self._open(), index)
        except RecoveryFailed:
            raise
        except Exception as exc:  # pypdf raises assorted errors on damaged files
            raise RecoveryFailed(_failure(exc)) from None
        found, read = _chars(recovered), _chars(pdfium_lines)
        if not found:
            raise RecoveryFailed("pypdf read no text on the page")
        if (read - found).total() > (1 - _AGREEMENT) * read.total():
            # pypdf decodes this page's fonts differently (mojibake), so its text is no evidence.
            raise RecoveryFailed("pypdf's text of the page does not match pdfium's")
        if not found - read:
            return pdfium_lines  # the dropped objects held nothing new, e.g. lone spaces
        return _merged(recovered, pdfium_lines)

    def _open(self) -> Any:
        if self._unopened is not None:
            raise self._unopened
        if self._reader is None:
            try:
                self._reader = _reader(self.data, self.passwords, self.pages)
            except Exception as exc:
                self._unopened = exc if isinstance(exc, RecoveryFailed) else RecoveryFailed(_failure(exc))
                raise self._unopened from None
        return self._reader


def recover(
    fallback: Fallback, number: int, lines: list[Line], unread: int, skipped: list[SkippedPart]
) -> list[Line]:
    """Page ``number``'s lines with the text pdfium dropped, or pdfium's lines and a skipped note."""
    try:
        return fallback.page_lines(number - 1, lines)
    except RecoveryFailed as exc:
        objects = "text object" if unread == 1 else "text objects"
        reason = f"{unread} {objects} could not be read: no glyphs for their font here; pypdf fallback: {exc}"
        skipped.append(SkippedPart(f"page {number}", reason))
        return lines


def _reader(data: bytes, passwords: tuple[str, ...], pages: int) -> Any:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not any(reader.decrypt(password) for password in ("", *passwords)):
        raise RecoveryFailed("pypdf could not decrypt the file")
    if len(reader.pages) != pages:
        # The page trees were read differently, so page numbers would not match.
        raise RecoveryFailed(f"pypdf sees {len(reader.pages)} pages, pdfium {pages}")
    return reader


@dataclass
class _Piece:
    """One string as pypdf's visitor reports it, with the page-space matrix at its start."""

    text: str
    matrix: Matrix
    size: float

    @property
    def em(self) -> float:
        return self.size * math.hypot(self.matrix[0], self.matrix[1])


def _pypdf_lines(reader: Any, index: int) -> list[Line]:
    """pypdf's text of one page as positioned lines, in content order."""
    pieces: list[_Piece] = []
    forms = _FormTracker()

    def on_text(text: str, cm: Matrix, tm: Matrix, font: Any, size: float) -> None:
        if text:
            pieces.append(_Piece(text, forms.to_page(_mult(tm, cm)), float(size)))

    reader.pages[index].extract_text(
        visitor_operand_before=forms.before, visitor_operand_after=forms.after, visitor_text=on_text
    )
    return join_columns(_lines(pieces))


class _FormTracker:
    """The CTM of the enclosing form XObjects, which pypdf's visitor leaves out of a form's strings.

    pypdf reports ``Do`` before it flushes the text pending outside the form, so
    the form's matrix is applied only once the first operator inside it is seen.
    The form's own /Matrix is not applied (it is nearly always the identity).
    """

    def __init__(self) -> None:
        self.stack: list[Matrix] = []
        self.pending: Matrix | None = None

    def to_page(self, matrix: Matrix) -> Matrix:
        return _mult(matrix, self.stack[-1]) if self.stack else matrix

    def before(self, operator: bytes, operands: Any, cm: Matrix, tm: Matrix) -> None:
        if self.pending is not None:
            self.stack.append(self.pending)
            self.pending = None
        if operator == b"Do":
            self.pending = self.to_page(list(cm))

    def after(self, operator: bytes, operands: Any, cm: Matrix, tm: Matrix) -> None:
        if operator != b"Do":
            return
        if self.pending is not None:
            self.pending = None  # an image, or an empty form: nothing was entered
        elif self.stack:
            self.stack.pop()


class _LineBuilder:
    """Joins pypdf's strings into lines by position, the way pdfium groups glyphs.

    pypdf breaks a line whenever the pen moves down, and reportlab and many
    generators end every string with ``T*``; so glyphs set one by one along a
    baseline (机 密 ★ 1 年) come out one per line. Where pypdf broke, the next
    string joins the line again if it sits on the same baseline further along.
    Within pypdf's own lines its spacing, which knows the glyph widths, is kept.
    """

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.text = ""
        self.box: Box | None = None
        self.last: _Piece | None = None  # where the line's last visible string started
        self.last_text = ""
        self.broken = False  # pypdf ended a line since the last visible string

    def add(self, piece: _Piece) -> None:
        for number, part in enumerate(piece.text.split("\n")):
            self.broken = self.broken or number > 0
            if part.strip():
                self._visible(piece, part)
            else:
                self.text += part

    def _visible(self, piece: _Piece, part: str) -> None:
        if self.broken and self.last is not None:
            gap = _gap(self.last, self.last_text, piece)
            if gap is None:
                self.close()
            elif gap > _WORD_GAP and not self.text.endswith(" "):
                self.text += " "
        self.broken = False
        box = _text_box(part, piece.matrix, piece.size)
        self.box = box if self.box is None else _union(self.box, box)
        self.text += part
        self.last, self.last_text = piece, part

    def close(self) -> list[Line]:
        if self.box is not None and self.text.strip():
            self.lines.append(Line(self.text.strip(), self.box))
        self.text, self.box, self.last, self.last_text = "", None, None, ""
        return self.lines


def _lines(pieces: list[_Piece]) -> list[Line]:
    builder = _LineBuilder()
    for piece in pieces:
        builder.add(piece)
    return builder.close()


def _gap(previous: _Piece, text: str, piece: _Piece) -> float | None:
    """Ems between the end of ``text`` (guessed) and ``piece``, if it goes on the same line; else None."""
    em = previous.em
    if em <= 0 or piece.em <= 0:
        return None
    ux, uy = previous.matrix[0] * previous.size / em, previous.matrix[1] * previous.size / em
    vx, vy = piece.matrix[0] * piece.size / piece.em, piece.matrix[1] * piece.size / piece.em
    if abs(ux * vy - uy * vx) > _SAME_DIRECTION:
        return None
    dx, dy = piece.matrix[4] - previous.matrix[4], piece.matrix[5] - previous.matrix[5]
    along, across = (dx * ux + dy * uy) / em, (dy * ux - dx * uy) / em
    if abs(across) > _SAME_BASELINE or along <= 0:
        return None
    return along - _advance(text)


def _advance(text: str) -> float:
    """A string's width in ems, guessed: wide CJK glyphs 1 em, others about half, spaces a quarter."""
    return sum(0.25 if char.isspace() else 1.0 if _wide(char) else _NARROW for char in text)


def _wide(char: str) -> bool:
    # Ambiguous-width marks such as ★ are full width in CJK fonts, the only ones that get here.
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


def _text_box(text: str, matrix: Matrix, size: float) -> Box:
    """The page-space box of a string set from ``matrix``: em high, its advance guessed."""
    corners = [(x * size, y * size) for x in (0.0, _advance(text.strip())) for y in (-_DESCENT, _ASCENT)]
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _union(one: Box, other: Box) -> Box:
    return (min(one[0], other[0]), min(one[1], other[1]), max(one[2], other[2]), max(one[3], other[3]))


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """m x n for PDF's row-vector matrices [a b c d e f]."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _merged(recovered: list[Line], pdfium_lines: list[Line]) -> list[Line]:
    """pypdf's lines, then each pdfium line that no pypdf line contains.

    pypdf may cut a line pdfium read whole (机密 | ★5年); keeping pdfium's line
    then repeats some text on the page, which is better than losing a marking.
    """
    seen = "\n".join(_squeezed(line.text) for line in recovered)
    return [*recovered, *(line for line in pdfium_lines if _squeezed(line.text) not in seen)]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _chars(lines: list[Line]) -> Counter[str]:
    return Counter(char for line in lines for char in line.text if not char.isspace())


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Hold back pypdf's warnings on damaged files: logging's last resort would print them over the report."""
    import logging  # only pages that need pypdf pay for it (about 4 ms of start-up)

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _failure(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
