"""Load the marking catalog: ``patterns/*.toml``, one file per convention, plus user catalogs.

Patterns are data that carry their own proof (``should_match`` /
``should_not_match``), as gitleaks rules do; Python holds only generic
signals. ``rtoml`` (MIT; the Rust ``toml`` crate) reads them: 1.4 ms for the
sixteen built-in files where the standard library's pure-Python ``tomllib`` takes
17 ms, a tenth of a one-file gate's start-up, for the same data. Every mistake
in a catalog file is a ``CatalogError`` naming the file, the pattern id and the
field, because a user catalog that silently loads half its patterns is a scanner
that silently misses markings.

Schema of one ``[[pattern]]`` (regexes run on the normalised, folded text,
see ``secscan.match.normalize``)::

    id = "cn.state-secret.marking"   # convention first
    level = "secret" | "from-match"  # from-match: group (?P<level>...) looked up in `levels`
    levels = { "绝密" = "top-secret", ... }
    kind = "marking" | "negative" | "declassification"   # default marking
    description, keywords (prefilter literals), regex, score (base, 0..1)
    ignore_case, canonical (full form: counts in a file name), portion (a portion mark)
    exclude = [regex, ...]           # a hit overlapping the match vetoes it (known traps)
    should_match = [...] ; should_not_match = [...]   # >= 3 each

A catalog file may also say ``disable = ["cn.internal.label", ...]`` at top level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import rtoml

from secscan.match.context_words import SIGNALS, ContextEntry, ContextWords, entry_source
from secscan.match.normalize import fold, normalize
from secscan.model import Level

KINDS = ("marking", "negative", "declassification")
MIN_EXAMPLES = 3
FILE_KEYS = frozenset({"pattern", "context", "disable"})
PATTERN_KEYS = frozenset(
    {
        "id",
        "level",
        "levels",
        "kind",
        "description",
        "keywords",
        "regex",
        "score",
        "ignore_case",
        "canonical",
        "portion",
        "handling",
        "exclude",
        "should_match",
        "should_not_match",
    }
)
CONTEXT_KEYS = frozenset(
    {"id", "signal", "description", "words", "regex", "ignore_case", "should_match", "should_not_match"}
)


class CatalogError(ValueError):
    """A catalog file is unreadable or a pattern in it is malformed."""

    def __init__(self, path: Path | str, pattern_id: str | None, fieldname: str | None, problem: str) -> None:
        where = f"{path}"
        if pattern_id is not None:
            where += f": pattern {pattern_id!r}"
        if fieldname is not None:
            where += f": field {fieldname!r}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Pattern:
    id: str
    level: Level | Mapping[str, Level]
    description: str
    keywords: tuple[str, ...]
    regex_source: str
    flags: int
    score: float
    should_match: tuple[str, ...]
    should_not_match: tuple[str, ...]
    source: Path
    kind: str = "marking"
    canonical: bool = False
    portion: bool = False
    # A handling instruction (严禁外传) that goes with a level: never makes a line a list of levels.
    handling: bool = False
    exclude: tuple[re.Pattern[str], ...] = ()

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: a one-file gate runs a handful of the catalog's patterns, and
        compiling all of them cost more than reading the file (about 60 ms of a 0.2 s scan)."""
        return re.compile(self.regex_source, self.flags)

    def level_of(self, matched: re.Match[str]) -> Level | None:
        """The level a match stands for (None when a from-match word is not in ``levels``)."""
        if isinstance(self.level, Level):
            return self.level
        # The first named group that took part (``level``, or an alternative's own group).
        word = next((v for v in matched.groupdict().values() if v), matched.group())
        return self.level.get(level_key(word))


@dataclass(frozen=True)
class Catalog:
    patterns: tuple[Pattern, ...] = ()
    disabled: frozenset[str] = field(default_factory=frozenset)
    contexts: tuple[ContextEntry, ...] = ()
    words: ContextWords = field(default_factory=lambda: ContextWords({}), compare=False)

    def get(self, rule_id: str) -> Pattern | None:
        return next((p for p in self.patterns if p.id == rule_id), None)


