"""Waivers: a baseline file of known, accepted findings (`secscan baseline`, `--baseline`).

A finding is identified by a fingerprint that survives edits (the habit of
detect-secrets): sha256 of the rule id, the file's path (with the member path
for archive members) and the normalised matched text, with no line number. The
path is taken relative to the folder of the baseline file, so a waiver holds
whether the scan was started as ``secscan scan .``, ``secscan scan docs`` or by
a hook that names each file. Each waiver may carry a ``reason`` and an
``expires`` date (YYYY-MM-DD); after that date it no longer applies.

Standard library only: the file is small JSON meant to be reviewed in a diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from secscan import __version__
from secscan.gates.memberpath import MemberPaths
from secscan.match.normalize import normalize
from secscan.model import ScanResult

SCHEMA = "secscan.gates.baseline/1"


class BaselineError(ValueError):
    """The baseline file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Waiver:
    fingerprint: str
    rule: str
    path: str
    level: str
    match: str = ""
    reason: str = ""
    expires: date | None = None

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


@dataclass(frozen=True)
class Baseline:
    waivers: tuple[Waiver, ...] = ()
    source: Path | None = None

    def active(self, today: date) -> dict[str, Waiver]:
        return {w.fingerprint: w for w in self.waivers if w.active(today)}

    def expired(self, today: date) -> list[Waiver]:
        return [w for w in self.waivers if not w.active(today)]


def fingerprint(rule: str, path: str, match: str) -> str:
    """The identity of a finding: rule + path (member path included) + normalised match."""
    basis = "\0".join((rule, path, normalize(match).text))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


class PathKeys:
    """Turns report paths into the baseline's paths: relative to the baseline's folder, with '/'."""

    def __init__(self, result: ScanResult, base_dir: Path, path_root: Path) -> None:
        self._members = MemberPaths(f.path for f in result.files)
        self._base = os.path.abspath(base_dir)
        self._root = os.path.abspath(path_root)

    def __call__(self, path: str) -> str:
        on_disk, member = self._members.split(path)
        if on_disk != "-":
            absolute = os.path.normpath(os.path.join(self._root, on_disk))
            on_disk = os.path.relpath(absolute, self._base).replace(os.sep, "/")
        return on_disk if member is None else f"{on_disk}!{member}"


def build_baseline(
    result: ScanResult,
    base_dir: Path,
    path_root: Path,
    previous: Baseline | None = None,
    redact: bool = False,
) -> Baseline:
    """A baseline of every current finding, keeping the reason and expiry of waivers already known."""
    keys = PathKeys(result, base_dir, path_root)
    known = {w.fingerprint: w for w in previous.waivers} if previous else {}
    waivers: dict[str, Waiver] = {}
    for file_result in result.files:
        path = keys(file_result.path)
        for finding in (*file_result.findings, *file_result.waived):
            key = fingerprint(finding.rule, path, finding.match)
            old = known.get(key)
            waivers[key] = Waiver(
                key,
                finding.rule,
                path,
                finding.level.label,
                "" if redact else finding.match,
                old.reason if old else "",
                old.expires if old else None,
            )
    ordered = sorted(waivers.values(), key=lambda w: (w.path, w.rule, w.fingerprint))
    return Baseline(tuple(ordered), previous.source if previous else None)


def write_baseline(baseline: Baseline, out: TextIO) -> None:
    document = {
        "schema": SCHEMA,
        "generated_by": f"secscan {__version__}",
        "waivers": [_waiver_to_dict(w) for w in baseline.waivers],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def load_baseline(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise BaselineError(f'baseline {path} is not a secscan baseline (expected "schema": "{SCHEMA}")')
    entries = document.get("waivers")
    if not isinstance(entries, list):
        raise BaselineError(f'baseline {path}: "waivers" must be a list')
    return Baseline(tuple(_waiver_from_dict(e, i, path) for i, e in enumerate(entries)), path)


def _waiver_to_dict(waiver: Waiver) -> dict[str, Any]:
    return {
        "fingerprint": waiver.fingerprint,
        "rule": waiver.rule,
        "path": waiver.path,
        "level": waiver.level,
        "match": waiver.match,
        "reason": waiver.reason,
        "expires": waiver.expires.isoformat() if waiver.expires else None,
    }


def _waiver_from_dict(entry: object, index: int, path: Path) -> Waiver:
    where = f"baseline {path}, waiver {index + 1}"
    if not isinstance(entry, dict):
        raise BaselineError(f"{where}: must be an object")
    key = entry.get("fingerprint")
    if not (isinstance(key, str) and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
        raise BaselineError(f'{where}: "fingerprint" must be 64 lower-case hex digits')
    expires = entry.get("expires")
    if expires is not None:
        try:
            expires = date.fromisoformat(str(expires))
        except ValueError:
            raise BaselineError(f'{where}: "expires" must be a date YYYY-MM-DD, not {expires!r}') from None
    text = {name: str(entry.get(name) or "") for name in ("rule", "path", "level", "match", "reason")}
    return Waiver(key, text["rule"], text["path"], text["level"], text["match"], text["reason"], expires)


def describe_expired(waivers: Iterable[Waiver]) -> str:
    """One line for the terminal about waivers that no longer apply."""
    items = list(waivers)
    shown = ", ".join(f"{w.rule} in {w.path} (expired {w.expires})" for w in items[:3])
    more = f" and {len(items) - 3} more" if len(items) > 3 else ""
    return f"{len(items)} waiver{'s' if len(items) != 1 else ''} expired and no longer apply: {shown}{more}"
