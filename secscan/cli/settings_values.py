"""The settings a config file may hold, and how each value is checked and converted.

One table, so the set of keys and the command line's flags cannot drift apart
unnoticed: ``tests/test_settings.py`` compares them. Each checker returns the
value as the command line would have produced it, with relative paths made
relative to the config file's folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from secscan.model import Level

FAIL_ON = ("internal", "confidential", "secret", "top-secret", "never")
# The levels in the words of the documents secscan reads: --fail-on 机密 and fail-on = "机密"
# mean --fail-on secret. Simplified and traditional forms; 工作秘密 and 内部 both name the
# internal grade. The reports show the simplified names (reporters.wording.LEVEL_NAMES_ZH).
FAIL_ON_ZH = {
    "绝密": "top-secret",
    "絕密": "top-secret",
    "机密": "secret",
    "機密": "secret",
    "秘密": "confidential",
    "工作秘密": "internal",
    "内部": "internal",
    "內部": "internal",
}
OCR_ENGINES = ("rapidocr", "tesseract")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}

Checker = Callable[[Any, Path], Any]


class SettingsError(ValueError):
    """A config file cannot be used; the message names the file and the key."""


def validators() -> dict[str, Checker]:
    from secscan.reporters import REPORTERS

    return {
        "fail-on": _fail_on,
        "format": _choice(tuple(sorted(REPORTERS))),
        "exclude": _globs,
        "patterns": _paths(must_exist=True, many=True),
        "show-suppressed": _boolean,
        "ocr": _boolean,
        "cache": _boolean,
        "ocr-engine": _choice(OCR_ENGINES),
        "max-file-size": _size,
        "max-expanded-size": _size,
        "max-ratio": _number(1.0),
        "max-depth": _integer(0),
        "max-members": _integer(1),
        "timeout": _number(0.1),
        "max-memory": _size,
        "password-file": _paths(must_exist=True, many=False),
        "baseline": _paths(must_exist=False, many=False),
        "redact": _boolean,
    }


def fail_on_name(word: str) -> str:
    """The English name of a --fail-on value given in English or Chinese; ValueError when it is neither."""
    text = word.strip()
    name = FAIL_ON_ZH.get(text, text.lower())
    if name not in FAIL_ON:
        raise ValueError(f"must be one of {', '.join((*FAIL_ON, *FAIL_ON_ZH))}, not {word!r}")
    return name


def fail_on_level(word: str) -> Level | None:
    """The lowest level that fails the gate (None for "never"), from an English or Chinese name."""
    name = fail_on_name(word)
    return None if name == "never" else Level.parse(name)


def _fail_on(value: Any, _base: Path) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be one of {', '.join((*FAIL_ON, *FAIL_ON_ZH))}, not {value!r}")
    return fail_on_name(value)


def _choice(choices: tuple[str, ...]) -> Checker:
    def check(value: Any, _base: Path) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    return check


def _boolean(value: Any, _base: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def _integer(minimum: int) -> Checker:
    def check(value: Any, _base: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"must be a whole number of at least {minimum}, not {value!r}")
        return value

    return check


def _number(minimum: float) -> Checker:
    def check(value: Any, _base: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise ValueError(f"must be a number of at least {minimum:g}, not {value!r}")
        return float(value)

    return check


def _size(value: Any, _base: Path) -> int:
    """Bytes, as a number or a string such as ``"200M"``, ``"1 GiB"`` (binary units)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    found = _SIZE.match(value) if isinstance(value, str) else None
    if found is None or float(found.group(1)) * _UNITS[found.group(2).lower()] < 1:
        raise ValueError(f'must be a size in bytes such as 209715200 or "200M", not {value!r}')
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def size_in_bytes(value: Any) -> int:
    """A size as ``_size`` reads it, for a flag that takes ``1G`` as well as bytes."""
    return _size(value, Path.cwd())


def _globs(value: Any, _base: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) and v for v in items):
        raise ValueError("must be a list of glob patterns (gitignore syntax)")
    return tuple(items)


def _paths(must_exist: bool, many: bool) -> Checker:
    def check(value: Any, base: Path) -> str | tuple[str, ...]:
        items = [value] if isinstance(value, str) or not many else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
            raise ValueError("must be a path" + ("" if not many else " or a list of paths"))
        resolved = [str(base / v) if not Path(v).is_absolute() else v for v in items]
        for path in resolved if must_exist else ():
            if not Path(path).exists():
                raise ValueError(f"no such file or folder: {path}")
        return tuple(resolved) if many else resolved[0]

    return check
