"""Label versus visible marking: a document whose metadata says one level and whose pages show another.

A file labelled Public (an MSIP label, a 密级 property, a PDF Info key) whose first page says
机密★10年 is the file an auditor most needs to see: the label is what mail gateways and DLP read,
the page is what the reader sees. Reported when the document shows a visible marking and its
label names a different level (docs/markings/corporate.md). Pure function of the match outcome.
"""

from __future__ import annotations

from secscan.model import Finding, LabelMismatch, Level, MatchOutcome

NOT_VISIBLE = frozenset({"metadata", "filename"})


def label_mismatch(outcome: MatchOutcome) -> LabelMismatch | None:
    """The disagreement between the highest stated label and the highest visible marking, if any."""
    if not outcome.labels:
        return None
    visible = [f for f in outcome.findings if f.location.part not in NOT_VISIBLE and f.level > Level.NONE]
    if not visible:
        return None
    label = max(outcome.labels, key=lambda item: item.level)
    shown = max(visible, key=lambda f: (f.level, f.confidence))
    if shown.level == label.level:
        return None
    return LabelMismatch(label.level, label.text, shown.level, f"{_where(shown)}: {shown.match}")


def _where(finding: Finding) -> str:
    loc = finding.location
    page = f" page {loc.page}" if loc.page is not None else ""
    line = f" line {loc.line}" if loc.line is not None else ""
    return f"{loc.part}{page}{line}"
