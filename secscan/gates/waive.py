"""Apply a baseline to a finished scan: waived findings leave ``findings`` for ``waived``.

A waived finding no longer counts for the level, the status or the exit code,
but every report still shows it as waived. Levels roll up through archives (a
zip is as marked as its most marked member), so after waiving, each entry is
re-judged from its own remaining findings and its members', deepest first. An
entry with nothing waived in it or below it is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from secscan.gates.baseline import Baseline, Waiver, fingerprint
from secscan.gates.memberpath import MemberPaths
from secscan.model import FileResult, Finding, Level, ScanResult, Status


@dataclass
class _Members:
    """What the direct members of one entry add up to, after waiving."""

    level: Level = Level.NONE
    flagged: bool = False
    failed: list[FileResult] = field(default_factory=list)
    changed: bool = False


def apply_baseline(
    result: ScanResult, baseline: Baseline, key_of: Callable[[str], str], today: date | None = None
) -> ScanResult:
    """``result`` with the findings the baseline's active waivers cover moved to ``waived``.

    ``key_of`` turns a report path into the baseline's path (see ``baseline.PathKeys``).
    """
    active = baseline.active(today or date.today())
    if not active:
        return result
    paths = MemberPaths(f.path for f in result.files)
    below: dict[str, _Members] = {}
    out: list[FileResult] = []
    for entry in reversed(result.files):  # members come after their archive: deepest first
        judged = _judge(entry, active, key_of(entry.path), below.pop(entry.path, _Members()))
        out.append(judged)
        parent = paths.parent(entry.path)
        if parent is not None:
            agg = below.setdefault(parent, _Members())
            agg.level = max(agg.level, judged.level)
            agg.flagged |= judged.status == Status.FLAGGED
            agg.changed |= judged is not entry
            if judged.status == Status.ERROR:
                agg.failed.insert(0, judged)
    return ScanResult(tuple(reversed(out)))


def _judge(entry: FileResult, active: dict[str, Waiver], path: str, members: _Members) -> FileResult:
    kept: list[Finding] = []
    waived: list[Finding] = []
    for finding in entry.findings:
        waiver = active.get(fingerprint(finding.rule, path, finding.match))
        if waiver is None:
            kept.append(finding)
        else:
            waived.append(replace(finding, reasons=(*finding.reasons, _why(waiver))))
    if not waived and not members.changed:
        return entry
    level = max([*(f.level for f in kept), members.level], default=Level.NONE)
    status, error = _status(entry, bool(kept) or members.flagged, members.failed)
    return replace(
        entry, findings=tuple(kept), waived=(*entry.waived, *waived), level=level, status=status, error=error
    )


def _status(entry: FileResult, flagged: bool, failed: list[FileResult]) -> tuple[Status, str | None]:
    # A flagged entry that carries an error text is one no extractor reads: flagged only
    # by its file name. Without findings it falls back to what it was before: skipped.
    no_extractor = entry.status in (Status.FLAGGED, Status.SKIPPED) and entry.error is not None
    if flagged:
        return Status.FLAGGED, entry.error if no_extractor else None
    if failed:
        first = failed[0]
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        return Status.ERROR, f"member {first.path.rsplit('!', 1)[-1]}: {first.error}{more}"
    if no_extractor:
        return Status.SKIPPED, entry.error
    if entry.status == Status.ERROR:
        return entry.status, entry.error
    return Status.CLEAN, None


def _why(waiver: Waiver) -> str:
    text = "waived by baseline"
    if waiver.reason:
        text += f": {waiver.reason}"
    if waiver.expires is not None:
        text += f" (until {waiver.expires.isoformat()})"
    return text
