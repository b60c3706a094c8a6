"""Metafile text bytes -> str: the 8-bit strings of WMF and ``EMR_*TEXTOUTA`` records.

An 8-bit string is in the code page of the font that draws it, and the file
says which only through the font's lfCharSet: 134 -> GB18030, 136 -> Big5,
128 -> Shift-JIS ... For DEFAULT_CHARSET and OEM_CHARSET it is the player's
system code page, which is not in the file, so it is guessed: a CJK face name
decides, else text whose every non-ASCII byte pairs up as GB2312 is GB2312,
else cp1252. A general detector (charset-normalizer) needs far more than the
few bytes one text record holds, and ignores the font that the file does give.
"""

from __future__ import annotations

from secscan.extractors._common.charsets import CHARSET_CODECS

# lfCharSet -> codec. DEFAULT_CHARSET (1), OEM (255) and unknown ones are guessed (decode8).
_CHARSETS = {0: "cp1252", 2: "cp1252", **CHARSET_CODECS}  # 2 is SYMBOL: glyph codes, not letters
_FACE_CODECS = (
    ("gb18030", ("simsun", "simhei", "kaiti", "fangsong", "yahei", "dengxian", "gb2312", "宋体", "黑体")),
    ("gb18030", ("楷体", "仿宋", "雅黑", "等线", "stsong", "stkaiti", "stfangsong", "stheiti")),
    ("cp950", ("mingliu", "jhenghei", "細明體", "正黑體", "dfkai")),
    (
        "cp932",
        ("ms mincho", "ms pmincho", "ms gothic", "ms pgothic", "ms ui gothic", "yu gothic", "yu mincho"),
    ),
    ("cp932", ("meiryo", "ｍｓ", "明朝", "ゴシック")),
    ("cp949", ("gulim", "batang", "dotum", "malgun", "굴림", "바탕", "돋움")),
)


def decode8(raw: bytes, charset: int, face: str) -> str:
    """8-bit text drawn in a font of ``charset`` and ``face``."""
    codec = _CHARSETS.get(charset)
    if codec is None:  # DEFAULT_CHARSET, OEM_CHARSET: the system's code page, not in the file
        face = face.lower()
        codec = next((c for c, names in _FACE_CODECS if any(n in face for n in names)), None)
        if codec is None:
            codec = "gb18030" if _gb2312_pairs(raw) else "cp1252"
    return raw.decode(codec, "replace")


def _gb2312_pairs(raw: bytes) -> bool:
    """Every non-ASCII byte is half of a GB2312 pair (both bytes 0xA1-0xFE), and there is one."""
    index, pairs = 0, 0
    while index < len(raw):
        if raw[index] < 0x80:
            index += 1
            continue
        if not (0xA1 <= raw[index] <= 0xFE and index + 1 < len(raw) and 0xA1 <= raw[index + 1] <= 0xFE):
            return False
        index, pairs = index + 2, pairs + 1
    return pairs > 0


def face_name(raw: bytes) -> str:
    """A WMF face name (8-bit, in its font's charset, which CJK names need)."""
    if raw.isascii():
        return raw.decode("ascii")
    for codec in ("gb18030", "cp950", "cp932", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def clean(text: str) -> str:
    """Control characters (and U+FFFE) as spaces: a record's text may carry them, a line may not."""
    return "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\ufffe" else c for c in text)
