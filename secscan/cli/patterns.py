"""``secscan patterns``: list the marking catalog and test its examples.

``secscan patterns`` lists every pattern (id, level, description), including
user catalogs given with ``--patterns DIR``; ``secscan patterns test [DIR]...``
runs every pattern's should_match / should_not_match examples through the
real normalize + match and exits 1 on any failure, so a user can prove a
catalog before a scan relies on it.
"""

from __future__ import annotations

from pathlib import Path

import click

from secscan.match.catalog import Catalog, CatalogError, Pattern, load_catalog
from secscan.match.examples import run_context_examples, run_pattern_examples
from secscan.model import Level


def _load(dirs: tuple[Path, ...]) -> Catalog:
    try:
        return load_catalog(dirs)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None


def _level_text(pattern: Pattern) -> str:
    if isinstance(pattern.level, Level):
        return pattern.level.label
    return "from-match"


_DIR = click.Path(exists=True, path_type=Path)


@click.group(invoke_without_command=True)
@click.option(
    "--patterns", "dirs", multiple=True, type=_DIR, help="Also load the catalog in DIR (repeatable)."
)
@click.pass_context
def patterns(ctx: click.Context, dirs: tuple[Path, ...]) -> None:
    """List the marking patterns: id, level, description."""
    ctx.obj = dirs
    if ctx.invoked_subcommand is not None:
        return
    catalog = _load(dirs)
    for pattern in catalog.patterns:
        click.echo(f"{pattern.id:<34} {_level_text(pattern):<13} {pattern.description}")
    click.echo(f"{len(catalog.patterns)} patterns; {len(catalog.disabled)} disabled by id", err=True)


@patterns.command("test")
@click.argument("dirs", nargs=-1, type=_DIR)
@click.pass_context
def test(ctx: click.Context, dirs: tuple[Path, ...]) -> None:
    """Run every pattern's and context table's examples (built-in plus DIRs) and report failures."""
    catalog = _load((*(ctx.obj or ()), *dirs))
    failures = run_pattern_examples(catalog) + run_context_examples(catalog)
    for failure in failures:
        click.echo(failure)
    examples = sum(len(p.should_match) + len(p.should_not_match) for p in catalog.patterns) + sum(
        len(c.should_match) + len(c.should_not_match) for c in catalog.contexts
    )
    click.echo(
        f"{len(catalog.patterns)} patterns, {len(catalog.contexts)} context tables, "
        f"{examples} examples, {len(failures)} failures",
        err=True,
    )
    if failures:
        ctx.exit(1)
