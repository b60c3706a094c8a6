"""SARIF ``reportingDescriptor`` objects (rules) for the rules a scan reported.

Only rules that occur in the log are listed, described from the catalog
(description, what it matches and what it must not match) so a reviewer in
GitHub sees why a marking counts; a rule the catalog does not know (a custom
pattern folder not passed to the reporter) is described from its findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from secscan.model import Finding, Level, RuleBook

# GitHub ranks alerts by this CVSS-like score (string, 0.0-10.0): "critical" >= 9, "high" >= 7.
SECURITY_SEVERITY = {
    Level.TOP_SECRET: "9.5",
    Level.SECRET: "8.0",
    Level.CONFIDENTIAL: "6.0",
    Level.INTERNAL: "3.0",
    Level.NONE: "0.0",
}
SARIF_LEVEL = {
    Level.TOP_SECRET: "error",
    Level.SECRET: "error",
    Level.CONFIDENTIAL: "warning",
    Level.INTERNAL: "warning",
    Level.NONE: "note",
}
EXAMPLES_SHOWN = 5


def rule_descriptors(
    findings: Iterable[Finding], catalog: RuleBook | None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The rules in first-seen order, and each rule id's index in that list."""
    highest: dict[str, Level] = {}
    described: dict[str, str] = {}
    for finding in findings:
        level = max(finding.level, finding.original_level or Level.NONE)
        highest[finding.rule] = max(highest.get(finding.rule, Level.NONE), level)
        described.setdefault(finding.rule, finding.description)
    rules = [_descriptor(rule, highest[rule], described[rule], catalog) for rule in highest]
    return rules, {rule: i for i, rule in enumerate(highest)}


def _descriptor(rule: str, level: Level, description: str, catalog: RuleBook | None) -> dict[str, Any]:
    pattern = catalog.get(rule) if catalog is not None else None
    text = (pattern.description if pattern else "") or description or f"Marking rule {rule}"
    matches = list(pattern.should_match[:EXAMPLES_SHOWN]) if pattern else []
    not_matches = list(pattern.should_not_match[:EXAMPLES_SHOWN]) if pattern else []
    return {
        "id": rule,
        "name": _camel(rule),
        "shortDescription": {"text": _first_sentence(text)},
        "fullDescription": {"text": text},
        "help": {
            "text": _help_text(text, matches, not_matches),
            "markdown": _help_markdown(text, matches, not_matches),
        },
        "defaultConfiguration": {"level": SARIF_LEVEL[level]},
        "properties": {
            "tags": ["security", "classification-marking"],
            "security-severity": SECURITY_SEVERITY[level],
            "secscanLevel": level.label,
        },
    }


def _camel(rule: str) -> str:
    words = rule.replace("-", ".").replace("_", ".").split(".")
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def _first_sentence(text: str) -> str:
    for stop in (". ", "。"):
        if stop in text:
            return text.split(stop, 1)[0] + stop.strip()
    return text


def _help_text(text: str, matches: list[str], not_matches: list[str]) -> str:
    lines = [text]
    if matches:
        lines.append("Matches, for example: " + " | ".join(matches))
    if not_matches:
        lines.append("Does not match (mentions, not markings): " + " | ".join(not_matches))
    return "\n".join(lines)


def _help_markdown(text: str, matches: list[str], not_matches: list[str]) -> str:
    lines = [_md(text)]
    if matches:
        lines += ["", "**Matches, for example:**", *(f"- `{_code(m)}`" for m in matches)]
    if not_matches:
        lines += [
            "",
            "**Does not match (mentions, not markings):**",
            *(f"- `{_code(m)}`" for m in not_matches),
        ]
    return "\n".join(lines)


def _md(text: str) -> str:
    # Help is shown by GitHub as Markdown: keep catalog text literal, never markup.
    return "".join("\\" + ch if ch in "\\`*_{}[]<>#|!" else ch for ch in text)


def _code(text: str) -> str:
    return text.replace("`", "'").replace("\n", " ")
