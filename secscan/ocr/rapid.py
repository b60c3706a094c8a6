"""RapidOCR engine: PP-OCR detection, orientation and recognition models on onnxruntime.

Offline by construction: the models are the ``.onnx`` files inside the rapidocr
wheel, passed by explicit path, so rapidocr's download-on-first-use branch is
never reached (a missing file is a MissingEngine error, not a fetch). Telemetry:
onnxruntime writes a device id and reports to Microsoft unless
``ORT_DISABLE_TELEMETRY=1`` is in the environment *before* it is imported, so
it is forced here (a user's ``=0`` too), and the runtime switch is thrown after.

Orientation: the detector finds text in any direction; crops taller than wide
are turned a quarter, and the line classifier says which crops read upside down.
From those two facts this module works out how the whole page must turn to
stand upright (0/90/180/270), so lines come out in reading order with a true
vertical position, at no extra pass.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from secscan.errors import MissingEngine
from secscan.ocr import prep
from secscan.ocr.engine import Box, PageRead, Segment

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL import Image

    from secscan.ocr.deadline import Deadline

INSTALL = "OCR needs RapidOCR: pip install 'secscan[ocr]'"

# Detector input: its long side bounded ("max") rather than its short side raised
# ("min", rapidocr's default), which cost 2-3x on phone photos for no recall.
DET_SIDE = 1280


def _quiet_onnxruntime() -> None:
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


class RapidEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        self._ocr = _load()

    def read(self, image: Image.Image, deadline: Deadline) -> PageRead:
        picture = prep.fit(image)
        pixels = np.asarray(picture)
        segments, turn = self._pass(pixels)
        red = prep.red_ink(pixels)
        if red.any():
            deadline.check("red-ink pass")
            segments = _add_red_pass(self, pixels, red, segments)
        dark = prep.dark_ink(pixels)
        marked = tuple(_hint_red(s, red, dark) for s in segments)
        return PageRead(marked, picture.size, turn, self.name)

    def _pass(self, pixels: NDArray[np.uint8]) -> tuple[list[Segment], int]:
        self._ocr.labels = []
        result = self._ocr(pixels)
        if result.txts is None or result.boxes is None:
            return [], 0
        segments = [
            Segment(text, float(score), _bounds(points))
            for text, score, points in zip(result.txts, result.scores, result.boxes, strict=True)
            if text.strip()
        ]
        return segments, _page_turn(result.boxes, self._ocr.labels)


def _load() -> Any:
    _quiet_onnxruntime()
    try:
        import onnxruntime
        import rapidocr
    except ImportError as exc:
        raise MissingEngine(f"{INSTALL} ({exc.name} is not installed)") from None
    if hasattr(onnxruntime, "disable_telemetry_events"):
        onnxruntime.disable_telemetry_events()
    models = Path(rapidocr.__file__).parent / "models"
    paths = {task: sorted(models.glob(f"*{task}*.onnx")) for task in ("det", "cls", "rec")}
    missing = [task for task, found in paths.items() if not found]
    if missing:
        what = "/".join(missing)
        raise MissingEngine(f"rapidocr's bundled {what} model is missing from {models}; {INSTALL}")
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        **{f"{task.capitalize()}.model_path": str(found[-1]) for task, found in paths.items()},
    }
    return _recording_class(rapidocr.RapidOCR)(params=params)


def _recording_class(base: type) -> type:
    """RapidOCR that keeps the line classifier's verdicts, which its output drops."""

    class Recording(base):  # type: ignore[misc]
        labels: list[tuple[str, float]] = []  # noqa: RUF012 - reset per call, one engine per process

        def cls_and_rotate(self, img: list[Any]) -> Any:
            images, result = super().cls_and_rotate(img)
            self.labels = list(result.cls_res or [])
            return images, result

    return Recording


def _bounds(points: Any) -> Box:
    xs, ys = points[:, 0], points[:, 1]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _page_turn(boxes: Any, labels: list[tuple[str, float]]) -> int:
    """Counter-clockwise turn that stands the page upright, from crop shapes and classifier votes."""
    widths = np.linalg.norm(boxes[:, 0] - boxes[:, 1], axis=1)
    heights = np.linalg.norm(boxes[:, 0] - boxes[:, 3], axis=1)
    tall = float(np.mean(heights >= 1.5 * widths)) > 0.5
    flipped = sum(1 for label, score in labels if "180" in label and score > 0.9)
    upside_down = flipped * 2 > len(labels) > 0
    if tall:
        # rapidocr turns tall crops a quarter counter-clockwise: a page lying
        # clockwise then reads upright, one lying counter-clockwise reads flipped.
        return 270 if upside_down else 90
    return 180 if upside_down else 0


def _add_red_pass(
    engine: RapidEngine, pixels: NDArray[np.uint8], red: NDArray[np.bool_], segments: list[Segment]
) -> list[Segment]:
    """Re-read red ink that the first pass left outside every box (red stamps, faint red marks)."""
    uncovered = red.copy()
    for segment in segments:
        x0, y0, x1, y1 = (round(v) for v in segment.box)
        uncovered[max(y0, 0) : y1, max(x0, 0) : x1] = False
    region = prep.text_like_region(uncovered)
    if region is None:
        return segments
    x0, y0, x1, y1 = region
    found, _ = engine._pass(prep.red_only(pixels[y0:y1, x0:x1], red[y0:y1, x0:x1]))
    extra = [
        Segment(s.text, s.confidence, (s.box[0] + x0, s.box[1] + y0, s.box[2] + x0, s.box[3] + y0))
        for s in found
    ]
    return segments + [s for s in extra if not any(_overlaps(s.box, t.box) for t in segments)]


def _overlaps(a: Box, b: Box) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height > 0.5 * smaller


def _hint_red(segment: Segment, red: NDArray[np.bool_], dark: NDArray[np.bool_]) -> Segment:
    if prep.red_share(red, dark, segment.box) <= 0.5:
        return segment
    return Segment(segment.text, segment.confidence, segment.box, segment.hints | {"red"})
