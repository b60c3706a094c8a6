"""Run every pattern's own examples through the real normalize + match.

Patterns carry their proof (``should_match`` / ``should_not_match``). Each
example is split into lines, one body block per line on page 1, the way a
short document would arrive. A marking pattern must produce a finding of its
own rule for every ``should_match`` and none for a ``should_not_match``; a
negative or declassification pattern must match its examples (and leave no
finding above ``none``) and must not match the counter-examples. Used by
``secscan patterns test`` and by ``tests/test_patterns.py``.
"""

from __future__ import annotations

from secscan.match.catalog import Catalog, Pattern
from secscan.match.context_words import ContextEntry, fires
from secscan.match.matcher import match
from secscan.match.normalize import fold, normalize
from secscan.model import Level, MatchOutcome, TextBlock


def blocks_of(example: str) -> list[TextBlock]:
    return [TextBlock(line, part="body", page=1, line=n) for n, line in enumerate(example.split("\n"), 1)]


def check_example(pattern: Pattern, catalog: Catalog, example: str, expected: bool) -> str | None:
    """A failure message, or None when the example behaves as declared."""
    outcome = match(blocks_of(example), catalog)
    if pattern.kind == "marking":
        got = _own(pattern, outcome)
        problem = _describe(outcome) if expected != got else None
    else:
        got = any(pattern.regex.search(fold(normalize(line).text)) for line in example.split("\n"))
        high = [f for f in outcome.findings if f.level > Level.NONE]
        problem = None
        if expected != got:
            problem = "regex did not match" if expected else "regex matched"
        elif expected and high:
            problem = f"left a finding above none: {_describe(outcome)}"
    if problem is None:
        return None
    verb = "should match" if expected else "should not match"
    return f"{pattern.source.name}: {pattern.id}: {verb} {example!r}: {problem}"


def _own(pattern: Pattern, outcome: MatchOutcome) -> bool:
    return any(f.rule in (pattern.id, f"{pattern.id}.declassified") for f in outcome.findings)


def _describe(outcome: MatchOutcome) -> str:
    shown = [
        f"{f.rule}={f.level.label}@{f.confidence:.2f} [{', '.join(f.reasons)}]"
        for f in (*outcome.findings, *outcome.suppressed)
    ]
    return "; ".join(shown) or "no candidate at all"


def run_pattern_examples(catalog: Catalog) -> list[str]:
    """Failure messages for every example in ``catalog`` that does not behave as declared."""
    failures: list[str] = []
    for pattern in catalog.patterns:
        for example in pattern.should_match:
            failures.extend(m for m in [check_example(pattern, catalog, example, True)] if m)
        for example in pattern.should_not_match:
            failures.extend(m for m in [check_example(pattern, catalog, example, False)] if m)
    return failures


def check_context_example(entry: ContextEntry, example: str, expected: bool) -> str | None:
    """A failure message, or None when a context entry holds (or not) for its example as declared."""
    if fires(entry, example) == expected:
        return None
    verb = "should fire on" if expected else "should not fire on"
    return f"{entry.source.name}: {entry.id} ({entry.signal}): {verb} {example!r}"


def run_context_examples(catalog: Catalog) -> list[str]:
    """Failure messages for every context entry example that does not behave as declared."""
    return [
        message
        for entry in catalog.contexts
        for expected, examples in ((True, entry.should_match), (False, entry.should_not_match))
        for example in examples
        if (message := check_context_example(entry, example, expected))
    ]
