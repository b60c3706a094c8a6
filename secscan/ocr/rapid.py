"""RapidOCR engine: PP-OCR detection, orientation and recognition models on onnxruntime.

Offline by construction: the models are the ``.onnx`` files inside the rapidocr
wheel, passed by explicit path, so rapidocr's download-on-first-use branch is
never reached (a missing file is a MissingEngine error, not a fetch). Telemetry:
onnxruntime writes a device id and reports to Microsoft unless
``ORT_DISABLE_TELEMETRY=1`` is in the environment *before* it is imported, so
it is forced here (a user's ``=0`` too), and the runtime switch is thrown after.

The three models are driven one by one rather than through ``RapidOCR.__call__``,
because the order of reading is where the time goes: (1) a quick detection on a
downscaled copy decides the page's pose (:mod:`orient`: turn, skew, enlargement);
(2) the marking bands (top quarter, bottom tenth) and the red-ink regions
(:mod:`stamps`) are read at full resolution; (3) if ``enough`` says that already
decides the verdict, reading stops; else the rest of the page is read. Time per
stage is kept (``engine.stage_seconds``) for the benchmark.

Lines are recognised one at a time (``Rec.rec_batch_num = 1``), not six to a batch:
a batch is padded to its widest line, and a page line at the recogniser's 48 px
height is 1,500-2,000 px wide, so batches spent their time and memory on padding.
Measured on 20 screenshots and a phone photo, one thread: 19% less time, the
worker's peak RSS 314 MB instead of 554 MB, the same text read. (Giving every
buffer over 1 MiB its own mapping, glibc ``mallopt``, took another 80-200 MB off
the peak but cost 21% more time in page faults; at 4 MiB, 9% for 30-140 MB: not taken.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from secscan.errors import MissingEngine
from secscan.ocr import orient, prep, stamps
from secscan.ocr.engine import Box, Enough, PageRead, Segment, timed

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL import Image

    from secscan.ocr.deadline import Deadline

# RapidOCR is a default dependency now; this reinstalls what is missing (the extra is an alias).
INSTALL = "OCR needs RapidOCR: pip install 'secscan[ocr]'"

# Detector input: its long side bounded ("max") rather than its short side raised
# ("min", rapidocr's default), which cost 2-3x on phone photos for no recall. 960 rather
# than 1280: on the 81 tune pages of benchmarks/ocr_blind the same verdicts, detection
# time -29%, p90 s/page -19%, peak RSS -20% (a marking line is large type; body text at
# 960 still reads, and the bands are read at their own size, up to this bound).
DET_SIDE = 960
# The pose pass: enough to see line shapes. 640 rather than 800: on the 81 tune pages the same
# verdicts (turned, skewed and low-resolution pages included), detection -16%, median s/page -14%.
QUICK_SIDE = 640
POSE_CROPS = 12  # the classifier votes on this many of the largest boxes
TOP_BAND, BOTTOM_BAND = 0.27, 0.12  # page shares where banners, 密级 and footers stand (plus margin)


def _quiet_onnxruntime() -> None:
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


class RapidEngine:
    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        ocr = _load(threads)
        self._det = ocr._load_det_model()
        self._cls = ocr._load_cls_model()
        self._rec = ocr._load_rec_model()

    def read(self, image: Image.Image, deadline: Deadline, enough: Enough | None = None) -> PageRead:
        with timed("prep"):
            pixels = np.asarray(prep.fit(image))
        chosen = self._pose(pixels)
        with timed("prep"):
            page = orient.normalise_contrast(orient.apply(pixels, chosen))
            red = stamps.red_mask(page)
            dark = prep.dark_ink(page)
        size = (page.shape[1], page.shape[0])
        height = page.shape[0]
        top, bottom = round(height * TOP_BAND), round(height * (1 - BOTTOM_BAND))
        segments = self._window(page, 0, top)
        segments += self._window(page, bottom, height)
        regions = stamps.regions(page, red)
        segments = _merge(segments, self._red(regions))
        framed = [region.box for region in regions if region.framed]
        if enough is not None and enough(self._result(segments, (red, dark), framed, size, chosen)):
            return self._result(segments, (red, dark), framed, size, chosen)
        deadline.check("rest of the page")
        overlap = round(height * 0.03)
        segments = _merge(segments, self._window(page, max(top - overlap, 0), min(bottom + overlap, height)))
        return self._result(segments, (red, dark), framed, size, chosen)

    def _result(
        self,
        segments: list[Segment],
        ink: tuple[NDArray[np.bool_], NDArray[np.bool_]],
        framed: list[tuple[int, int, int, int]],
        size: tuple[int, int],
        chosen: orient.Pose,
    ) -> PageRead:
        """The page's segments with their ink hints: ``red``, and ``stamp`` inside a stamp's frame."""
        marked = tuple(_hint_stamp(_hint_red(s, *ink), framed) for s in segments)
        return PageRead(marked, size, 0, self.name, turned=chosen.turn)

    def _pose(self, pixels: NDArray[np.uint8]) -> orient.Pose:
        """Turn, skew and enlargement from one quick detection and a classifier vote."""
        self._det.limit_side_len = QUICK_SIDE
        with timed("det"):
            found = self._det(pixels)
        if found.boxes is None or len(found.boxes) == 0:
            return orient.Pose(0, 0.0, 1.0)
        # The detector maps its boxes back to the picture's own pixels, the frame the pose works in.
        boxes = np.asarray(found.boxes, dtype=np.float32)
        areas = np.array([cv2_area(b) for b in boxes])
        largest = boxes[np.argsort(areas)[::-1][:POSE_CROPS]]
        with timed("cls"):
            crops = [_crop(pixels, b) for b in largest]
            labels = list(self._cls(crops).cls_res or [])
        return orient.pose(boxes, labels, 1.0)

    def _window(self, page: NDArray[np.uint8], y0: int, y1: int) -> list[Segment]:
        """Read the rows y0..y1 of the upright page at full resolution (up to the detector bound)."""
        if y1 - y0 < 8:
            return []
        part = np.ascontiguousarray(page[y0:y1])
        segments = self._read(part, max(part.shape[:2]))
        return [_moved(s, 0, y0, 1.0) for s in segments]

    def _red(self, regions: list[stamps.Region]) -> list[Segment]:
        """Stamp regions read as black on white, straight and (round seals) unwarped.

        Red ink without a frame (a red title, red type) is read by the page passes; only
        stamps get their own reads, which is what keeps a red-headed 公文 from costing double.
        """
        found: list[Segment] = []
        for region in regions:
            if not region.framed:
                continue
            x0, y0, x1, y1 = region.box
            hints = frozenset({"red", "stamp"} if region.framed else {"red"})
            for picture, scale, _ in region.pictures:
                for s in self._read(picture, max(picture.shape[:2])):
                    # an unwarped seal strip has no page position but the seal's own box
                    box = _moved(s, x0, y0, scale).box if scale else (x0, y0, x1, y1)
                    found.append(Segment(s.text, s.confidence, box, hints))
        return found

    def _read(self, pixels: NDArray[np.uint8], side: int) -> list[Segment]:
        """Detect, turn upside-down crops and recognise: the three models on one picture."""
        self._det.limit_side_len = max(32, min(side, DET_SIDE))
        with timed("det"):
            found = self._det(pixels)
        if found.boxes is None or len(found.boxes) == 0:
            return []
        with timed("crop"):
            crops = [_crop(pixels, b) for b in found.boxes]
        with timed("cls"):
            crops = list(self._cls(crops).img_list or crops)
        from rapidocr.ch_ppocr_rec import TextRecInput

        with timed("rec"):
            read = self._rec(TextRecInput(img=crops))
        return [
            Segment(text, float(score), _bounds(points))
            for text, score, points in zip(read.txts or (), read.scores or (), found.boxes, strict=False)
            if text.strip() and float(score) >= 0.5
        ]


def cv2_area(points: Any) -> float:
    xs, ys = points[:, 0], points[:, 1]
    return float((xs.max() - xs.min()) * (ys.max() - ys.min()))


def _crop(pixels: NDArray[np.uint8], points: Any) -> Any:
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(pixels, np.array(points, dtype=np.float32))


def _moved(segment: Segment, dx: float, dy: float, scale: float) -> Segment:
    x0, y0, x1, y1 = segment.box
    box = (x0 / scale + dx, y0 / scale + dy, x1 / scale + dx, y1 / scale + dy)
    return Segment(segment.text, segment.confidence, box, segment.hints)


def _merge(kept: list[Segment], extra: list[Segment]) -> list[Segment]:
    """``kept`` plus the segments of ``extra`` that no kept segment already says in the same place.

    A second reading in the same place that says *more* is kept beside the first: a stamp
    read whole from its red ink ("SECRET") over a partial read of the page ("SECRE").
    """
    return kept + [s for s in extra if not any(_same_reading(s, t) for t in kept)]


def _same_reading(new: Segment, old: Segment) -> bool:
    return _overlaps(new.box, old.box) and _squeezed(new.text) in _squeezed(old.text)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _load(threads: int | None = None) -> Any:
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
        "Rec.rec_batch_num": 1,
        **{f"{task.capitalize()}.model_path": str(found[-1]) for task, found in paths.items()},
    }
    if threads is not None:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
    return rapidocr.RapidOCR(params=params)


def _bounds(points: Any) -> Box:
    xs, ys = points[:, 0], points[:, 1]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _overlaps(a: Box, b: Box) -> bool:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height > 0.5 * smaller


def _hint_stamp(segment: Segment, framed: list[tuple[int, int, int, int]]) -> Segment:
    """A red reading whose centre lies inside a stamp's frame is part of that stamp."""
    if "red" not in segment.hints or "stamp" in segment.hints:
        return segment
    x = (segment.box[0] + segment.box[2]) / 2
    y = (segment.box[1] + segment.box[3]) / 2
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in framed):
        return Segment(segment.text, segment.confidence, segment.box, segment.hints | {"stamp"})
    return segment


def _hint_red(segment: Segment, red: NDArray[np.bool_], dark: NDArray[np.bool_]) -> Segment:
    if "red" in segment.hints or prep.red_share(red, dark, segment.box) <= 0.5:
        return segment
    return Segment(segment.text, segment.confidence, segment.box, segment.hints | {"red"})
