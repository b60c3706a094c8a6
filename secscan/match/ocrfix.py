"""Undo the OCR misreads of Chinese markings (docs/markings/china.md#ocr-confusions), in the 密级 slot only.

Photos and scans turn 机密★10年 into 杌蜜大1O午; a matcher that only knows the
clean form misses the leak. Substitutions are one character for one (so spans
still map back) and only where a level-like pair is followed by star noise
and a term, so prose elsewhere is never rewritten. Standard library only.
"""

from __future__ import annotations

import re

_LEVEL1 = {"杌": "机", "仉": "机", "札": "机", "朳": "机", "纯": "绝", "继": "绝", "給": "绝"}
_LEVEL2 = {"蜜": "密", "宓": "密", "窑": "密", "寧": "密"}
_STAR_NOISE = "*☆大太女犬文xX"
_DIGITS = str.maketrans("OolI午牛朗明", "0011年年期期")
_SLOT = re.compile(
    r"(?P<a>[机杌仉札朳绝纯继給秘])(?P<b>[密蜜宓窑寧])(?P<star>[" + re.escape(_STAR_NOISE) + r"★]?)"
    r"(?P<term>[（(\[]?(?:[0-9OolI]{1,2}[年午牛]|[0-9OolI]{1,2}个月|[一二三四五六七八九十]{1,3}[年午牛]|长[期朗明]|启用前))"
)


# Level pairs as OCR writes them, the clean three left out: the keyword prefilter selects a block
# holding one of these for every pattern, since its own keywords are not there (杌密 for 机密).
MISREAD_PAIRS = frozenset(
    first + second
    for first in ("机", "绝", "秘", *_LEVEL1)
    for second in ("密", *_LEVEL2)
    if first in _LEVEL1 or second in _LEVEL2
)


def _fix(m: re.Match[str]) -> str:
    first = _LEVEL1.get(m["a"], m["a"])
    second = _LEVEL2.get(m["b"], m["b"])
    star = "★" if m["star"] else ""
    return first + second + star + m["term"].translate(_DIGITS)


def ocr_fix(text: str) -> str:
    """``text`` with misread marking characters restored (same length)."""
    return _SLOT.sub(_fix, text)
