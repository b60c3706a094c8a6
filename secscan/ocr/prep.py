"""Picture preparation for OCR: size bounds and the red-ink map.

Phone photos are 12-50 megapixels; the detector sees at most ``MAX_SIDE`` pixels
on the long side anyway, so the picture is shrunk once here (Pillow's
``reduce``/``thumbnail`` is cheap) instead of being copied at full size into
numpy and then resized again by the engine. The red map serves two things:
the ``red`` hint (red 发文机关标志 and stamps are 公文 furniture) and the
second pass that re-reads red ink the first pass left unread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL import Image

    from secscan.ocr.engine import Box

# Measured on the benchmark pages: 2000 keeps 15 px corner markings legible on an
# A4 photo while a 4032 px phone photo costs no more than a 2000 px scan.
MAX_SIDE = 2000


def fit(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    """``image`` in RGB, shrunk so its long side is at most ``max_side``."""
    from PIL import Image as PILImage

    rgb = image.convert("RGB")
    if max(rgb.size) > max_side:
        rgb = rgb.copy()
        rgb.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS, reducing_gap=2.0)
    return rgb


def red_ink(pixels: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Where the picture shows red ink (seal red, 公文 header red), as a boolean map."""
    r = pixels[..., 0].astype(np.int16)
    others = np.maximum(pixels[..., 1], pixels[..., 2]).astype(np.int16)
    return (r > 110) & (r - others > 60)


def dark_ink(pixels: NDArray[np.uint8]) -> NDArray[np.bool_]:
    return pixels.min(axis=2) < 150  # type: ignore[no-any-return]


def red_share(red: NDArray[np.bool_], dark: NDArray[np.bool_], box: Box) -> float:
    """Share of the ink inside ``box`` that is red (0 when the box holds no ink)."""
    x0, y0, x1, y1 = (round(v) for v in box)
    window = (slice(max(y0, 0), y1), slice(max(x0, 0), x1))
    red_count = int(red[window].sum())
    ink = int((red[window] | dark[window]).sum())
    return red_count / ink if ink else 0.0


def red_only(pixels: NDArray[np.uint8], red: NDArray[np.bool_]) -> NDArray[np.uint8]:
    """Red ink drawn black on white: red text as legible as black, black text gone."""
    out = np.full_like(pixels, 255)
    out[red] = 0
    return out


def text_like_region(mask: NDArray[np.bool_]) -> tuple[int, int, int, int] | None:
    """The box around the blobs of ``mask`` that could be characters, or None.

    Rule lines (long and thin) and seal rings (large, mostly hollow) are the red
    ink every 公文 page carries; only stroke-sized blobs justify another pass.
    """
    import cv2

    _, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    keep = []
    for x, y, w, h, area in stats[1:]:
        long_side, short_side = max(w, h), max(min(w, h), 1)
        hollow = long_side > 60 and area < 0.15 * w * h
        if area >= 12 and long_side / short_side < 12 and not hollow:
            keep.append((x, y, x + w, y + h, area))
    if sum(k[4] for k in keep) < 300:
        return None
    pad = 20
    return (
        max(min(k[0] for k in keep) - pad, 0),
        max(min(k[1] for k in keep) - pad, 0),
        max(k[2] for k in keep) + pad,
        max(k[3] for k in keep) + pad,
    )
