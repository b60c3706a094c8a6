#!/usr/bin/env python
"""Generate the blind OCR benchmark pages deterministically.

    python make_pages.py            # (re)generate pages/, labels.tsv, MANIFEST.tsv
    python make_pages.py --check    # verify pages/ against MANIFEST.tsv
    python make_pages.py --jobs 1   # single process

Every case is one page design with an expected level; each case is rendered in two or three degradations
(its twins), and the split (tune / held) is decided per case from sha256(case_id).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402
import cv2  # noqa: E402
import degrade as D  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from render import Page, Watermark, image_pdf, rasterize, to_text_pdf  # noqa: E402

PAGES = HERE / "pages"
LEVELS = ("none", "internal", "confidential", "secret", "top-secret")
DEGRADATIONS = (
    "digital",
    "photo",
    "lowres_photo",
    "rot90",
    "rot180",
    "rot270",
    "skew",
    "scan100",
    "scan150",
    "scan200",
    "wechat_chat",
    "wechat_preview",
    "wechat_dat",
    "scanned_pdf",
)
PDF_TEXT = "pdf_text_stamp"
Builder = Callable[[random.Random], Page]


@dataclass(frozen=True)
class Case:
    case_id: str
    level: str
    kind: str
    build: Builder
    note: str
    copies: int = 2
    text_pdf: bool = False  # the only marking is a stamp picture: also render as a text-layer PDF


def seed_of(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def split_of(case_id: str) -> str:
    return "tune" if hashlib.sha256(case_id.encode()).digest()[0] % 2 == 0 else "held"


# ---------------------------------------------------------------- case table


def _stamp_cn(
    lines: tuple[str, ...], where: str, font: str = "hei", w: float = 42.0, h: float = 17.0, base: str = "cn"
) -> Builder:
    def build(rng: random.Random) -> Page:
        page = C.cn_report(rng) if base == "cn" else C.en_memo(rng)
        cx, cy, ang = {
            "tl": (48.0, 28.0, 6.0),
            "tr": (160.0, 28.0, 6.0),
            "over": (rng.uniform(80, 130), rng.uniform(95, 170), 12.0),
        }[where]
        stamp = C.rect(lines, rng, font, w, h, ang)
        return C.stamped(page, stamp, cx, cy)

    return build


def _round(arc: str, centre: str, where: str) -> Builder:
    def build(rng: random.Random) -> Page:
        page = C.cn_report(rng)
        cx, cy = {
            "tr": (158.0, 32.0),
            "tl": (50.0, 32.0),
            "over": (rng.uniform(80, 130), rng.uniform(100, 170)),
        }[where]
        return C.stamped(page, C.round_seal(arc, centre, rng), cx, cy)

    return build


def _wm(text: str, size: float, tiled: bool, base: str, angle: float = 30.0, alpha: float = 0.22) -> Builder:
    def build(rng: random.Random) -> Page:
        page = C.cn_report(rng) if base == "cn" else C.corp_report(rng, "")
        return C.watermarked(
            page,
            Watermark(
                text, "hei" if not text.isascii() else "arial_b", size, (150, 150, 150), alpha, angle, tiled
            ),
        )

    return build


def _essay(key: str) -> Builder:
    title, paras = C.CLEAN_CN[key]
    return lambda rng: C.essay(title, paras, rng)


def case_table() -> list[Case]:
    rows: list[tuple[str, str, Builder, str, int, bool]] = [
        # --- 红头文件 with 份号 + 密级★期限 top-left
        ("secret", "redhead", partial(C.redhead, miji="机密★5年"), "份号+机密★5年", 2, False),
        (
            "confidential",
            "redhead",
            partial(C.redhead, miji="秘密★1年", jinji="特急"),
            "份号+秘密★1年+特急",
            2,
            False,
        ),
        (
            "secret",
            "redhead",
            partial(C.redhead, miji="机密★10年", jinji="加急", seal=True),
            "机密★10年+加急+公章",
            2,
            False,
        ),
        ("top-secret", "redhead", partial(C.redhead, miji="绝密★长期"), "绝密★长期", 2, False),
        ("confidential", "redhead", partial(C.redhead, miji="秘密★6个月"), "秘密★6个月", 2, False),
        ("secret", "redhead", partial(C.redhead, miji="机密★2027年12月31日"), "解密时间形式", 2, False),
        ("secret", "redhead", partial(C.redhead, miji="机密★十年"), "汉字数字期限", 2, False),
        ("secret", "redhead", partial(C.redhead, miji="机密★3年", up=True), "上行文 请示 + 签发人", 2, False),
        (
            "confidential",
            "redhead",
            partial(C.redhead, miji="秘密★2年", seal=True),
            "秘密★2年 + 公章",
            3,
            False,
        ),
        (
            "top-secret",
            "redhead",
            partial(C.redhead, miji="绝密★20年", jinji="特急"),
            "绝密★20年 特急",
            2,
            False,
        ),
        # --- bare level under a 份号
        ("top-secret", "redhead_bare", partial(C.redhead, miji="绝密"), "份号 + bare 绝密", 2, False),
        ("secret", "redhead_bare", partial(C.redhead, miji="机密"), "份号 + bare 机密", 2, False),
        ("confidential", "redhead_bare", partial(C.redhead, miji="秘密"), "份号 + bare 秘密 (M9)", 2, False),
        (
            "secret",
            "redhead_bare",
            partial(C.redhead, miji="机密", jinji="加急"),
            "份号 + 机密 + 加急",
            2,
            False,
        ),
        ("confidential", "letter", partial(C.letter_format, miji="秘密★2年"), "信函格式 秘密★2年", 2, False),
        ("secret", "letter", partial(C.letter_format, miji="机密★1年"), "信函格式 机密★1年", 2, False),
        ("top-secret", "exam", C.exam_paper, "试卷 绝密★启用前 (§9.3 default)", 2, False),
        # --- internal
        (
            "internal",
            "internal_label",
            partial(C.internal_bulletin, label="内部资料　注意保存"),
            "简报 内部资料 注意保存",
            2,
            False,
        ),
        (
            "internal",
            "internal_label",
            partial(C.internal_bulletin, label="内部资料　免费交流", free=True),
            "内部资料 免费交流 + 准印证号",
            2,
            False,
        ),
        (
            "internal",
            "internal_label",
            partial(C.soe_doc, label="内部文件　不得外传"),
            "页眉 内部文件 不得外传",
            2,
            False,
        ),
        (
            "internal",
            "work_secret",
            partial(C.redhead, miji="工作秘密"),
            "红头 工作秘密 at 密级 slot",
            2,
            False,
        ),
        (
            "internal",
            "work_secret",
            partial(C.redhead, miji="工作秘密★1年", with_fenhao=False),
            "工作秘密★1年 (star misuse)",
            2,
            False,
        ),
        (
            "internal",
            "work_secret",
            partial(C.redhead, miji="工作秘密　注意保管", with_fenhao=False),
            "工作秘密 注意保管",
            2,
            False,
        ),
        (
            "confidential",
            "corp_label",
            partial(C.soe_doc, label="核心商密★5年"),
            "SOE header 核心商密★5年 (M28)",
            2,
            False,
        ),
        # --- US banners
        (
            "top-secret",
            "us_banner",
            partial(C.us_memo, banner="TOP SECRET//SI//NOFORN", portion="TS//SI//NF"),
            "TS//SI//NOFORN top+bottom",
            2,
            False,
        ),
        (
            "top-secret",
            "us_banner",
            partial(
                C.us_memo,
                banner="TOP SECRET//HCS//ORCON/NOFORN",
                portion="TS//HCS//OC/NF",
                agency="OFFICE OF THE DIRECTOR",
            ),
            "TS//HCS//ORCON/NOFORN",
            2,
            False,
        ),
        (
            "secret",
            "us_banner",
            partial(C.us_memo, banner="SECRET//NOFORN", portion="S//NF"),
            "SECRET//NOFORN",
            2,
            False,
        ),
        (
            "secret",
            "us_banner",
            partial(C.us_memo, banner="SECRET//REL TO USA, FVEY", portion="S//REL"),
            "SECRET//REL TO USA, FVEY",
            2,
            False,
        ),
        (
            "confidential",
            "us_banner",
            partial(C.us_memo, banner="CONFIDENTIAL//REL TO USA, GBR", portion="C//REL"),
            "CONFIDENTIAL//REL",
            2,
            False,
        ),
        (
            "internal",
            "us_banner",
            partial(C.us_memo, banner="UNCLASSIFIED//FOR OFFICIAL USE ONLY", portion="U//FOUO"),
            "U//FOUO",
            2,
            False,
        ),
        # --- corporate footers
        (
            "confidential",
            "corp_label",
            partial(C.corp_report, footer="CONFIDENTIAL"),
            "footer CONFIDENTIAL",
            2,
            False,
        ),
        (
            "confidential",
            "corp_label",
            partial(C.corp_report, footer="Company Confidential - Do Not Distribute"),
            "footer Company Confidential",
            2,
            False,
        ),
        (
            "internal",
            "corp_label",
            partial(C.corp_report, footer="Internal Use Only"),
            "footer Internal Use Only",
            2,
            False,
        ),
        (
            "confidential",
            "corp_label",
            partial(C.soe_doc, label="公司机密　严禁外传"),
            "header 公司机密",
            2,
            False,
        ),
        # --- red stamps as the only marking
        ("secret", "stamp_rect", _stamp_cn(("机　密",), "tr"), "rect 机密 top-right", 2, True),
        ("top-secret", "stamp_rect", _stamp_cn(("绝　密",), "tl"), "rect 绝密 top-left", 2, True),
        ("confidential", "stamp_rect", _stamp_cn(("秘密★1年",), "tr", w=46), "rect 秘密★1年", 2, True),
        (
            "top-secret",
            "stamp_rect",
            _stamp_cn(("TOP SECRET",), "tr", "arial_b", 56, 16, "en"),
            "rect TOP SECRET",
            2,
            True,
        ),
        (
            "secret",
            "stamp_rect",
            _stamp_cn(("SECRET",), "tl", "arial_b", 44, 15, "en"),
            "rect SECRET",
            2,
            False,
        ),
        (
            "confidential",
            "stamp_rect",
            _stamp_cn(("CONFIDENTIAL",), "over", "arial_b", 62, 15, "en"),
            "rect CONFIDENTIAL overprinted",
            2,
            True,
        ),
        (
            "secret",
            "stamp_overprint",
            _stamp_cn(("机　密",), "over", w=44, h=19),
            "rect 机密 over body text",
            2,
            True,
        ),
        (
            "confidential",
            "stamp_overprint",
            _stamp_cn(("秘密★1年",), "over", w=48),
            "rect 秘密★1年 over text",
            2,
            False,
        ),
        (
            "top-secret",
            "stamp_overprint",
            _stamp_cn(("绝密",), "over", w=36, h=18),
            "rect 绝密 over text",
            2,
            False,
        ),
        ("internal", "stamp_rect", _stamp_cn(("内部资料",), "tr", w=44), "rect 内部资料", 2, False),
        ("secret", "stamp_round", _round("临江市国家保密局", "机密", "tr"), "round seal + 机密", 2, True),
        (
            "top-secret",
            "stamp_round",
            _round("江北省国家保密局", "绝密", "tl"),
            "round seal + 绝密",
            2,
            False,
        ),
        (
            "confidential",
            "stamp_round",
            _round("东川县保密委员会办公室", "秘密", "over"),
            "round seal + 秘密 over text",
            2,
            True,
        ),
        # --- watermarks as the only marking
        (
            "internal",
            "watermark",
            _wm("内部资料　严禁外传", 20.0, True, "cn"),
            "tiled 内部资料 严禁外传 (M25)",
            2,
            False,
        ),
        (
            "secret",
            "watermark",
            _wm("机密", 220.0, False, "cn", 40.0, 0.3),
            "Word-style diagonal 机密",
            2,
            False,
        ),
        (
            "confidential",
            "watermark",
            _wm("CONFIDENTIAL", 64.0, False, "en", 45.0, 0.28),
            "diagonal CONFIDENTIAL",
            2,
            False,
        ),
        # --- clean and mention-only
        (
            "none",
            "mention_cn",
            lambda r: C.essay("保密知识学习材料", C.TRAINING, r, "机关干部保密教育培训讲义", "— 3 —"),
            "保密教育 training F1 F2 F3 F9 F11",
            3,
            False,
        ),
        (
            "none",
            "mention_cn",
            lambda r: C.essay(
                "为境外刺探国家秘密 一男子被判刑十年", C.NEWS, r, "来源：临江日报　2025-03-14 07:30"
            ),
            "news F3",
            3,
            False,
        ),
        ("none", "mention_cn", C.levels_explainer, "密级 explainer table F2 F10 F11", 3, False),
        ("none", "sample_figure", C.standard_figure, "公文格式 sample figure F48", 2, False),
        ("none", "template", C.template_page, "placeholder template F19", 2, False),
        (
            "none",
            "redhead_public",
            partial(C.redhead, seal=True, fuzhu="（此件公开发布）", with_fenhao=False),
            "红头 + 公章 + 此件公开发布 F20",
            3,
            False,
        ),
        (
            "none",
            "redhead_public",
            partial(C.redhead, seal=True, with_fenhao=False),
            "红头 + 公章, no mark",
            2,
            False,
        ),
        (
            "none",
            "redhead_public",
            partial(C.feimi_notice, label="非涉密"),
            "非涉密 at mark slot F13",
            2,
            False,
        ),
        ("none", "form_field", partial(C.form_page, value="公开"), "发文稿纸 密级：公开 F12", 2, False),
        ("none", "official_seal", C.certificate, "证明 with 公章 (red seal, no level)", 3, True),
        ("none", "declassified", C.declassified_cn, "机密★5年 struck + 已解密 stamp §2.11", 2, False),
        ("none", "mention_cn", _essay("internal_control"), "内部控制/内部审计 F8", 2, False),
        ("none", "mention_cn", _essay("infosec"), "机密性/机密计算/解密失败 F6 F14 F16", 2, False),
        ("none", "mention_cn", _essay("trade_secret"), "商业秘密 F4", 2, False),
        ("none", "mention_cn", _essay("book"), "秘密花园/秘密基地 F5", 2, False),
        ("none", "mention_cn", _essay("tv_listing"), "《绝密档案》 F7", 2, False),
        ("none", "mention_cn", _essay("promise"), "保密承诺书 F9 F15", 2, False),
        ("none", "mention_cn", C.register_table, "涉密载体登记表 F18", 2, False),
        ("none", "watermark_trap", C.bubble_watermark_page, "viewer name+phone watermark F21", 2, False),
        ("none", "mention_en", C.us_news, "news quoting TOP SECRET//SI//NOFORN F36", 3, False),
        ("none", "mention_en", C.isoo_training, "UNCLASSIFIED training aid F37", 2, False),
        ("none", "mention_en", C.nda_page, "NDA Confidential Information F24", 2, False),
        ("none", "mention_en", C.email_page, "email confidentiality footer F22", 2, False),
        ("none", "mention_en", C.poster_page, "movie poster TOP SECRET! F26", 2, False),
        ("none", "mention_en", C.password_notice, "keep your password confidential F23", 2, False),
        ("none", "declassified", C.crest_release, "SECRET + Approved For Release F45", 2, False),
    ]
    return [
        Case(f"c{i:03d}", lvl, kind, b, note, n, tp) for i, (lvl, kind, b, note, n, tp) in enumerate(rows, 1)
    ]


def plan(cases: list[Case]) -> list[tuple[Case, str, int]]:
    """Assign degradations: least-used first (ties by a seeded draw); twins always differ."""
    used: Counter[str] = Counter()
    rng = random.Random(20250601)
    out: list[tuple[Case, str, int]] = []
    for case in cases:
        chosen: list[str] = []
        if case.text_pdf:
            chosen.append(PDF_TEXT)
        while len(chosen) < case.copies:
            opts = [d for d in DEGRADATIONS if d not in chosen]
            rng.shuffle(opts)
            pick = min(opts, key=lambda d: used[d])
            chosen.append(pick)
            used[pick] += 1
        out.extend((case, d, k) for k, d in enumerate(chosen, 1))
    return out


# ---------------------------------------------------------------- rendering one page

GROUPS = [
    "临江市应急局工作群(48)",
    "办公室综合科(12)",
    "2025重点项目专班(27)",
    "局机关通知群(96)",
    "财务科工作群(9)",
]
CHAT_MSGS = [
    ("转发一下市里的文件，大家看看", "收到"),
    ("@所有人 这份材料请各科室传阅", "好的，收到"),
    ("刚收到的，请王科长安排一下", "收到，马上办"),
    ("这个是上周会上说的那个", "好的"),
]
NAMES = ["张建华", "李秀梅", "王志强", "刘洋", "陈静"]
FILES = [
    "关于做好2025年重点工作的通知.pdf",
    "附件1：工作方案.pdf",
    "会议材料（第二批）.pdf",
    "扫描件20250312.pdf",
    "Q1 review.pdf",
    "memo_0314.pdf",
]


_PLAN: list[tuple[Case, str, int]] = []


def render_one(index: int) -> tuple[str, str, str, str, str, str, float]:
    if not _PLAN:
        _PLAN.extend(plan(case_table()))
    case, deg, k = _PLAN[index]
    cv2.setNumThreads(1)
    page = case.build(random.Random(seed_of(case.case_id)))
    rng = np.random.default_rng(seed_of(case.case_id, deg))
    r = random.Random(seed_of(case.case_id, deg, "py"))
    data, ext, em_px = produce(page, case, deg, rng, r)
    name = f"{case.case_id}-{k}.{ext}"
    (PAGES / name).write_bytes(data)
    return name, case.case_id, case.level, case.kind, deg, split_of(case.case_id), em_px


def _gray_ok(case: Case) -> bool:
    return case.kind in {"us_banner", "corp_label", "mention_en", "redhead_bare"}


def produce(
    page: Page, case: Case, deg: str, rng: np.random.Generator, r: random.Random
) -> tuple[bytes, str, float]:
    """Return file bytes, extension, and the body-text em height in pixels (16 pt for CN, 12 pt otherwise)."""
    em_mm = 16 * 25.4 / 72 if case.kind not in {"us_banner", "corp_label", "mention_en"} else 12 * 25.4 / 72
    if deg == PDF_TEXT:
        return to_text_pdf(page), "pdf", 0.0
    if deg == "digital":
        dpi = r.choice([150, 200, 300])
        return D.png_bytes(rasterize(page, dpi)), "png", em_mm * dpi / 25.4
    if deg in {"scan100", "scan150", "scan200", "scanned_pdf", "rot90", "rot270", "skew"}:
        dpi = {"scan100": 100, "scan150": 150}.get(deg, r.choice([150, 200]) if deg != "scan200" else 200)
        src = 200 if dpi == 100 else 300
        img = D.scan(rasterize(page, src), src, dpi, rng, gray=_gray_ok(case) and r.random() < 0.4)
        em = em_mm * dpi / 25.4
        if deg == "scanned_pdf":
            return image_pdf(D.jpeg_bytes(img, r.randint(70, 88))), "pdf", em
        if deg == "skew":
            ang = r.uniform(3, 10) * r.choice([-1, 1])
            img = D.skew(img, ang, (r.randint(225, 245),) * 3)
        if deg in {"rot90", "rot270"}:
            img = img.transpose(Image.Transpose.ROTATE_90 if deg == "rot90" else Image.Transpose.ROTATE_270)
        if deg == "scan100" or (r.random() < 0.3 and dpi <= 150):
            return D.png_bytes(img), "png", em
        return D.jpeg_bytes(img, r.randint(80, 92)), "jpg", em
    if deg in {"photo", "rot180", "wechat_dat"}:
        size = (2448, 3264) if deg != "wechat_dat" else (1440, 1920)
        img = D.photo(rasterize(page, 250 if deg != "wechat_dat" else 200), rng, *size)
        em = em_mm * _page_px_per_mm(img)
        if deg == "rot180":
            img = img.transpose(Image.Transpose.ROTATE_180)
        q = r.randint(60, 85)
        if deg == "wechat_dat":
            key = r.randint(1, 254)  # decoding byte 0 with key gives 0xFF and byte 1 gives 0xD8
            return D.xor_dat(D.jpeg_bytes(img, q), key), "dat", em
        return D.jpeg_bytes(img, q), "jpg", em
    if deg == "lowres_photo":
        img = D.photo(rasterize(page, 100), rng, 810, 1080)
        return D.jpeg_bytes(img, r.randint(60, 80)), "jpg", em_mm * _page_px_per_mm(img)
    if deg == "wechat_chat":
        as_photo = r.random() < 0.5
        src = (
            D.photo(rasterize(page, 150), rng, 1224, 1632, (0.9, 0.95)) if as_photo else rasterize(page, 150)
        )
        width = r.randint(680, 780)
        img = D.wechat_chat(src, rng, r.choice(GROUPS), r.choice(CHAT_MSGS), r.choice(NAMES), width)
        if r.random() < 0.3:
            img = D.screen_watermark(img, f"{r.choice(NAMES)} {r.randint(1000, 9999)}")
        ppm = width / 210 * (0.92 * 1632 / 1224 * 210 / 297 if as_photo else 1.0)
        return D.png_bytes(img), "png", em_mm * ppm
    if deg == "wechat_preview":
        img = D.wechat_preview(rasterize(page, 200), rng, r.choice(FILES), f"{r.uniform(120, 900):.1f}KB")
        return D.png_bytes(img), "png", em_mm * (1080 - 48) / 210
    raise ValueError(deg)


def _page_px_per_mm(img: Image.Image) -> float:
    # photo() scales the page to 74-90 % of the frame height; use the midpoint as the estimate
    return img.height * 0.82 / 297.0


# ---------------------------------------------------------------- outputs


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_outputs(rows: list[tuple[str, str, str, str, str, str, float]], cases: list[Case]) -> None:
    rows.sort()
    with open(HERE / "labels.tsv", "w", encoding="utf-8") as f:
        f.write("file\tcase_id\texpected_level\tkind\tdegradation\tsplit\n")
        for name, cid, lvl, kind, deg, split, _ in rows:
            f.write(f"{name}\t{cid}\t{lvl}\t{kind}\t{deg}\t{split}\n")
    with open(HERE / "MANIFEST.tsv", "w", encoding="utf-8") as f:
        f.write("file\tsha256\n")
        for name, *_ in rows:
            f.write(f"{name}\t{sha256_file(PAGES / name)}\n")
    with open(HERE / "cases.tsv", "w", encoding="utf-8") as f:
        f.write("case_id\texpected_level\tkind\tsplit\tnote\n")
        for c in cases:
            f.write(f"{c.case_id}\t{c.level}\t{c.kind}\t{split_of(c.case_id)}\t{c.note}\n")
    with open(HERE / "pages_detail.tsv", "w", encoding="utf-8") as f:
        f.write("file\tbody_em_px\n")
        for name, *_rest, em in rows:
            f.write(f"{name}\t{em:.1f}\n")


def check() -> int:
    bad = 0
    lines = (HERE / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        name, digest = line.split("\t")
        p = PAGES / name
        if not p.exists():
            print(f"MISSING {name}")
            bad += 1
        elif sha256_file(p) != digest:
            print(f"CHANGED {name}")
            bad += 1
    extra = (
        {p.name for p in PAGES.iterdir()} - {ln.split("\t")[0] for ln in lines} if PAGES.exists() else set()
    )
    for name in sorted(extra):
        print(f"EXTRA {name}")
    print(f"{len(lines) - bad} ok, {bad} bad, {len(extra)} extra")
    return 1 if bad else 0


def summary(rows: list[tuple[str, str, str, str, str, str, float]], seconds: float) -> None:
    total = sum((PAGES / r[0]).stat().st_size for r in rows)
    print(
        f"pages: {len(rows)}  cases: {len({r[1] for r in rows})}  "
        f"time: {seconds:.1f}s  size: {total / 1e6:.1f} MB"
    )
    clean = sum(1 for r in rows if r[2] == "none")
    print(f"clean/mention-only pages: {clean} ({100 * clean / len(rows):.0f}%)")
    for title, idx in (("level", 2), ("kind", 3), ("degradation", 4), ("split", 5)):
        cnt = Counter(r[idx] for r in rows)
        print(f"by {title}: " + ", ".join(f"{k}={v}" for k, v in sorted(cnt.items())))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify pages/ against MANIFEST.tsv")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument(
        "--only", default="", help="re-render only these case ids in place (no labels or manifest written)"
    )
    args = ap.parse_args(argv)
    if args.check:
        return check()
    t0 = time.time()
    PAGES.mkdir(exist_ok=True)
    if not args.only:
        for old in PAGES.iterdir():
            old.unlink()
    cases = case_table()
    _PLAN[:] = plan(cases)
    if args.only:
        idx = [i for i, it in enumerate(_PLAN) if it[0].case_id in args.only.split(",")]
    else:
        idx = list(range(len(_PLAN)))
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            rows = pool.map(render_one, idx, chunksize=1)
    else:
        rows = [render_one(i) for i in idx]
    if args.only:  # re-render in place only; `--check` then shows whether the output is reproducible
        print(f"re-rendered {len(rows)} pages in {time.time() - t0:.1f}s")
        return 0
    write_outputs(rows, cases)
    summary(rows, time.time() - t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
