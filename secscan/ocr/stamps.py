"""Red-ink regions (stamps, seals, red marks) cut out and shaped so a line recogniser can read them.

A red rubber stamp is often the only marking on a page, and it is the hardest text
to read there: it is multiply-blended over black body text, rotated, and a round
seal bends its text around a circle. So red ink is isolated by colour (HSV: red
hue, enough saturation and value), grouped into regions with a dilation and
connected components, and each region is handed to the detector as red ink drawn
black on white (the body text under it vanishes) and scaled to a size the
detector reads well. A roughly square region with a ring of ink is a round seal:
its curved text is also unwarped into a straight strip with ``cv2.warpPolar``.
OpenCV does the colour conversion, morphology and polar warp in C, a few ms a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Regions smaller than this (px, long side) hold no legible word; more than this many are
# not stamps but a red-printed page, which the page passes read anyway.
MIN_SIDE = 24
MAX_REGIONS = 4
# The detector reads stamp characters best at 40-80 px: a stamp region is scaled to this long side.
TARGET_SIDE = 640


@dataclass(frozen=True)
class Region:
    """A red-ink region: its box in the page, and the pictures to read (straight, unwarped)."""

    box: tuple[int, int, int, int]
    pictures: tuple[tuple[NDArray[np.uint8], float, tuple[int, int]], ...]  # (picture, scale, offset)
    round: bool
    framed: bool  # a ring or a frame around the ink: a stamp, not red type


def red_mask(pixels: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Red ink by HSV: hue within 12° of red, saturated, not dark; stamp pink and 公文 red alike."""
    import cv2

    hsv = cv2.cvtColor(pixels, cv2.COLOR_RGB2HSV)  # OpenCV hue runs 0..180
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return ((hue <= 8) | (hue >= 170)) & (sat >= 45) & (val >= 90)


def regions(pixels: NDArray[np.uint8], mask: NDArray[np.bool_] | None = None) -> list[Region]:
    """The red-ink regions of ``pixels`` worth reading, largest first."""
    import cv2

    red = red_mask(pixels) if mask is None else mask
    if int(red.sum()) < 150:
        return []
    height, width = red.shape
    grow = max(3, round(max(height, width) / 150))
    merged = cv2.dilate(red.astype(np.uint8), np.ones((grow, grow), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(merged, connectivity=8)
    boxes = []
    for x, y, w, h, area in stats[1:count]:
        rule = max(w, h) > 12 * min(w, h)  # a red rule under the 公文 title: no text
        if max(w, h) >= MIN_SIDE and min(w, h) >= 8 and area >= 120 and not rule:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
    boxes = _union_overlapping(boxes)  # a textured stamp's frame breaks into pieces that overlap
    boxes.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    kept: list[tuple[int, int, int, int]] = []
    for box in boxes:  # the words inside a seal's ring are read with the seal, not again alone
        if not any(_inside(box, outer) for outer in kept):
            kept.append(box)
    return [_region(pixels, red, box) for box in kept[:MAX_REGIONS]]


def _union_overlapping(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i, a in enumerate(merged):
            for j in range(i + 1, len(merged)):
                b = merged[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    merged[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


def _inside(box: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    width = min(box[2], outer[2]) - max(box[0], outer[0])
    height = min(box[3], outer[3]) - max(box[1], outer[1])
    return width > 0 and height > 0 and width * height >= 0.8 * (box[2] - box[0]) * (box[3] - box[1])


def _region(pixels: NDArray[np.uint8], red: NDArray[np.bool_], box: tuple[int, int, int, int]) -> Region:
    import cv2

    x0, y0, x1, y1 = box
    pad = max(6, (x1 - x0) // 12)
    x0, y0 = max(x0 - pad, 0), max(y0 - pad, 0)
    x1, y1 = min(x1 + pad, red.shape[1]), min(y1 + pad, red.shape[0])
    is_round = _is_round(red[box[1] : box[3], box[0] : box[2]])
    ink = red[y0:y1, x0:x1]
    flat = np.full((*ink.shape, 3), 255, np.uint8)
    flat[ink] = 0
    scale = min(TARGET_SIDE / max(ink.shape), 4.0)
    size = (max(round(ink.shape[1] * scale), 1), max(round(ink.shape[0] * scale), 1))
    method = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    straight: NDArray[np.uint8] = np.asarray(cv2.resize(flat, size, interpolation=method), np.uint8)
    pictures = [(straight, scale, (x0, y0))]
    if is_round:
        pictures.append((unwarp(straight), 0.0, (x0, y0)))  # scale 0: its boxes do not map back
    framed = is_round or _is_framed(red[box[1] : box[3], box[0] : box[2]])
    return Region((x0, y0, x1, y1), tuple(pictures), is_round, framed)


def _is_framed(ink: NDArray[np.bool_]) -> bool:
    """Whether a frame or ring encloses the region's words: a stamp, not red type.

    Red type (a red 发文机关 title, a poster) is letters side by side, with only their
    own small counters enclosed; a rubber stamp's border, rotated or not, encloses a
    large hole once the gaps of worn ink are closed.
    """
    import cv2

    height, width = ink.shape
    # Close the gaps of worn ink first, then look for one enclosed hole that takes a good
    # share of the region: a letter's counter (口, O) is small beside the whole region.
    size = max(5, min(height, width) // 12)
    closed = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return False
    holes = [c for c, h in zip(contours, hierarchy[0], strict=True) if h[3] >= 0]
    return any(cv2.contourArea(c) >= 0.15 * height * width for c in holes)


def _is_round(ink: NDArray[np.bool_]) -> bool:
    """A seal: about square, ink on a ring at its edge, more there than inside or in the corners.

    ``ink`` is the region's own box, so a ring touches its sides (r = 1).
    """
    height, width = ink.shape
    if not 0.8 < width / max(height, 1) < 1.25 or min(height, width) < 60:
        return False
    yy, xx = np.mgrid[0:height, 0:width]
    r = np.hypot((xx - width / 2) / (width / 2), (yy - height / 2) / (height / 2))
    ring = float(ink[(r > 0.85) & (r <= 1.0)].mean())
    inside = float(ink[r < 0.6].mean())
    corners = float(ink[r > 1.15].mean())
    return ring > 0.15 and ring > 1.5 * inside and corners < 0.5 * ring


def unwarp(picture: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """A round seal's circular text as one straight strip, read left to right from the bottom.

    ``warpPolar`` maps angle to rows (clockwise from 3 o'clock) and radius to columns;
    turned a quarter, the outer edge is on top and the text runs left to right. Seal
    text runs from about 8 o'clock over the top to 4 o'clock, so the strip starts at
    6 o'clock, where seals carry no text, and is not cut inside a word.
    """
    import cv2

    height, width = picture.shape[:2]
    radius = min(height, width) / 2
    steps = max(round(2 * np.pi * radius), 360)
    polar = cv2.warpPolar(
        picture, (round(radius), steps), (width / 2, height / 2), radius, cv2.WARP_POLAR_LINEAR
    )
    start = steps // 4  # 6 o'clock
    polar = np.concatenate([polar[start:], polar[:start]])
    strip = cv2.rotate(polar, cv2.ROTATE_90_COUNTERCLOCKWISE)
    band = strip[: round(strip.shape[0] * 0.5)]  # the outer half: where curved text sits
    return np.ascontiguousarray(band)