@dataclass(frozen=True)
class CatalogFile:
    """What one catalog file holds."""

    patterns: list[Pattern]
    contexts: list[ContextEntry]
    disable: list[str]


_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


def level_key(word: str) -> str:
    """How a level word is looked up: normalised, folded, upper-case, no spaces."""
    return "".join(fold(normalize(word).text).upper().split()).translate(_DASHES)


def builtin_dir() -> Path:
    """The shipped catalog: ``secscan/patterns`` in a wheel, ``<repo>/patterns`` in a source tree."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "patterns"
    return packaged if packaged.is_dir() else package.parent / "patterns"


def load_catalog(extra_dirs: Sequence[Path] = ()) -> Catalog:
    """Built-in patterns plus those in ``extra_dirs``; a user file may add patterns or disable ones."""
    patterns: dict[str, Pattern] = {}
    contexts: dict[str, ContextEntry] = {}
    disabled: set[str] = set()
    for directory in (builtin_dir(), *extra_dirs):
        files = sorted(Path(directory).glob("*.toml")) if Path(directory).is_dir() else [Path(directory)]
        for path in files:
            loaded = load_file(path, check_regexes=directory != builtin_dir())
            disabled.update(loaded.disable)
            ids = [p.id for p in loaded.patterns] + [c.id for c in loaded.contexts]
            for item_id in ids:
                if (item_id in patterns or item_id in contexts) and directory == builtin_dir():
                    raise CatalogError(path, item_id, "id", "duplicate id in the built-in catalog")
            patterns.update((p.id, p) for p in loaded.patterns)
            contexts.update((c.id, c) for c in loaded.contexts)
    kept = tuple(p for key, p in patterns.items() if key not in disabled)
    kept_contexts = tuple(c for key, c in contexts.items() if key not in disabled)
    return Catalog(kept, frozenset(disabled), kept_contexts, ContextWords.build(kept_contexts))


def load_file(path: Path, check_regexes: bool = True) -> CatalogFile:
    """The patterns, context words and ``disable`` list of one catalog file."""
    try:
        data = rtoml.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    except (rtoml.TomlParsingError, UnicodeDecodeError) as exc:
        raise CatalogError(path, None, None, f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise CatalogError(path, None, unknown[0], f"unknown key (known: {', '.join(sorted(FILE_KEYS))})")
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise CatalogError(path, None, "disable", "must be a list of pattern ids")
    raw = data.get("pattern", [])
    if not isinstance(raw, list):
        raise CatalogError(path, None, "pattern", "use [[pattern]] tables")
    raw_contexts = data.get("context", [])
    if not isinstance(raw_contexts, list):
        raise CatalogError(path, None, "context", "use [[context]] tables")
    return CatalogFile(
        [_build(path, entry, index, check_regexes) for index, entry in enumerate(raw)],
        [_build_context(path, entry, index, check_regexes) for index, entry in enumerate(raw_contexts)],
        list(disable),
    )


def _checked_id(path: Path, entry: Any, index: int, known: frozenset[str]) -> str:
    if not isinstance(entry, dict):
        raise CatalogError(path, f"#{index + 1}", None, "not a table")
    pid = entry.get("id")
    if not isinstance(pid, str) or not pid:
        raise CatalogError(path, f"#{index + 1}", "id", "missing or not a string")
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CatalogError(path, pid, unknown[0], "unknown key (a misspelling?)")
    return pid


def _build_context(path: Path, entry: dict[str, Any], index: int, check_regex: bool = True) -> ContextEntry:
    cid = _checked_id(path, entry, index, CONTEXT_KEYS)
    get = _Getter(path, cid, entry)
    signal = get.text("signal")
    if signal not in SIGNALS:
        raise get.fail("signal", f"must be one of {', '.join(SIGNALS)}")
    if ("words" in entry) == ("regex" in entry):
        raise get.fail("words", "give either words or regex")
    words = get.strings("words", minimum=1) if "words" in entry else ()
    source = get.text("regex") if "regex" in entry else None
    pattern, flags = entry_source(words, source, get.boolean("ignore_case"))
    if check_regex:  # the built-in catalog's are compiled by its tests (see _build)
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            raise get.fail("regex", f"invalid regex: {exc}") from None
    return ContextEntry(
        id=cid,
        signal=signal,
        pattern=pattern,
        flags=flags,
        description=get.text("description"),
        should_match=get.strings("should_match", minimum=MIN_EXAMPLES),
        should_not_match=get.strings("should_not_match", minimum=MIN_EXAMPLES),
        source=path,
    )


def _build(path: Path, entry: dict[str, Any], index: int, check_regex: bool = True) -> Pattern:
    pid = _checked_id(path, entry, index, PATTERN_KEYS)
    get = _Getter(path, pid, entry)
    # Multiline: a block is often several lines (a PDF text run, a paragraph with line breaks),
    # and ^ and $ in a pattern mean the line, where "alone on its line" is judged.
    flags = re.MULTILINE | (re.IGNORECASE if get.boolean("ignore_case") else 0)
    kind = get.text("kind", "marking")
    if kind not in KINDS:
        raise CatalogError(path, pid, "kind", f"must be one of {', '.join(KINDS)}")
    return Pattern(
        id=pid,
        level=get.level(),
        description=get.text("description"),
        keywords=get.strings("keywords", minimum=1),
        # The built-in catalog's regexes are compiled by its tests; a user's are compiled here,
        # so a mistake is a catalog error at start, not in the middle of a scan.
        regex_source=get.regex("regex", flags).pattern if check_regex else get.text("regex"),
        flags=flags,
        score=get.score(),
        should_match=get.strings("should_match", minimum=MIN_EXAMPLES),
        should_not_match=get.strings("should_not_match", minimum=MIN_EXAMPLES),
        source=path,
        kind=kind,
        canonical=get.boolean("canonical"),
        portion=get.boolean("portion"),
        handling=get.boolean("handling"),
        exclude=tuple(re.compile(x, flags) for x in get.strings("exclude", minimum=0, regexes=True)),
    )


class _Getter:
    """Typed field access that turns every mistake into a CatalogError naming the field."""

    def __init__(self, path: Path, pid: str, entry: dict[str, Any]) -> None:
        self.path, self.pid, self.entry = path, pid, entry

    def fail(self, name: str, problem: str) -> CatalogError:
        return CatalogError(self.path, self.pid, name, problem)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.entry.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "missing or not a non-empty string")
        return value

    def boolean(self, name: str) -> bool:
        value = self.entry.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def strings(self, name: str, minimum: int, regexes: bool = False) -> tuple[str, ...]:
        value = self.entry.get(name, [] if minimum == 0 else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(name, "missing or not a list of non-empty strings")
        if len(value) < minimum:
            raise self.fail(name, f"needs at least {minimum} entries, has {len(value)}")
        if regexes:
            for item in value:
                self._compile(name, item, 0)
        return tuple(value)

    def regex(self, name: str, flags: int) -> re.Pattern[str]:
        return self._compile(name, self.text(name), flags)

    def _compile(self, name: str, source: str, flags: int) -> re.Pattern[str]:
        try:
            return re.compile(source, flags)
        except re.error as exc:
            raise self.fail(name, f"invalid regex: {exc}") from None

    def score(self) -> float:
        value = self.entry.get("score")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail("score", "missing or not a number between 0 and 1")
        return float(value)

    def level(self) -> Level | Mapping[str, Level]:
        word = self.text("level")
        if word != "from-match":
            return self._parse_level("level", word)
        table = self.entry.get("levels")
        if not isinstance(table, dict) or not table:
            raise self.fail("levels", "a from-match pattern needs a levels table")
        return {level_key(k): self._parse_level("levels", str(v)) for k, v in table.items()}

    def _parse_level(self, name: str, word: str) -> Level:
        try:
            return Level.parse(word)
        except ValueError as exc:
            raise self.fail(name, str(exc)) from None
