"""Degradations of a rendered page: phone photos, scans, rotation, skew and WeChat screenshots."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from render import pil_font

Arr = np.ndarray


def to_np(img: Image.Image) -> Arr:
    return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()


def to_pil(a: Arr) -> Image.Image:
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def jpeg_bytes(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, optimize=False, subsampling=2)
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def smooth_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> Arr:
    low = rng.random((cells, max(2, cells * w // h))).astype(np.float32)
    return cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)


# ---------------------------------------------------------------- scans


def scan(
    page: Image.Image, src_dpi: int, dpi: int, rng: np.random.Generator, gray: bool = False
) -> Image.Image:
    """Flatbed scan at `dpi`: resample, paper tone, slight tilt, blur, sensor noise and dust."""
    a = to_np(page).astype(np.float32)
    h, w = a.shape[:2]
    w0 = rng.uniform(236, 250)
    tone = np.array([w0, w0 - rng.uniform(0, 3), w0 - rng.uniform(2, 10)], dtype=np.float32)
    a = a / 255.0 * tone
    ang = rng.uniform(-0.6, 0.6)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
    a = cv2.warpAffine(
        a, m, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=tuple(float(v) for v in tone)
    )
    nw, nh = round(w * dpi / src_dpi), round(h * dpi / src_dpi)
    a = cv2.resize(a, (nw, nh), interpolation=cv2.INTER_AREA)
    a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.3, 0.7))
    a += rng.normal(0, rng.uniform(2, 5), a.shape[:2])[..., None].astype(np.float32)
    a += rng.normal(0, 1.5, a.shape).astype(np.float32)
    for _ in range(rng.integers(4, 20)):
        y, x = int(rng.integers(0, nh)), int(rng.integers(0, nw))
        g = float(rng.uniform(90, 170))
        cv2.circle(a, (x, y), 1, (g, g, g), -1)
    shade = 1.0 - 0.25 * np.clip(1 - np.arange(nw, dtype=np.float32) / (nw * 0.03), 0, 1)
    a *= shade[None, :, None]
    img = to_pil(a)
    return img.convert("L").convert("RGB") if gray else img


def skew(img: Image.Image, angle: float, fill: tuple[int, int, int]) -> Image.Image:
    return img.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=fill)


# ---------------------------------------------------------------- phone photos


def background(rng: np.random.Generator, h: int, w: int) -> Arr:
    kind = rng.integers(0, 4)
    base = [
        np.array([150, 110, 75]),
        np.array([95, 95, 100]),
        np.array([200, 195, 185]),
        np.array([45, 50, 60]),
    ][int(kind)].astype(np.float32)
    n = smooth_noise(rng, h, w, 6)[..., None]
    bg = base * (0.8 + 0.4 * n)
    if kind == 0:  # wood grain
        ys = np.arange(h, dtype=np.float32)[:, None]
        grain = np.sin(ys / rng.uniform(9, 20) + 3 * smooth_noise(rng, h, w, 4)) * 10
        bg += grain[..., None]
    bg += rng.normal(0, 4, (h, w, 1)).astype(np.float32)
    return bg


def photo(
    page: Image.Image,
    rng: np.random.Generator,
    out_w: int,
    out_h: int,
    fill: tuple[float, float] = (0.74, 0.9),
) -> Image.Image:
    """A phone photo of the page: perspective, background, uneven light, a shadow, blur and noise."""
    p = to_np(page).astype(np.float32)
    ph, pw = p.shape[:2]
    scale = rng.uniform(*fill) * out_h / ph
    tw, th = pw * scale, ph * scale
    cx, cy = out_w / 2 + rng.uniform(-0.04, 0.04) * out_w, out_h / 2 + rng.uniform(-0.03, 0.03) * out_h
    j = 0.05
    dst = np.array(
        [
            [cx - tw / 2, cy - th / 2],
            [cx + tw / 2, cy - th / 2],
            [cx + tw / 2, cy + th / 2],
            [cx - tw / 2, cy + th / 2],
        ],
        dtype=np.float32,
    )
    dst += rng.uniform(-j, j, (4, 2)).astype(np.float32) * np.array([tw, th], dtype=np.float32)
    top_squeeze = rng.uniform(0.0, 0.06) * tw
    dst[0, 0] += top_squeeze
    dst[1, 0] -= top_squeeze
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        p, m, (out_w, out_h), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (out_w, out_h))[..., None]
    bg = background(rng, out_h, out_w)
    drop = cv2.GaussianBlur(
        cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (out_w, out_h)), (0, 0), out_w * 0.01
    )
    bg *= (1 - 0.35 * np.roll(drop, (int(out_h * 0.006), int(out_w * 0.006)), (0, 1)))[..., None]
    a = warped * mask + bg * (1 - mask)
    a = _lighting(a, rng)
    a = _shadow(a, rng)
    a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.6, 1.5) * out_w / 2448)
    if rng.random() < 0.3:
        k = np.zeros((7, 7), np.float32)
        k[3, :] = 1 / 7
        a = cv2.filter2D(
            a, -1, cv2.warpAffine(k, cv2.getRotationMatrix2D((3, 3), rng.uniform(0, 180), 1), (7, 7))
        )
    a += rng.normal(0, rng.uniform(2, 5), a.shape).astype(np.float32)
    return to_pil(a)


def _lighting(a: Arr, rng: np.random.Generator) -> Arr:
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    lx, ly = rng.uniform(0, w), rng.uniform(0, h)
    d = np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) / np.hypot(w, h)
    light = rng.uniform(0.95, 1.1) - rng.uniform(0.25, 0.5) * d
    light += 0.08 * (smooth_noise(rng, h, w, 3) - 0.5)
    tint = np.array([rng.uniform(1.0, 1.04), 1.0, rng.uniform(0.9, 0.99)], dtype=np.float32)
    return a * light[..., None] * tint


def _shadow(a: Arr, rng: np.random.Generator) -> Arr:
    h, w = a.shape[:2]
    m = np.zeros((h, w), np.float32)
    side = int(rng.integers(0, 4))
    depth = rng.uniform(0.15, 0.4)
    pts = {
        0: [(0, 0), (int(w * depth), 0), (int(w * depth * 0.6), h), (0, h)],
        1: [(w, 0), (w, h), (int(w * (1 - depth)), h), (int(w * (1 - depth * 0.5)), 0)],
        2: [(0, h), (w, h), (w, int(h * (1 - depth * 0.6))), (0, int(h * (1 - depth)))],
        3: [(0, 0), (int(w * depth * 1.5), 0), (0, int(h * depth))],
    }[side]
    cv2.fillPoly(m, [np.array(pts, np.int32)], 1.0)
    m = cv2.GaussianBlur(m, (0, 0), w * 0.03)
    return a * (1 - rng.uniform(0.25, 0.45) * m)[..., None]


# ---------------------------------------------------------------- WeChat screenshots

SCREEN_W, SCREEN_H = 1080, 2340
CHAT_BG = (237, 237, 237)


def _font(key: str, px: int) -> ImageFont.FreeTypeFont:
    return pil_font(key, px)


def status_bar(
    d: ImageDraw.ImageDraw, rng: np.random.Generator, color: tuple[int, int, int] = (20, 20, 20)
) -> None:
    d.text(
        (60, 42),
        f"{int(rng.integers(8, 22))}:{int(rng.integers(0, 60)):02d}",
        font=_font("arial_b", 40),
        fill=color,
        anchor="lm",
    )
    x = 880
    for i in range(4):
        d.rectangle([x + i * 14, 52 - 8 * i, x + i * 14 + 9, 58], fill=color)
    d.text((955, 42), "5G", font=_font("arial_b", 30), fill=color, anchor="lm")
    d.rounded_rectangle([1000, 28, 1050, 56], 6, outline=color, width=3)
    d.rectangle([1005, 33, 1005 + int(rng.integers(15, 40)), 51], fill=color)


def nav_bar(d: ImageDraw.ImageDraw, title: str, y: int = 90) -> None:
    d.text((40, y + 60), "‹", font=_font("arial", 90), fill=(20, 20, 20), anchor="lm")
    d.text((SCREEN_W / 2, y + 60), title, font=_font("sans", 44), fill=(20, 20, 20), anchor="mm")
    d.text((1020, y + 55), "···", font=_font("arial_b", 50), fill=(20, 20, 20), anchor="rm")


def avatar(img: Image.Image, x: int, y: int, rng: np.random.Generator, ch: str) -> None:
    col = tuple(int(v) for v in rng.integers(60, 200, 3))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([x, y, x + 120, y + 120], 12, fill=col)
    d.text((x + 60, y + 60), ch, font=_font("sans", 56), fill=(255, 255, 255), anchor="mm")


def text_bubble(img: Image.Image, y: int, text: str, rng: np.random.Generator, mine: bool, name: str) -> int:
    d = ImageDraw.Draw(img)
    f = _font("sans", 48)
    w = min(int(f.getlength(text)) + 60, 740)
    lines = [text] if f.getlength(text) + 60 <= 740 else [text[: len(text) // 2], text[len(text) // 2 :]]
    bh = 40 + 64 * len(lines)
    if mine:
        avatar(img, SCREEN_W - 150, y, rng, "我")
        x1 = SCREEN_W - 175
        d.rounded_rectangle([x1 - w, y, x1, y + bh], 14, fill=(149, 236, 105))
        for i, ln in enumerate(lines):
            d.text((x1 - w + 30, y + 20 + 64 * i), ln, font=f, fill=(20, 20, 20))
        return y + bh + 50
    avatar(img, 30, y, rng, name[0])
    d.text((175, y), name, font=_font("sans", 32), fill=(130, 130, 130))
    y += 44
    d.rounded_rectangle([175, y, 175 + w, y + bh], 14, fill=(255, 255, 255))
    for i, ln in enumerate(lines):
        d.text((205, y + 20 + 64 * i), ln, font=f, fill=(20, 20, 20))
    return y + bh + 50


def input_bar(img: Image.Image) -> None:
    d = ImageDraw.Draw(img)
    y = SCREEN_H - 200
    d.rectangle([0, y, SCREEN_W, SCREEN_H], fill=(246, 246, 246))
    d.line([(0, y), (SCREEN_W, y)], fill=(220, 220, 220), width=2)
    d.ellipse([30, y + 30, 110, y + 110], outline=(40, 40, 40), width=4)
    d.rounded_rectangle([135, y + 25, 820, y + 115], 12, fill=(255, 255, 255))
    d.ellipse([850, y + 30, 930, y + 110], outline=(40, 40, 40), width=4)
    d.ellipse([960, y + 30, 1040, y + 110], outline=(40, 40, 40), width=4)
    d.text((1000, y + 70), "+", font=_font("arial", 60), fill=(40, 40, 40), anchor="mm")
    d.rounded_rectangle(
        [SCREEN_W / 2 - 140, SCREEN_H - 30, SCREEN_W / 2 + 140, SCREEN_H - 20], 5, fill=(20, 20, 20)
    )


def wechat_chat(
    page_img: Image.Image, rng: np.random.Generator, group: str, msgs: tuple[str, str], name: str, width: int
) -> Image.Image:
    """A group chat where a member forwards the page as a picture (shown as a large image message)."""
    img = Image.new("RGB", (SCREEN_W, SCREEN_H), CHAT_BG)
    d = ImageDraw.Draw(img)
    status_bar(d, rng)
    nav_bar(d, group)
    d.line([(0, 210), (SCREEN_W, 210)], fill=(215, 215, 215), width=2)
    y = 240
    d.text(
        (SCREEN_W / 2, y + 20),
        f"昨天 {int(rng.integers(8, 18))}:{int(rng.integers(0, 60)):02d}",
        font=_font("sans", 32),
        fill=(150, 150, 150),
        anchor="mm",
    )
    y += 70
    y = text_bubble(img, y, msgs[0], rng, False, name)
    avatar(img, 30, y, rng, name[0])
    d.text((175, y), name, font=_font("sans", 32), fill=(130, 130, 130))
    y += 44
    th = round(page_img.height * width / page_img.width)
    max_h = SCREEN_H - 200 - y - 200
    if th > max_h:
        th = max_h
        width = round(page_img.width * th / page_img.height)
    thumb = page_img.convert("RGB").resize((width, th), Image.Resampling.LANCZOS)
    mask = Image.new("L", thumb.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, width - 1, th - 1], 14, fill=255)
    img.paste(thumb, (175, y), mask)
    y += th + 50
    if y < SCREEN_H - 380:
        text_bubble(img, y, msgs[1], rng, True, "我")
    input_bar(img)
    return img


def wechat_preview(page_img: Image.Image, rng: np.random.Generator, filename: str, size: str) -> Image.Image:
    """WeChat's in-app file preview of a forwarded PDF: title bar, file name, first page fitted to width."""
    img = Image.new("RGB", (SCREEN_W, SCREEN_H), (242, 242, 242))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, SCREEN_W, 210], fill=(255, 255, 255))
    status_bar(d, rng)
    d.line([(50, 130), (90, 170)], fill=(20, 20, 20), width=5)
    d.line([(50, 170), (90, 130)], fill=(20, 20, 20), width=5)
    name = filename if len(filename) <= 17 else filename[:15] + "…" + filename[-4:]
    d.text((SCREEN_W / 2, 150), name, font=_font("sans", 42), fill=(20, 20, 20), anchor="mm")
    d.text((1020, 145), "···", font=_font("arial_b", 50), fill=(20, 20, 20), anchor="rm")
    w = SCREEN_W - 48
    h = round(page_img.height * w / page_img.width)
    y = 240
    img.paste(Image.new("RGB", (w + 8, h + 8), (215, 215, 215)), (20, y - 4 + 6))
    img.paste(page_img.convert("RGB").resize((w, h), Image.Resampling.LANCZOS), (24, y))
    nxt = y + h + 30
    d.rectangle([24, nxt, 24 + w, SCREEN_H], fill=(255, 255, 255))
    bar = SCREEN_H - 190
    d.rectangle([0, bar, SCREEN_W, SCREEN_H], fill=(255, 255, 255))
    d.line([(0, bar), (SCREEN_W, bar)], fill=(225, 225, 225), width=2)
    d.text(
        (SCREEN_W / 2, bar + 60), "用其他应用打开", font=_font("sans", 40), fill=(87, 107, 149), anchor="mm"
    )
    d.text(
        (SCREEN_W / 2, bar + 120),
        f"1/3 页 · {size}",
        font=_font("sans", 30),
        fill=(150, 150, 150),
        anchor="mm",
    )
    return img


def screen_watermark(img: Image.Image, text: str) -> Image.Image:
    """Enterprise-chat style tiled viewer watermark (name and number), faint."""
    layer = Image.new("L", img.size, 0)
    f = _font("sans", 40)
    tile = Image.new("L", (int(f.getlength(text)) + 10, 60), 0)
    ImageDraw.Draw(tile).text((5, 5), text, font=f, fill=255)
    tile = tile.rotate(20, expand=True)
    for yy in range(0, img.height, 320):
        for xx in range(-100 + (yy // 320 % 2) * 200, img.width, 420):
            layer.paste(tile, (xx, yy), tile)
    a = np.asarray(layer, np.float32)[..., None] / 255 * 0.07
    out = np.asarray(img, np.float32) * (1 - a) + 128 * a
    return to_pil(out)


def xor_dat(data: bytes, key: int) -> bytes:
    """WeChat stores received images as .dat files: every byte XOR'ed with one key byte."""
    arr = np.frombuffer(data, dtype=np.uint8) ^ np.uint8(key)
    return arr.tobytes()
