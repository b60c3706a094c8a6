"""`secscan explain RULE`: what a rule matches, at what level, and its own proof.

Reviewers meet a rule id in a report (``cn.state-secret.marking``) and need to
know why it counts. The answer is the catalog entry itself: description,
level, the examples it must match and the look-alikes it must not, plus the
page of ``docs/markings/`` that explains the convention. Without a RULE the
command lists every rule. A misspelt id is an error (exit 2) that suggests the
closest ids (difflib).

The docs page comes from citations, not from a table here: first the
``docs/markings/...md#anchor`` citations in the rule's description, then the
one in the leading comment of its pattern file, so a new pattern family
documents itself by citing its page. The pages ship inside the wheel
(``secscan/docs/markings``, as ``patterns/`` does), so the command also prints
the local path a user without the source tree can open.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

import click

from secscan.cli.gating import CommandLineError, catalog_from
from secscan.cli.options import patterns_option
from secscan.match.catalog import Catalog, Pattern
from secscan.model import Level

CITATION = re.compile(r"docs/markings/[\w-]+\.md(?:#[\w-]+)?")
INDEX_PAGE = "docs/markings/README.md"


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
        "",
        *_reference_lines(references(pattern)),
    ]
    return "\n".join(lines)


def references(pattern: Pattern) -> list[str]:
    """The docs citations that explain ``pattern``: its description's, then its pattern file's page."""
    cited = CITATION.findall(pattern.description)
    page = family_page(pattern.source)
    # The file's page adds nothing when the description already cites a section of it.
    if not any(c.split("#")[0] == page.split("#")[0] for c in cited):
        cited.append(page)
    return list(dict.fromkeys(cited))


def family_page(source: Path) -> str:
    """The page cited in the leading comment of a pattern file; the index when it cites none."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        return INDEX_PAGE
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        found = CITATION.search(line)
        if found:
            return found.group(0)
    return INDEX_PAGE


def docs_root() -> Path:
    """Where ``docs/markings`` is on this machine: in the wheel, else in the source tree."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "docs"
    return packaged if packaged.is_dir() else package.parent / "docs"


def _reference_lines(citations: list[str]) -> list[str]:
    root = docs_root()
    lines = [f"  {'docs:' if i == 0 else '':13}{c}" for i, c in enumerate(citations)]
    local = root / citations[0].split("#")[0].removeprefix("docs/")
    if local.is_file():
        lines.append(f"  local copy:  {local}")
    else:
        lines.append("  local copy:  not installed; the page is in docs/markings/ of the secscan source")
    return lines


def _example(text: str) -> str:
    return "    " + text.replace("\n", "\n    | ")
