"""OCR of photos, screenshots and scanned pages, offline, in Chinese and English.

``recognize(image, config, page)`` is the one entry point: the image extractor
calls it per picture or TIFF page, the PDF extractor per page without a text
layer. It returns one ``TextBlock`` per recognised line (part ``ocr``), top to
bottom on the page as a person would read it, even when the photo was taken
sideways or upside down, with the engine's confidence for the line.

Engines: RapidOCR (PP-OCR models run by onnxruntime; the wheel ships its models)
is the default; Tesseract (chi_sim+eng, via pytesseract) is the second choice.
The issue author measured on 30 degraded CN/EN pages: RapidOCR read the marking
on 24/24, Tesseract on 5/24 (★ came out as 太/文/女) and hung on some pages, so
RapidOCR leads; ``benchmarks/bench_ocr.py`` re-measures both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from secscan.errors import MissingEngine
from secscan.ocr.deadline import Deadline
from secscan.ocr.engine import stage_seconds
from secscan.ocr.layout import to_blocks

if TYPE_CHECKING:
    from PIL import Image

    from secscan.config import ScanConfig
    from secscan.model import TextBlock
    from secscan.ocr.engine import Engine, Enough, PageRead

__all__ = ["Deadline", "recognize", "stage_seconds"]

ENGINES = ("rapidocr", "tesseract")
_cache: dict[str, Engine] = {}


def recognize(
    image: Image.Image,
    config: ScanConfig,
    page: int | None = None,
    *,
    deadline: Deadline | None = None,
) -> list[TextBlock]:
    """Read the text lines of ``image``; raise MissingEngine when no engine is installed.

    ``deadline`` (one per file, shared by its pages) bounds the work; without one
    the page gets the whole ``config.limits.timeout``.
    """
    engine = get_engine(config.ocr_engine, config.ocr_threads)
    clock = deadline if deadline is not None else Deadline(config.limits.timeout)
    clock.check()
    read = engine.read(image.convert("RGB"), clock, _enough(config, page))
    return to_blocks(read, page)


def _enough(config: ScanConfig, page: int | None) -> Enough | None:
    """For the plain gate: whether the bands read so far already hold a marking at the fail-on level."""
    stop_at = config.ocr_stop_at
    if stop_at is None:
        return None

    def enough(read: PageRead) -> bool:
        from secscan.match.matcher import match

        found = match(to_blocks(read, page), config.catalog, config.threshold).findings
        return any(finding.level >= stop_at for finding in found)

    return enough


def get_engine(name: str, threads: int | None = None) -> Engine:
    """The engine named ``name``, created once per process (model sessions are heavy)."""
    engine = _cache.get(name)
    if engine is None:
        engine = _create(name, threads)
        _cache[name] = engine
    return engine


def _create(name: str, threads: int | None = None) -> Engine:
    if name not in ENGINES:
        raise MissingEngine(f"unknown OCR engine {name!r} (expected one of: {', '.join(ENGINES)})")
    extra = "ocr" if name == "rapidocr" else "tesseract"
    try:
        if name == "rapidocr":
            from secscan.ocr.rapid import RapidEngine

            return RapidEngine(threads)
        from secscan.ocr.tess import TesseractEngine

        return TesseractEngine()
    except ImportError as exc:  # numpy, Pillow or OpenCV absent: the extra was not installed
        detail = f"{exc.name} is missing"
        raise MissingEngine(f"OCR with {name} needs pip install 'secscan[{extra}]' ({detail})") from None
