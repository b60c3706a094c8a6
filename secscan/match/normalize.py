"""Normalise extracted text so one regex per marking sees every way it is written.

Markings arrive full-width (``机密★１０年``), spaced out (``机 密 ★ 1 0 年``), with
zero-width characters, with one of a dozen star glyphs, with Kangxi radicals
from PDF ToUnicode maps (``⾮密``), or with a symbol-font star that came out as a
private-use code point. ``normalize`` folds all of that into one canonical
string and keeps, for every output character, where it came from, so a
finding can quote the document's own text.

The common case must be cheap (hundreds of files a second), so a block that
needs no change in length is handled by one ``str.translate`` and an identity
map; only blocks with removals, expansions or spaces to collapse take the
per-character path. Standard library only (``unicodedata``): nothing to install.

``fold`` is separate: it maps the traditional and variant forms of the level
characters (絕 機 祕 袐 內) to simplified ones one-for-one, so patterns written
in simplified characters also read Taiwan and Hong Kong text, while the
normalised text itself keeps the original forms for region context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STAR = "★"

_STARS = "★☆*＊※∗⋆﹡✩⭐" + "".join(chr(c) for c in range(0x2731, 0x273A))
_REMOVE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u202f\u205f\u2007\u2008\u200a\t\f\v"
# NFKC covers the Kangxi radicals block; the CJK Radicals Supplement only partly.
_RADICALS_SUPPLEMENT = {
    "⺠": "民",
    "⻓": "长",
    "⻔": "门",
    "⻅": "见",
    "⻆": "角",
    "⻢": "马",
    "⻄": "西",
    "⻩": "黄",
    "⻝": "食",
    "⻜": "飞",
    "⻚": "页",
    "⻋": "车",
    "⻉": "贝",
    "⻛": "风",
    "⻰": "龙",
    "⻳": "龟",
    "⺟": "母",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻨": "麦",
    "⻮": "齿",
    "⻬": "齐",
    "⻘": "青",
    "⻤": "鬼",
    "⺫": "罒",
    "⺬": "示",
    "⺮": "竹",
    "⺼": "肉",
    "⻌": "辶",
    "⻏": "阝",
    "⻖": "阝",
    "⺅": "亻",
}
# Kept as is: NFKC would turn the circled 丸秘 stamp into a plain 秘.
_KEEP = frozenset("㊙")
_FOLD = str.maketrans({"絕": "绝", "機": "机", "祕": "秘", "袐": "秘", "內": "内", "極": "极"})
_FOLDED = "絕機祕袐內極"


def _one_to_one_table() -> dict[int, str]:
    """Characters whose normal form is one other character, for ``str.translate``."""
    table: dict[int, str] = {}
    ranges = [(0x2E80, 0x2FE0), (0x3000, 0x3040), (0xF900, 0xFB00), (0xFE30, 0xFE70), (0xFF00, 0xFFF0)]
    for low, high in ranges:
        for code in range(low, high):
            char = chr(code)
            norm = unicodedata.normalize("NFKC", char)
            if len(norm) == 1 and norm != char and char not in _KEEP:
                table[code] = norm
    for char, target in _RADICALS_SUPPLEMENT.items():
        table[ord(char)] = target
    for char in _SPACES:
        table[ord(char)] = " "
    for char in _STARS:
        table[ord(char)] = STAR
    for code in range(0xF000, 0xF100):  # symbol-font stars surface as PUA U+F0xx
        table[code] = STAR
    return table


_TABLE = _one_to_one_table()
_CJK = r"\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20"
_TIGHT = f"[{_CJK}{_CJK_PUNCT}{STAR}]"
# A run of CJK, stars and digits separated by single spaces; spaces inside it go.
_RUN = re.compile(f"(?:{_TIGHT}|\\d)(?: +(?:{_TIGHT}|\\d))+")
_HAS_CJK = re.compile(_TIGHT)
# Vertical writing extracted one glyph per line (a cover's 绝/密/★/长/期 column): three or more lines
# that each hold one CJK character or star are read as one line.
_VERTICAL = re.compile(f"(?m)^ *{_TIGHT} *(?:\\n *(?:{_TIGHT}|\\d{{1,2}}) *){{2,}}$")
_NEEDS_WORK = re.compile(
    f"[{''.join(_REMOVE)}]|{_TIGHT} +(?:{_TIGHT}|\\d)|\\d +{_TIGHT}|(?m:^ *{_TIGHT} *\\n *{_TIGHT} *\\n)"
)


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, per output character, the original index it came from."""

    text: str
    source: str
    starts: tuple[int, ...] | None = None  # None: identity mapping (same length)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` back to the span of ``source`` it was made from."""
        if self.starts is None:
            return start, end
        if start >= len(self.starts):
            return len(self.source), len(self.source)
        first = self.starts[start]
        last = self.starts[end - 1] + 1 if end > start else first
        return first, last


