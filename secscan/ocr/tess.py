"""Tesseract engine (``--ocr-engine tesseract``): chi_sim+eng through pytesseract.

The second engine, for machines that already trust Tesseract. The issue author
measured it well behind RapidOCR on degraded pages (5/24 markings; ★ read as
太/文/女) and saw it hang 20-180 s on some pages with OpenMP threads on, so it
runs single-threaded (``OMP_THREAD_LIMIT=1``) under a per-page time limit.
Tesseract does not turn pages here: ``turn`` is always 0.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from secscan.errors import LimitExceeded, MissingEngine
from secscan.ocr import prep
from secscan.ocr.engine import Enough, PageRead, Segment

if TYPE_CHECKING:
    from PIL import Image

    from secscan.ocr.deadline import Deadline

INSTALL = (
    "OCR with Tesseract needs pip install 'secscan[tesseract]' and "
    "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
)
LANGUAGES = "chi_sim+eng"
PAGE_LIMIT = 60.0  # seconds: past this Tesseract is stuck, not slow


class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        # Inherited by the tesseract child process; without it some pages hang.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            import pytesseract
        except ImportError:
            raise MissingEngine(INSTALL) from None
        try:
            languages = set(pytesseract.get_languages(config=""))
        except (pytesseract.TesseractNotFoundError, OSError):
            raise MissingEngine(f"the tesseract program is not installed; {INSTALL}") from None
        missing = set(LANGUAGES.split("+")) - languages
        if missing:
            raise MissingEngine(f"Tesseract lacks language data {', '.join(sorted(missing))}; {INSTALL}")
        self._tesseract: Any = pytesseract

    def read(self, image: Image.Image, deadline: Deadline, enough: Enough | None = None) -> PageRead:
        # One call reads the whole page, so there is nothing to stop early: ``enough`` is not consulted.
        picture = prep.fit(image)
        limit = min(PAGE_LIMIT, deadline.remaining())
        try:
            data = self._tesseract.image_to_data(
                picture,
                lang=LANGUAGES,
                config="--psm 3",
                output_type=self._tesseract.Output.DICT,
                timeout=limit,
            )
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise LimitExceeded(f"Tesseract took over {limit:.0f} s on one page") from None
            raise
        pixels = np.asarray(picture)
        red, dark = prep.red_ink(pixels), prep.dark_ink(pixels)
        segments = []
        for segment in _lines(data):
            hints = frozenset({"red"}) if prep.red_share(red, dark, segment.box) > 0.5 else frozenset()
            segments.append(Segment(segment.text, segment.confidence, segment.box, hints))
        return PageRead(tuple(segments), picture.size, 0, self.name)


def _lines(data: dict[str, list[Any]]) -> list[Segment]:
    """Tesseract's words gathered per (block, paragraph, line), as one segment each."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if str(word).strip() and float(data["conf"][i]) >= 0:
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    segments = []
    for words in lines.values():
        text = ""
        for i in words:
            word = str(data["text"][i]).strip()
            text += (" " if text and text[-1].isascii() and word[0].isascii() else "") + word
        x0 = min(data["left"][i] for i in words)
        y0 = min(data["top"][i] for i in words)
        x1 = max(data["left"][i] + data["width"][i] for i in words)
        y1 = max(data["top"][i] + data["height"][i] for i in words)
        confidence = sum(float(data["conf"][i]) for i in words) / len(words) / 100
        segments.append(Segment(text, confidence, (float(x0), float(y0), float(x1), float(y1))))
    return segments
