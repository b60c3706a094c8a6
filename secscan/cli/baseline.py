"""`secscan baseline`: record today's findings as accepted, so a gate only stops new ones.

Scans like ``secscan scan`` (same config file, excludes, limits) and writes
every finding's fingerprint to a JSON file to commit and review. Writing over
an existing baseline keeps the ``reason`` and ``expires`` already given to the
findings that are still there; findings that are gone drop out. Files that
could not be read are listed on stderr: they cannot be waived, because what
was not read cannot be accepted, and the command exits 2 as scan would.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from secscan.cli.flags import with_flags
from secscan.cli.gating import (
    DEFAULT_BASELINE,
    CommandLineError,
    ConfiguredCommand,
    build_ignorer,
    scan_inputs,
    settings_of,
)
from secscan.cli.options import config_option, exclude_option, reading_options, scan_config_from
from secscan.config import ScanConfig
from secscan.gates.baseline import BaselineError, build_baseline, load_baseline, write_baseline
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult, Status
from secscan.reporters.safe_text import printable


@click.command(cls=ConfiguredCommand)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option(
    "-o",
    "--output",
    "baseline",
    type=click.Path(dir_okay=False),
    help=f"Baseline file to write (default: 'baseline' from the config file, else {DEFAULT_BASELINE}).",
)
@config_option
@exclude_option
@click.option(
    "--staged", is_flag=True, help="Record the staged content of the git repository here instead of PATHs."
)
@click.option(
    "--redact", is_flag=True, help="Do not write the matched text into the baseline, only fingerprints."
)
@reading_options
def baseline(
    paths: tuple[str, ...],
    baseline: str | None,
    config: str | None,
    exclude: tuple[str, ...],
    staged: bool,
    redact: bool,
    jobs: int | None,
    **reading: Any,
) -> None:
    """Record the current findings under PATH as waived (a baseline for --baseline).

    \b
    Then:  secscan scan --baseline .secscan-baseline.json PATH
    Give a waiver a "reason" and an "expires": "YYYY-MM-DD" by editing the file.
    """
    if not paths and not staged:
        raise click.UsageError("give at least one PATH (or --staged)")
    output = Path(baseline or DEFAULT_BASELINE)
    settings = settings_of(click.get_current_context())
    scan_config = scan_config_from(reading)
    ignorer = build_ignorer(paths, exclude, settings, str(output))
    follow, max_size = scan_config.follow_symlinks, scan_config.limits.max_file_size
    with scan_inputs(paths, staged, ignorer, follow, max_size) as (entries, root):
        result = _scan(entries, scan_config, jobs)
    previous = None
    if output.exists():
        try:
            previous = load_baseline(output)
        except BaselineError as exc:
            raise CommandLineError(f"{exc} (move it away to start a new baseline)") from None
    made = build_baseline(result, output.parent, root, previous, redact)
    with open(output, "w", encoding="utf-8", newline="\n") as handle:
        write_baseline(made, handle)
    failed = [f for f in result.files if f.status == Status.ERROR]
    counts = result.summary  # the files given, and the members read inside them, apart
    inside = f" (and {counts.members} member(s) inside them)" if counts.members else ""
    click.echo(
        f"secscan: wrote {len(made.waivers)} waiver(s) for {counts.files} file(s){inside} "
        f"to {printable(str(output))}",
        err=True,
    )
    for entry in failed:
        click.echo(
            f"secscan: could not read {printable(entry.path)}: {printable(with_flags(entry.error or ''))} "
            "(not waivable)",
            err=True,
        )
    sys.exit(2 if failed else 0)


def _scan(entries: list[WalkEntry], config: ScanConfig, jobs: int | None) -> ScanResult:
    from secscan.engine.runner import run, workers_for

    workers = workers_for(jobs, len(entries))
    results: list[FileResult] = [r for batch in run(entries, config, workers) for r in batch]
    return ScanResult(tuple(results))