def normalize(text: str) -> Normalized:
    """NFKC, full-width to half-width, unified stars, no invisible characters, CJK spacing collapsed."""
    mapped = text.translate(_TABLE)
    if mapped.isascii() or (unicodedata.is_normalized("NFKC", mapped) and not _NEEDS_WORK.search(mapped)):
        return Normalized(mapped, text)
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(mapped):
        if char in _REMOVE:
            continue
        norm = char if char in _KEEP else unicodedata.normalize("NFKC", char).translate(_TABLE)
        for out in norm:
            chars.append(out)
            starts.append(index)
    return _collapse("".join(chars), starts, text)


def _collapse(text: str, starts: list[int], source: str) -> Normalized:
    """Drop spaces inside runs of CJK/star/digit tokens that hold at least one CJK character."""
    drop: set[int] = set()
    for run in _RUN.finditer(text):
        if _HAS_CJK.search(run.group()):
            drop.update(i for i in range(run.start(), run.end()) if text[i] == " ")
    for column in _VERTICAL.finditer(text):
        drop.update(i for i in range(column.start(), column.end()) if text[i] in " \n")
    if drop:
        keep = [i for i in range(len(text)) if i not in drop]
        text = "".join(text[i] for i in keep)
        starts = [starts[i] for i in keep]
    return Normalized(text, source, tuple(starts))


def fold(text: str) -> str:
    """Map traditional/variant level characters to simplified ones, one for one."""
    # str.translate costs a dict look-up per character (~0.2 s per MB of Chinese); six
    # memchr-speed scans show most text holds none of the six characters.
    if text.isascii() or not any(char in text for char in _FOLDED):
        return text
    return text.translate(_FOLD)


# What ``str.split()`` calls whitespace, plus the invisibles. Those above U+007F go in one regex
# pass over the str (~500 MB/s); the ASCII ones after encoding, by ``bytes.translate`` (~1 GB/s).
_WIDE_GAPS = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000" + "".join(_REMOVE) + "]")
ASCII_GAPS = bytes(code for code in range(128) if chr(code).isspace())


def skeleton(text: str) -> bytes:
    """A cheap, lossy key for keyword prefiltering: UTF-8, no whitespace or invisibles, ASCII lower case.

    Deliberately no NFKC (10 µs per Chinese paragraph) and no Unicode lower case (three
    times slower than ``bytes.lower``): ``keyword_keys`` adds the full-width, traditional
    and upper-case spellings to the keyword side instead.
    """
    if not text.isascii():
        text = _WIDE_GAPS.sub("", text)
    return text.encode("utf-8", "surrogatepass").lower().translate(None, ASCII_GAPS)


_TRADITIONAL = {"绝": "絕", "机": "機", "秘": "祕袐", "内": "內", "极": "極"}


def keyword_keys(keyword: str) -> set[bytes]:
    """Skeletons of a keyword as documents spell it: as written, full-width, traditional, in any usual case.

    The text side lowers ASCII only, so a letter outside it (ＳＥＣＲＥＴ, СЕКРЕТНО, MẬT) keeps
    the document's case: the keyword side lists the lower, upper, title and sentence cases.
    """
    text = normalize(keyword).text
    keys: set[bytes] = set()
    for cased in {text.lower(), text.upper(), text.title(), text.capitalize()}:
        base = "".join(cased.split())
        variants = {base, "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in base)}
        for simple, traditional in _TRADITIONAL.items():
            for form in traditional:
                variants |= {v.replace(simple, form) for v in variants}
        keys |= {skeleton(v) for v in variants}
    return keys
