"""`secscan scan`: the command a person, a hook or an auditor runs.

This module only turns flags into a ScanConfig, drives the runner, hands the
result to a reporter and picks the exit code; it holds no scanning logic.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

import click

from secscan.cli.gating import (
    DEFAULT_BASELINE,
    ConfiguredCommand,
    build_ignorer,
    catalog_from,
    config_option,
    exclude_option,
    excluded_entries,
    load_waivers,
    password_file_option,
    passwords_from,
    patterns_option,
    scan_inputs,
    settings_of,
    waive,
)
from secscan.cli.settings_values import fail_on_level
from secscan.config import Limits, ScanConfig
from secscan.gates.verdict import exit_code
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult
from secscan.reporters import REPORTERS, ReportOptions, get_reporter

if TYPE_CHECKING:
    from rich.console import Console


FAIL_ON_CHOICES = ["internal", "confidential", "secret", "top-secret", "never"]

EPILOG = """\b
Exit codes: 0 nothing at or above --fail-on; 1 a marking at or above it;
2 something could not be read (encrypted, corrupt, over a limit) or the
command line was wrong. An unreadable file is never reported as clean.

\b
Examples:
  secscan scan notice.docx                 check one file before sending it
  secscan scan -f json -o audit.json /mnt/share
  secscan scan --fail-on secret ~/WeChat/Files
  cat memo.txt | secscan scan -           scan standard input
  secscan scan -v --show-suppressed f.pdf  see why something was (not) flagged
  secscan scan --quiet --staged            in a git pre-commit hook
  secscan scan --baseline .secscan-baseline.json docs/   only new findings fail

