"""Stand a photo upright, straighten it and bring small text to a size the detector reads well.

Phones store pictures sideways and upside down, scans come in a few degrees off,
and a 1080 px photo of an A4 page has 5-7 px Latin x-heights. Our own cheap method,
no extra model: the detector runs once on a downscaled copy (about 60 ms); the
shape of its boxes says whether lines run across or down the picture, the
bundled line classifier (0/180) on the largest boxes says which way up, the
angle of the long box edges gives the skew, and the median box height says
whether the page must be enlarged before the full-resolution reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Below this median line height (px in the picture) the detector loses strokes; measured on the
# tune pages: lowres photos have 9-12 px lines and gain from 2x, 300 dpi scans 30+ px do not.
COMFORT_HEIGHT = 16.0
MAX_UPSCALE = 2.0
MAX_SIDE_AFTER_UPSCALE = 2400
SKEW_MIN, SKEW_MAX = 0.7, 15.0  # degrees: below, nothing to gain; above, not a skewed page


@dataclass(frozen=True)
class Pose:
    turn: int  # counter-clockwise quarter turns in degrees that make the page upright
    skew: float  # degrees to rotate (counter-clockwise) after the turn
    scale: float  # enlargement for small text (1.0: none)


def pose(boxes: Any, labels: list[tuple[str, float]], small_to_full: float) -> Pose:
    """How to stand the page upright, from the quick detection's boxes and classifier labels."""
    if boxes is None or len(boxes) == 0:
        return Pose(0, 0.0, 1.0)
    widths = np.linalg.norm(boxes[:, 0] - boxes[:, 1], axis=1)
    heights = np.linalg.norm(boxes[:, 0] - boxes[:, 3], axis=1)
    tall = heights >= 1.5 * widths
    sideways = float(np.mean(tall)) > 0.5
    flipped = sum(1 for label, score in labels if "180" in label and score > 0.8)
    upside_down = flipped * 2 > len(labels) > 0
    # a crop taller than wide is read turned a quarter counter-clockwise: a page lying
    # clockwise then reads upright, one lying counter-clockwise reads flipped.
    quarter = 270 if upside_down else 90
    turn = quarter if sideways else (180 if upside_down else 0)
    line_heights = np.where(tall, widths, heights) * small_to_full
    wide = ~tall if not sideways else tall
    typical = float(np.median(line_heights[wide])) if wide.any() else float(np.median(line_heights))
    scale = min(MAX_UPSCALE, COMFORT_HEIGHT / typical) if 0 < typical < COMFORT_HEIGHT else 1.0
    return Pose(turn, _skew(boxes, sideways), scale if scale > 1.2 else 1.0)


def _skew(boxes: Any, sideways: bool) -> float:
    """Median angle of the long top edges of long boxes; 0 for a sideways page (left as is).

    A line sloping down to the right has a positive angle (y grows downwards) and is
    straightened by a counter-clockwise rotation of that angle; a half turn keeps
    slopes, so the angle holds for upside-down pages too.
    """
    if sideways:
        return 0.0
    edge = boxes[:, 1] - boxes[:, 0]
    length = np.hypot(edge[:, 0], edge[:, 1])
    long = length >= np.median(length)  # the longer half: short boxes (numbers, marks) give noisy angles
    if long.sum() < 3:
        return 0.0
    angles = np.degrees(np.arctan2(edge[long, 1], edge[long, 0]))
    angle = float(np.median(angles))
    return angle if SKEW_MIN <= abs(angle) <= SKEW_MAX else 0.0


def apply(pixels: NDArray[np.uint8], chosen: Pose) -> NDArray[np.uint8]:
    """``pixels`` turned, straightened and enlarged as ``chosen`` says (white where the turn exposes)."""
    import cv2

    out = np.ascontiguousarray(np.rot90(pixels, k=chosen.turn // 90)) if chosen.turn else pixels
    if chosen.skew:
        height, width = out.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), chosen.skew, 1.0)
        out = np.asarray(cv2.warpAffine(out, matrix, (width, height), borderValue=(255, 255, 255)), np.uint8)
    if chosen.scale > 1.0:
        scale = min(chosen.scale, MAX_SIDE_AFTER_UPSCALE / max(out.shape[:2]))
        if scale > 1.05:
            size = (round(out.shape[1] * scale), round(out.shape[0] * scale))
            out = np.asarray(cv2.resize(out, size, interpolation=cv2.INTER_CUBIC), np.uint8)
    return out


def normalise_contrast(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Stretch a dim or washed-out photo (1st to 99th percentile of grey) to the full range."""
    grey = pixels.mean(axis=2)
    low, high = np.percentile(grey[::4, ::4], (1, 99))
    if high - low >= 170 or high - low < 20:
        return pixels
    stretched = (pixels.astype(np.float32) - low) * (255.0 / (high - low))
    return np.asarray(np.clip(stretched, 0, 255), np.uint8)
