"""`secscan explain RULE`: what a rule matches, at what level, and its own proof.

Reviewers meet a rule id in a report (``cn.state-secret.marking``) and need to
know why it counts. The answer is the catalog entry itself: description,
level, the examples it must match and the look-alikes it must not. Without a
RULE the command lists every rule. A misspelt id is an error (exit 2) that
suggests the closest ids (difflib).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import click

from secscan.cli.gating import CommandLineError, catalog_from
from secscan.cli.options import patterns_option
from secscan.match.catalog import Catalog, Pattern
from secscan.model import Level


@click.command()
@click.argument("rule", required=False)
@patterns_option
def explain(rule: str | None, pattern_dirs: tuple[str, ...]) -> None:
    """Explain a rule of the catalog: what it matches, its level, and examples.

    Without RULE, list every rule with its level.
    """
    catalog = catalog_from(pattern_dirs)
    if rule is None:
        for listed in catalog.patterns:
            click.echo(f"{listed.id:40} {level_text(listed.level):14} {listed.kind}")
        return
    pattern = catalog.get(rule)
    if pattern is None:
        raise CommandLineError(unknown_rule(rule, catalog))
    click.echo(describe(pattern))


def unknown_rule(rule: str, catalog: Catalog) -> str:
    ids = [p.id for p in catalog.patterns]
    close = difflib.get_close_matches(rule, ids, n=5, cutoff=0.5)
    if not close:
        close = [i for i in ids if rule.lower() in i.lower()][:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else " Run 'secscan explain' to list the rules."
    return f"no rule {rule!r} in the catalog.{hint}"


def level_text(level: Level | Mapping[str, Level]) -> str:
    return level.label if isinstance(level, Level) else "from-match"


def describe(pattern: Pattern) -> str:
    if isinstance(pattern.level, Level):
        level = pattern.level.label
    else:
        words = ", ".join(f"{word} → {lv.label}" for word, lv in pattern.level.items())
        level = f"from the matched word ({words})"
    lines = [
        pattern.id,
        f"  level:       {level}",
        f"  kind:        {pattern.kind}"
        + (" (cancels a marking)" if pattern.kind == "declassification" else "")
        + (" (vetoes look-alikes)" if pattern.kind == "negative" else ""),
        f"  defined in:  {pattern.source}",
        "",
        f"  {pattern.description}",
        "",
        "  Matches, for example:",
        *(_example(text) for text in pattern.should_match),
        "  Does not match (mentions and look-alikes):",
        *(_example(text) for text in pattern.should_not_match),
        "",
        f"  keywords:    {', '.join(pattern.keywords)}",
        f"  regex:       {pattern.regex.pattern}",
        f"  base score:  {pattern.score:.2f}",
    ]
    return "\n".join(lines)


def _example(text: str) -> str:
    return "    " + text.replace("\n", "\n    | ")
