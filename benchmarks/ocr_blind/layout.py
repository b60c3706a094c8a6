"""Layout helpers: wrapped paragraphs and the GB/T 9704-2012 公文 head, built on the display list."""

from __future__ import annotations

import random

from render import BLACK, RED, RGB, Line, Page, Picture, RoundSeal, Text, text_width_mm

# GB/T 9704-2012: 版心 156 x 225 mm, top margin 37 mm, left margin 28 mm, 22 lines of 28 characters.
GW_LEFT = 28.0
GW_TOP = 37.0
GW_WIDTH = 156.0
GW_BOTTOM = GW_TOP + 225.0
GW_PITCH = 225.0 / 22
NO_LINE_START = set("，。、；：？！）》」』”’%")


def wrap(text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    """Greedy wrap: characters for CJK, words for Latin text; keeps closing punctuation off line starts."""
    lines: list[str] = []
    cur = ""
    avail = width - indent
    tokens = _tokens(text)
    for tok in tokens:
        if cur and text_width_mm(cur + tok, font, size) > avail and tok not in NO_LINE_START:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
            avail = width
        else:
            cur += tok
    if cur:
        lines.append(cur.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def paragraph(
    page: Page,
    x: float,
    y: float,
    width: float,
    text: str,
    font: str = "song",
    size: float = 16.0,
    pitch: float = GW_PITCH,
    indent_chars: float = 2.0,
    ymax: float = GW_BOTTOM,
    color: RGB = BLACK,
) -> float:
    """Add a wrapped paragraph with a first-line indent; returns the y of the next line."""
    indent = indent_chars * size * 0.3528
    for i, line in enumerate(wrap(text, font, size, width, indent)):
        if y + size * 0.3528 > ymax:
            return y
        page.add(Text(x + (indent if i == 0 else 0.0), y, line, font, size, color))
        y += pitch
    return y


def gw_head(
    page: Page,
    rng: random.Random,
    *,
    organ: str,
    fenhao: str = "",
    miji: str = "",
    jinji: str = "",
    wenhao: str = "",
    qianfa: str = "",
    red: bool = True,
    miji_font: str = "hei",
) -> float:
    """The 版头 of a 公文: 份号/密级/紧急程度 flush left, red 发文机关标志, 发文字号 and the red rule.

    Returns the y below the red rule.
    """
    y = GW_TOP
    for item, font in ((fenhao, "song"), (miji, miji_font), (jinji, "hei")):
        if item:
            page.add(Text(GW_LEFT, y, item, font, 16.0))
            y += GW_PITCH * 0.8
    up = bool(qianfa)
    ty = GW_TOP + (80.0 if up else 35.0) - (20 if up and not (fenhao or miji) else 0)
    ty = max(ty, y + 6)
    size = rng.choice([48.0, 52.0, 56.0])
    w = text_width_mm(organ, "song_b", size)
    sx = min(1.0, GW_WIDTH * rng.uniform(0.86, 0.95) / w)
    color = RED if red else BLACK
    page.add(Text(105.0, ty, organ, "song_b", size, color, "m", sx))
    y = ty + size * 0.3528 + 2 * GW_PITCH * 0.65
    if up:
        page.add(Text(GW_LEFT + 4, y, wenhao, "song", 16.0))
        page.add(Text(GW_LEFT + GW_WIDTH - 4, y, "签发人：" + qianfa, "song", 16.0, anchor="r"))
    elif wenhao:
        page.add(Text(105.0, y, wenhao, "song", 16.0, anchor="m"))
    y += GW_PITCH * 0.55 + 4.0
    page.add(Line(GW_LEFT, y, GW_LEFT + GW_WIDTH, y, 0.9, color))
    return y + 9.0


def gw_title(page: Page, y: float, title: str) -> float:
    for line in wrap(title, "song_b", 22.0, GW_WIDTH):
        page.add(Text(105.0, y, line, "song_b", 22.0, anchor="m"))
        y += 11.5
    return y + 4.0


def gw_body(page: Page, y: float, recipients: str, paras: list[str], ymax: float = GW_BOTTOM) -> float:
    if recipients:
        page.add(Text(GW_LEFT, y, recipients, "song", 16.0))
        y += GW_PITCH
    for p in paras:
        y = paragraph(page, GW_LEFT, y, GW_WIDTH, p, ymax=ymax)
        if y + 6 > ymax:
            break
    return y


def gw_sign(
    page: Page,
    y: float,
    rng: random.Random,
    organ: str,
    date: str,
    seal: bool,
    fuzhu: str = "",
    seal_text: str = "",
) -> float:
    """Signature block: 发文机关署名 and 成文日期 on the right, optional red 公章 and 附注."""
    y += GW_PITCH * 0.6
    right = GW_LEFT + GW_WIDTH - 16
    page.add(Text(right, y, organ, "song", 16.0, anchor="r"))
    page.add(Text(right, y + GW_PITCH, date, "song", 16.0, anchor="r"))
    if seal:
        cx = right - text_width_mm(date, "song", 16.0) / 2 + rng.uniform(-4, 4)
        page.add(
            Picture(
                cx,
                y + GW_PITCH * 0.7,
                RoundSeal(seal_text or organ, "", 42.0, rng.uniform(-8, 8), rng.randrange(1 << 30)),
            )
        )
    y += 2 * GW_PITCH
    if fuzhu:
        page.add(Text(GW_LEFT + 11.2, y, fuzhu, "song", 16.0))
        y += GW_PITCH
    return y


def page_number(page: Page, n: int) -> None:
    page.add(
        Text(
            GW_LEFT + GW_WIDTH - 2 if n % 2 else GW_LEFT + 2,
            GW_BOTTOM + 8,
            f"— {n} —",
            "song",
            14.0,
            anchor="r" if n % 2 else "l",
        )
    )
