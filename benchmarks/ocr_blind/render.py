"""Display list for one A4 page, a raster backend (Pillow) and a text-layer PDF backend (reportlab).

Coordinates are millimetres from the top-left corner of an A4 sheet (210 x 297 mm); font sizes are points.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

A4_W_MM = 210.0
A4_H_MM = 297.0
MM_PER_PT = 25.4 / 72.0
RGB = tuple[int, int, int]
BLACK: RGB = (22, 22, 22)
RED: RGB = (222, 22, 30)
GRAY: RGB = (110, 110, 110)

_NOTO = "/usr/share/fonts/opentype/noto/"
_LIB = "/usr/share/fonts/truetype/liberation/"
FONTS: dict[str, tuple[str, int]] = {
    "song": (_NOTO + "NotoSerifCJK-Regular.ttc", 2),  # stands in for 仿宋 / 宋体
    "song_b": (_NOTO + "NotoSerifCJK-Bold.ttc", 2),  # stands in for 小标宋
    "hei": (_NOTO + "NotoSansCJK-Bold.ttc", 2),  # 黑体
    "sans": (_NOTO + "NotoSansCJK-Regular.ttc", 2),
    "times": (_LIB + "LiberationSerif-Regular.ttf", 0),
    "times_b": (_LIB + "LiberationSerif-Bold.ttf", 0),
    "arial": (_LIB + "LiberationSans-Regular.ttf", 0),
    "arial_b": (_LIB + "LiberationSans-Bold.ttf", 0),
    "mono": (_LIB + "LiberationMono-Regular.ttf", 0),
}
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # TrueType outlines: embeddable by reportlab
PDF_LATIN = {
    "times": "Times-Roman",
    "times_b": "Times-Bold",
    "arial": "Helvetica",
    "arial_b": "Helvetica-Bold",
    "mono": "Courier",
}


@lru_cache(maxsize=512)
def pil_font(key: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[key]
    return ImageFont.truetype(path, max(px, 4), index=index)


def text_width_mm(text: str, font: str, size_pt: float) -> float:
    return pil_font(font, 200).getlength(text) / 200.0 * size_pt * MM_PER_PT


@dataclass
class Text:
    x: float
    y: float  # top of the em box
    text: str
    font: str
    size: float
    color: RGB = BLACK
    anchor: str = "l"  # l, m (centre) or r
    sx: float = 1.0  # horizontal scale (squeezed 发文机关标志)
    strike: bool = False


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.3
    color: RGB = BLACK


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    width: float = 0.3
    color: RGB = BLACK
    fill: RGB | None = None


@dataclass
class Picture:
    """A raster picture (a stamp), centred at (cx, cy); made by `maker(px_per_mm)` as RGBA."""

    cx: float
    cy: float
    maker: object  # Callable[[float], Image.Image]; kept loose so the dataclass stays picklable
    multiply: bool = True


@dataclass
class Watermark:
    text: str
    font: str
    size: float
    color: RGB = (150, 150, 150)
    alpha: float = 0.12
    angle: float = 30.0
    tiled: bool = True
    step: tuple[float, float] = (70.0, 45.0)


Op = Text | Line | Box | Picture | Watermark


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)
    paper: RGB = (255, 255, 255)

    def add(self, op: Op) -> None:
        self.ops.append(op)


# ---------------------------------------------------------------- raster backend


def page_px(dpi: int) -> tuple[int, int]:
    return round(A4_W_MM / 25.4 * dpi), round(A4_H_MM / 25.4 * dpi)


def rasterize(page: Page, dpi: int) -> Image.Image:
    s = dpi / 25.4
    img = Image.new("RGB", page_px(dpi), page.paper)
    for op in page.ops:
        if isinstance(op, Watermark):
            _draw_watermark(img, op, s)
        elif isinstance(op, Text):
            _draw_text(img, op, s)
        elif isinstance(op, Line):
            ImageDraw.Draw(img).line(
                [(op.x1 * s, op.y1 * s), (op.x2 * s, op.y2 * s)],
                fill=op.color,
                width=max(1, round(op.width * s)),
            )
        elif isinstance(op, Box):
            ImageDraw.Draw(img).rectangle(
                [op.x * s, op.y * s, (op.x + op.w) * s, (op.y + op.h) * s],
                outline=op.color,
                fill=op.fill,
                width=max(1, round(op.width * s)),
            )
        elif isinstance(op, Picture):
            pic = op.maker(s)  # type: ignore[operator]
            paste_multiply(
                img, pic, round(op.cx * s - pic.width / 2), round(op.cy * s - pic.height / 2), op.multiply
            )
    return img


def _draw_text(img: Image.Image, op: Text, s: float) -> None:
    px = round(op.size * MM_PER_PT * s)
    font = pil_font(op.font, px)
    x, y = op.x * s, op.y * s
    if op.sx == 1.0:
        anchor = {"l": "la", "m": "ma", "r": "ra"}[op.anchor]
        ImageDraw.Draw(img).text((x, y), op.text, font=font, fill=op.color, anchor=anchor)
        w = font.getlength(op.text)
    else:
        w0 = int(font.getlength(op.text)) + 4
        asc, desc = font.getmetrics()
        mask = Image.new("L", (w0, asc + desc + 4), 0)
        ImageDraw.Draw(mask).text((2, 0), op.text, font=font, fill=255, anchor="la")
        w = max(1, round(w0 * op.sx))
        mask = mask.resize((w, mask.height), Image.Resampling.LANCZOS)
        left = x if op.anchor == "l" else x - w / 2 if op.anchor == "m" else x - w
        img.paste(Image.new("RGB", mask.size, op.color), (round(left), round(y)), mask)
    if op.strike:
        left = x if op.anchor == "l" else x - w / 2 if op.anchor == "m" else x - w
        yy = y + px * 0.62
        ImageDraw.Draw(img).line([(left - 2, yy), (left + w + 2, yy)], fill=op.color, width=max(1, px // 12))


def _draw_watermark(img: Image.Image, op: Watermark, s: float) -> None:
    px = round(op.size * MM_PER_PT * s)
    font = pil_font(op.font, px)
    w = int(font.getlength(op.text)) + 8
    tile = Image.new("L", (w, px + px // 2), 0)
    ImageDraw.Draw(tile).text((4, 0), op.text, font=font, fill=255, anchor="la")
    tile = tile.rotate(op.angle, expand=True, resample=Image.Resampling.BICUBIC)
    layer = Image.new("L", img.size, 0)
    if op.tiled:
        sx, sy = op.step[0] * s, op.step[1] * s
        row = 0
        y = -tile.height / 2
        while y < img.height:
            x = -tile.width / 2 + (sx / 2 if row % 2 else 0)
            while x < img.width:
                layer.paste(tile, (round(x), round(y)), tile)
                x += sx
            y += sy
            row += 1
    else:
        layer.paste(tile, ((img.width - tile.width) // 2, (img.height - tile.height) // 2), tile)
    a = np.asarray(layer, dtype=np.float32)[..., None] / 255.0 * op.alpha
    base = np.asarray(img, dtype=np.float32)
    out = base * (1 - a) + np.array(op.color, dtype=np.float32) * a
    img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)))


def paste_multiply(img: Image.Image, pic: Image.Image, x: int, y: int, multiply: bool = True) -> None:
    """Composite an RGBA picture; multiply mode mimics ink on paper (black text stays black under red ink)."""
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + pic.width, img.width), min(y + pic.height, img.height)
    if x1 <= x0 or y1 <= y0:
        return
    crop = np.asarray(pic, dtype=np.float32)[y0 - y : y1 - y, x0 - x : x1 - x]
    base = np.asarray(img.crop((x0, y0, x1, y1)), dtype=np.float32)
    a = crop[..., 3:4] / 255.0
    col = crop[..., :3]
    out = base * (1 - a + a * col / 255.0) if multiply else base * (1 - a) + col * a
    img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))


# ---------------------------------------------------------------- stamps


@dataclass(frozen=True)
class RoundSeal:
    arc_text: str
    centre_text: str = ""  # horizontal text under the star (e.g. 机密)
    diameter: float = 40.0
    angle: float = 0.0
    seed: int = 0
    color: RGB = (214, 30, 45)
    strength: float = 0.9

    def __call__(self, s: float) -> Image.Image:
        size = round(self.diameter * s) + 8
        mask = Image.new("L", (size, size), 0)
        d = ImageDraw.Draw(mask)
        c = size / 2
        r = self.diameter * s / 2
        d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=max(2, round(1.2 * s)))
        ch_h = self.diameter * 0.16 * s
        font = pil_font("song_b", round(ch_h))
        n = len(self.arc_text)
        span = min(250.0, 22.0 * n)
        rt = r - 1.6 * s - ch_h * 0.55
        for i, ch in enumerate(self.arc_text):
            theta = -span / 2 + span * (i + 0.5) / n
            g = Image.new("L", (round(ch_h * 1.3), round(ch_h * 1.3)), 0)
            ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=font, fill=255, anchor="mm")
            g = g.resize((round(g.width * 0.78), g.height), Image.Resampling.LANCZOS)
            g = g.rotate(-theta, expand=True, resample=Image.Resampling.BICUBIC)
            t = math.radians(theta)
            px, py = c + rt * math.sin(t), c - rt * math.cos(t)
            mask.paste(255, (round(px - g.width / 2), round(py - g.height / 2)), g)
        star_r = self.diameter * 0.17 * s
        d.polygon(star_points(c, c - star_r * 0.05, star_r), fill=255)
        if self.centre_text:
            f2 = pil_font("hei", round(self.diameter * 0.19 * s))
            d.text((c, c + star_r * 0.95), self.centre_text, font=f2, fill=255, anchor="ma")
        return ink(mask, self.color, self.seed, self.strength, self.angle)


@dataclass(frozen=True)
class RectStamp:
    lines: tuple[str, ...]
    width: float = 40.0
    height: float = 16.0
    font: str = "hei"
    double: bool = True
    angle: float = 0.0
    seed: int = 0
    color: RGB = (212, 28, 40)
    strength: float = 0.9

    def __call__(self, s: float) -> Image.Image:
        w, h = round(self.width * s), round(self.height * s)
        mask = Image.new("L", (w + 8, h + 8), 0)
        d = ImageDraw.Draw(mask)
        bw = max(2, round(1.1 * s))
        d.rectangle([4, 4, w + 4, h + 4], outline=255, width=bw)
        if self.double:
            g = round(1.0 * s) + bw
            d.rectangle([4 + g, 4 + g, w + 4 - g, h + 4 - g], outline=255, width=max(1, round(0.45 * s)))
        n = len(self.lines)
        avail_h = (h - 4.5 * s) / n
        for i, line in enumerate(self.lines):
            px = round(avail_h * 0.82)
            f = pil_font(self.font, px)
            while f.getlength(line) > w - 6.5 * s and px > 6:
                px -= 2
                f = pil_font(self.font, px)
            cy = 4 + 2.25 * s + avail_h * (i + 0.5)
            d.text(((w + 8) / 2, cy), line, font=f, fill=255, anchor="mm")
        return ink(mask, self.color, self.seed, self.strength, self.angle)


def star_points(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.382
        a = math.radians(-90 + 36 * k)
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return pts


def ink(mask: Image.Image, color: RGB, seed: int, strength: float, angle: float) -> Image.Image:
    """Turn a binary stamp mask into uneven rubber-stamp ink (RGBA), rotated by `angle` degrees."""
    rng = np.random.default_rng(seed)
    m = np.asarray(mask, dtype=np.float32) / 255.0
    h, w = m.shape
    low = rng.random((max(2, h // 28), max(2, w // 28))).astype(np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)
    ramp = np.linspace(rng.uniform(0.65, 0.9), 1.0, w, dtype=np.float32)[None, :]
    if rng.random() < 0.5:
        ramp = ramp[:, ::-1]
    holes = (rng.random((h, w)) < 0.05).astype(np.float32)
    holes = cv2.GaussianBlur(holes, (0, 0), 1.2) * 3.0
    density = np.clip(0.45 + 0.75 * low, 0.0, 1.0) * ramp * np.clip(1.0 - holes, 0.25, 1.0)
    m = cv2.GaussianBlur(m, (0, 0), 0.7) * density * strength
    col = np.array(color, dtype=np.float32) + rng.normal(0, 6, 3).astype(np.float32)
    rgba = np.zeros((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = col.clip(0, 255).astype(np.uint8)
    rgba[..., 3] = (m.clip(0, 1) * 255).astype(np.uint8)
    out = Image.fromarray(rgba, "RGBA")
    if angle:
        out = out.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    return out


# ---------------------------------------------------------------- text-layer PDF backend


def to_text_pdf(page: Page) -> bytes:
    """Write the page as a real text PDF; pictures (stamps) are embedded as raster images."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "ZenHei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ZenHei", ZENHEI, subfontIndex=0))
    pt = 72.0 / 25.4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(A4_W_MM * pt, A4_H_MM * pt), invariant=1)
    for op in page.ops:
        if isinstance(op, Text):
            name = PDF_LATIN.get(op.font, "ZenHei") if op.text.isascii() else "ZenHei"
            c.setFillColorRGB(*(v / 255 for v in op.color))
            base = (A4_H_MM - op.y - op.size * MM_PER_PT * 0.86) * pt
            w = pdfmetrics.stringWidth(op.text, name, op.size) * op.sx
            left = op.x * pt if op.anchor == "l" else op.x * pt - w / 2 if op.anchor == "m" else op.x * pt - w
            t = c.beginText(left, base)
            t.setFont(name, op.size)
            t.setHorizScale(op.sx * 100)
            t.textOut(op.text)
            c.drawText(t)
            if op.strike:
                c.setStrokeColorRGB(*(v / 255 for v in op.color))
                c.line(left, base + op.size * 0.3, left + w, base + op.size * 0.3)
        elif isinstance(op, Line):
            c.setStrokeColorRGB(*(v / 255 for v in op.color))
            c.setLineWidth(op.width * pt)
            c.line(op.x1 * pt, (A4_H_MM - op.y1) * pt, op.x2 * pt, (A4_H_MM - op.y2) * pt)
        elif isinstance(op, Box):
            c.setStrokeColorRGB(*(v / 255 for v in op.color))
            c.setLineWidth(op.width * pt)
            if op.fill:
                c.setFillColorRGB(*(v / 255 for v in op.fill))
            c.rect(
                op.x * pt,
                (A4_H_MM - op.y - op.h) * pt,
                op.w * pt,
                op.h * pt,
                stroke=1,
                fill=int(bool(op.fill)),
            )
        elif isinstance(op, Picture):
            pic = op.maker(300 / 25.4)  # type: ignore[operator]
            wmm, hmm = pic.width / (300 / 25.4), pic.height / (300 / 25.4)
            c.drawImage(
                ImageReader(pic),
                (op.cx - wmm / 2) * pt,
                (A4_H_MM - op.cy - hmm / 2) * pt,
                wmm * pt,
                hmm * pt,
                mask="auto",
            )
        elif isinstance(op, Watermark):
            raise ValueError("watermarks are not used on text-layer PDF pages")
    c.showPage()
    c.save()
    return buf.getvalue()


def image_pdf(jpeg: bytes) -> bytes:
    """An image-only (scanned) A4 PDF page holding one JPEG."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pt = 72.0 / 25.4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(A4_W_MM * pt, A4_H_MM * pt), invariant=1)
    c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, A4_W_MM * pt, A4_H_MM * pt)
    c.showPage()
    c.save()
    return buf.getvalue()