\b
Settings: flags may also come from .secscan.toml or [tool.secscan] in
pyproject.toml, found from the first PATH upwards (or --config FILE); a flag
on the command line wins. See docs/gates.md.
"""


@click.command(cls=ConfiguredCommand, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="internal",
    show_default=True,
    help="Lowest level that makes the exit code 1 ('never': findings never fail the gate).",
)
@patterns_option
@click.option(
    "--show-suppressed",
    is_flag=True,
    help="Also list candidates scored below the threshold, with their score and reasons.",
)
@click.option(
    "--no-ocr", is_flag=True, help="Do not OCR images and scanned pages (they are reported as not read)."
)
@click.option(
    "--ocr-engine",
    type=click.Choice(["rapidocr", "tesseract"]),
    default="rapidocr",
    show_default=True,
    help="OCR engine for photos, screenshots and scanned pages.",
)
@password_file_option
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=Limits.max_file_size,
    show_default=True,
    help="Largest file (bytes) to read; larger ones are errors.",
)
@click.option(
    "--max-expanded-size",
    type=click.IntRange(min=1),
    default=Limits.max_expanded_size,
    show_default=True,
    help="Most bytes one archive may unpack to, all members together.",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1),
    default=Limits.max_ratio,
    show_default=True,
    help="Highest compression ratio a member may have (zip bombs).",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=0),
    default=Limits.max_depth,
    show_default=True,
    help="Deepest nesting of archives in archives.",
)
@click.option(
    "--max-members",
    type=click.IntRange(min=1),
    default=Limits.max_members,
    show_default=True,
    help="Most members read from one archive tree.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=Limits.timeout,
    show_default=True,
    help="Seconds allowed per file; a file that takes longer is an error.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Files scanned in parallel (default: the number of CPUs, at most 4).",
)
@click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links (loops are detected).")
@click.option(
    "--redact", is_flag=True, help="Report rule and place but never the matched text or its context."
)
@click.option("-q", "--quiet", is_flag=True, help="Only one line per flagged or unreadable file.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also clean files, what was read, and why each finding counts."
)
@click.option(
    "--color/--no-color", default=None, help="Force colours on or off (default: on for a terminal)."
)
@config_option
@exclude_option
@click.option(
    "--staged",
    is_flag=True,
    help="Scan what is staged in the git repository here (the index, not the working copy).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help=f"Waive the findings recorded in this file (made by 'secscan baseline'; e.g. {DEFAULT_BASELINE}).",
)
def scan(
    paths: tuple[str, ...],
    format_: str,
    output: str | None,
    fail_on: str,
    pattern_dirs: tuple[str, ...],
    show_suppressed: bool,
    no_ocr: bool,
    ocr_engine: str,
    password_file: str | None,
    max_file_size: int,
    max_expanded_size: int,
    max_ratio: float,
    max_depth: int,
    max_members: int,
    timeout: float,
    jobs: int | None,
    follow_symlinks: bool,
    redact: bool,
    quiet: bool,
    verbose: bool,
    color: bool | None,
    config: str | None,
    exclude: tuple[str, ...],
    staged: bool,
    baseline: str | None,
) -> None:
    """Scan files and folders for secrecy and classification markings.

    PATH may be a file, a folder (walked recursively, in name order) or '-' for
    standard input. Each file is recognised by its bytes, not its name, and its
    text is read everywhere a marking hides: headers, footers, text boxes,
    comments, properties, PDF pages and annotations, pictures (OCR), archive
    members.
    """
    if not paths and not staged:
        raise click.UsageError("give at least one PATH to scan (a file, a folder, or - for standard input)")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH")
    scan_config = ScanConfig(
        catalog=catalog_from(pattern_dirs),
        fail_on=fail_on_level(fail_on),
        limits=Limits(max_file_size, max_expanded_size, max_ratio, max_depth, max_members, timeout),
        ocr=not no_ocr,
        ocr_engine=ocr_engine,
        passwords=passwords_from(password_file),
        show_suppressed=show_suppressed,
        follow_symlinks=follow_symlinks,
    )
    waivers = load_waivers(baseline)
    ignorer = build_ignorer(paths, exclude, settings_of(click.get_current_context()), baseline)
    with (
        scan_inputs(paths, staged, ignorer, follow_symlinks, max_file_size) as (entries, root),
        _open_output(output) as out,
    ):
        options = ReportOptions(
            color=_use_color(color, out),
            redact=redact,
            verbose=verbose,
            quiet=quiet,
            fail_on=scan_config.fail_on,
        )
        batches = _scan_batches(list(paths), entries, scan_config, jobs, show_progress=not quiet)
        gated = (waive(batch, waivers, root) for batch in batches)
        passed_over = excluded_entries(ignorer) if verbose else []
        result = _report(gated, passed_over, format_, out, options)
    sys.exit(exit_code(result, scan_config.fail_on))


def _scan_batches(
    paths: list[str], entries: list[WalkEntry], config: ScanConfig, jobs: int | None, show_progress: bool
) -> Iterator[list[FileResult]]:
    """Each scanned file with its members, as the workers finish them."""
    from secscan.engine.runner import default_jobs, run

    if "-" in paths:
        yield _scan_stdin(config)
    workers = min(jobs or default_jobs(), max(1, len(entries)))
    with _progress(len(entries), show_progress) as advance:
        for file_results in run(entries, config, workers):
            yield list(file_results)
            advance(file_results[0].path)


def _report(
    batches: Iterable[list[FileResult]],
    passed_over: list[FileResult],
    format_: str,
    out: TextIO,
    options: ReportOptions,
) -> ScanResult:
    """Write the report (streaming formats entry by entry) and return the whole result."""
    reporter = get_reporter(format_)
    streaming = hasattr(reporter, "write_file")
    results: list[FileResult] = []
    for batch in itertools.chain(batches, [passed_over]):
        results.extend(batch)
        if streaming:
            for file_result in batch:
                reporter.write_file(file_result, out, options)
    result = ScanResult(tuple(results))
    if streaming:
        reporter.write_summary(result, out, options)
    else:
        reporter.write(result, out, options)
    return result


def _scan_stdin(config: ScanConfig) -> list[FileResult]:
    from secscan.engine.pipeline import scan_bytes

    data = sys.stdin.buffer.read()
    return scan_bytes("-", "", data, config)


def _use_color(forced: bool | None, out: TextIO) -> bool:
    if forced is not None:
        return forced
    if os.environ.get("NO_COLOR"):
        return False
    return out.isatty()


@contextmanager
def _open_output(output: str | None) -> Iterator[TextIO]:
    if output is None or output == "-":
        yield sys.stdout
        return
    with open(output, "w", encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def _progress(total: int, wanted: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for long scans in a terminal; a no-op otherwise."""
    if not (wanted and total > 1 and sys.stderr.isatty()):
        yield lambda _path: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", style="dim"),
    )
    with Progress(*columns, transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("", total=total)

        def advance(path: str) -> None:
            progress.update(task, advance=1, description=path[-60:])

        yield advance


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)
