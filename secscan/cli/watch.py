"""`secscan watch`: scan each file as it lands in a watched folder (a chat client's downloads).

The folders are watched by ``secscan.inputs.watching`` (which hands a file over once it has
stopped changing); this module turns flags into a ScanConfig, feeds the settled files to the
scanning engine and turns each result into an event: a line on the terminal, a JSON object
appended to a log, a command run per alert, a desktop notification.

One worker process scans the files one at a time, fed by the watcher for as long as the
watch runs (``_scan``). Keeping the worker alive keeps its OCR model loaded: a photo is
read in ~3 s instead of ~5 s with a fresh worker (measured with benchmarks/bench_watch.py),
and the runner's limits (time, memory, crash) still hold for each file. A worker that
passes the memory limit is replaced by the runner, so a days-long watch stays flat.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from secscan.cli.flags import result_with_flags
from secscan.cli.gating import CommandLineError, ConfiguredCommand
from secscan.cli.options import config_option, reading_options, scan_config_from
from secscan.cli.scan import LevelName
from secscan.cli.settings_values import fail_on_level
from secscan.config import ScanConfig
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult, ScanResult, Status
from secscan.reporters import ReportOptions
from secscan.reporters.json import file_to_dict
from secscan.reporters.safe_text import json_inert, printable

EPILOG = """\b
A file is scanned once its size and modification time have not changed for
--settle seconds. At start the files already in the folders are scanned too
(--no-initial: only what arrives from now on). SIGINT or SIGTERM ends the watch
with exit 0 after the file being scanned; an unreadable file is an error event,
never the end of the watch.

\b
Examples:
  secscan watch --wechat                       WeChat and WeCom downloads
  secscan watch --fail-on secret ~/Downloads
  secscan watch -f jsonl -o ~/secscan-events.jsonl --wechat
  secscan watch --exec 'logger -t secscan' --notify /mnt/outbox
  secscan watch --poll /mnt/share/outbox       a network drive
"""
_MAX_RUNNING = 16  # --exec and --notify commands still running before the watch waits for one


@click.command(cls=ConfiguredCommand, epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option(
    "-f",
    "--format",
    "event_format",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="Event format: a terminal line, or one JSON object per line (scan's jsonl entry + event_time).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Append events to FILE (created if missing) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=LevelName(),
    default="internal",
    show_default=True,
    help="Lowest level that raises an alert, in English or Chinese ('never': errors only).",
)
@click.option(
    "--settle",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds a file must stay unchanged (size and mtime) before it is scanned.",
)
@click.option("--poll", is_flag=True, help="Poll for changes (network drives, where native events fail).")
@click.option("--no-initial", is_flag=True, help="Do not scan the files already there at start.")
@click.option("--wechat", is_flag=True, help="Also watch this user's WeChat and WeCom download folders.")
@click.option(
    "--exec",
    "exec_",
    metavar="CMD",
    help="Run CMD per alert (split like a shell would, never run by one), with SECSCAN_PATH, "
    "SECSCAN_LEVEL and SECSCAN_EVENT_TIME in its environment.",
)
@click.option("--notify", is_flag=True, help="Desktop notification per alert (notify-send, where present).")
@reading_options
@click.option(
    "--redact", is_flag=True, help="Report rule and place but never the matched text or its context."
)
@click.option("-v", "--verbose", is_flag=True, help="Also an event for each clean file.")
@config_option
def watch(
    paths: tuple[str, ...],
    event_format: str,
    output: str | None,
    fail_on: str,
    settle: float,
    poll: bool,
    no_initial: bool,
    wechat: bool,
    exec_: str | None,
    notify: bool,
    redact: bool,
    verbose: bool,
    jobs: int | None,
    **reading: Any,
) -> None:
    """Watch folders and scan each new or changed file once it has been written.

    For the folders a chat client or sync tool reads from or writes to: each file
    that arrives is scanned like 'secscan scan' would (same reading options and
    limits), and one event is written per file at or above --fail-on, and per file
    that could not be read.
    """
    roots = list(paths) + _chat_roots(wechat)
    if not roots:
        raise click.UsageError("give at least one folder to watch (or --wechat)")
    if jobs is not None and jobs > 1:
        click.echo("secscan: watch scans one file at a time (one warm worker); -j is ignored", err=True)
    fail_level = fail_on_level(fail_on)
    # An alert needs the level, not every finding: OCR stops at the first marking that alerts
    # (a photo's alert comes seconds sooner); `secscan scan` is the full audit of a file.
    config = scan_config_from(reading, ocr_stop_at=fail_level)
    options = ReportOptions(redact=redact, verbose=verbose, quiet=True, fail_on=fail_level)
    commands = _commands(exec_, notify)
    stop = threading.Event()
    with _ended_by_signals(stop), _open_events(output) as out:
        where = ", ".join(printable(r) for r in roots)
        click.echo(f"secscan: watching {where} (settle {settle:g} s); Ctrl-C to stop", err=True)
        events = _Events(out, event_format, options, commands)
        try:
            for batch in _scan(_settled(roots, settle, poll, not no_initial, config, stop), config):
                events.write(batch)
        except OSError as exc:  # the watch itself failed: too many folders for inotify, a root gone
            raise CommandLineError(f"cannot watch: {exc}; --poll may work where native events fail") from None
        finally:
            events.close()
    click.echo("secscan: watch ended", err=True)


def _scan(entries: Iterable[WalkEntry], config: ScanConfig) -> Iterator[list[FileResult]]:
    """The one call into the scanning engine: each entry's results as soon as it is read.

    ``entries`` is live: it blocks until the next file settles. With one worker the runner
    asks for the next entry only after it has yielded the results of the one in hand, so
    no result waits for a later file (tests/cli/test_watch.py holds it to that).
    """
    from secscan.engine.runner import run

    for results in run(entries, config, 1):
        yield [result_with_flags(r) for r in results]


def _settled(
    roots: list[str], settle: float, poll: bool, initial: bool, config: ScanConfig, stop: threading.Event
) -> Iterator[WalkEntry]:
    from secscan.inputs.watching import Settler, settled_files

    settler = Settler(settle, follow_symlinks=config.follow_symlinks)
    for path in settled_files(roots, settler, stop, poll=poll, initial=initial):
        yield WalkEntry(path, Path(path))


def _chat_roots(wanted: bool) -> list[str]:
    if not wanted:
        return []
    from secscan.inputs.chat_folders import chat_folders

    found, missing = chat_folders()
    for note in missing:
        click.echo(f"secscan: --wechat: skipped {printable(note)}", err=True)
    return found


class _Events:
    """Where each scanned file's events go: the output stream, a command, a notification."""

    def __init__(
        self, out: TextIO, event_format: str, options: ReportOptions, commands: list[list[str]]
    ) -> None:
        self.out, self.format, self.options, self.commands = out, event_format, options, commands
        self.running: list[subprocess.Popen[bytes]] = []

    def write(self, batch: list[FileResult]) -> None:
        first = batch[0]
        if first.status == Status.ERROR and not os.path.lexists(first.path):
            return  # deleted between settling and being read: nothing left to leak
        when = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        shown = [r for r in batch if self._shown(r)]
        if self.format == "jsonl":
            for result in shown:
                entry = {**file_to_dict(result, self.options), "event_time": when}
                self.out.write(json_inert(json.dumps(entry, ensure_ascii=False)) + "\n")
        elif shown:
            from secscan.reporters.text import write

            write(ScanResult(tuple(shown)), self.out, self.options)
        self.out.flush()
        if self._alert(first):
            for argv in self.commands:
                self._run(argv, first, when)

    def _alert(self, result: FileResult) -> bool:
        fail_on = self.options.fail_on
        return fail_on is not None and result.status == Status.FLAGGED and result.level >= fail_on

    def _shown(self, result: FileResult) -> bool:
        return self.options.verbose or self._alert(result) or result.status in (Status.ERROR, Status.SKIPPED)

    def _run(self, argv: list[str], result: FileResult, when: str) -> None:
        self.running = [p for p in self.running if p.poll() is None]
        if len(self.running) >= _MAX_RUNNING:
            self.running.pop(0).wait()
        env = {
            **os.environ,
            "SECSCAN_PATH": result.path,
            "SECSCAN_LEVEL": result.level.label,
            "SECSCAN_EVENT_TIME": when,
        }
        if argv[0] == "notify-send":  # the notification names the file itself
            argv = [*argv, f"secscan: {result.level.label}", result.path]
        try:
            self.running.append(subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL))
        except OSError as exc:
            click.echo(f"secscan: cannot run {printable(argv[0])}: {exc.strerror or exc}", err=True)

    def close(self) -> None:
        """Let commands that are still running finish (briefly): they are the user's, not ours."""
        for process in self.running:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                click.echo(f"secscan: left running: {printable(str(process.args))}", err=True)


def _commands(exec_: str | None, notify: bool) -> list[list[str]]:
    """The commands run per alert: --exec's, split like a shell would (never run by one), and notify-send."""
    commands: list[list[str]] = []
    if exec_ is not None:
        try:
            argv = shlex.split(exec_)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--exec") from None
        if not argv:
            raise click.BadParameter("empty command", param_hint="--exec")
        commands.append(argv)
    if notify and shutil.which("notify-send") is None:
        click.echo("secscan: --notify: notify-send not found; no desktop notifications", err=True)
    elif notify:
        commands.append(["notify-send", "--app-name=secscan"])
    return commands


@contextmanager
def _open_events(output: str | None) -> Iterator[TextIO]:
    """Standard output, or FILE opened for appending: a log of events that outlives each watch."""
    if output is None or output == "-":
        yield sys.stdout
        return
    try:
        handle = open(output, "a", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise CommandLineError(f"cannot append events to {printable(output)}: {exc.strerror}") from None
    with handle:
        yield handle


@contextmanager
def _ended_by_signals(stop: threading.Event) -> Iterator[None]:
    """The first SIGINT or SIGTERM asks the watch to end after the file in hand; a second one ends it now.

    Either way the exit code is 0: a watch is meant to run until it is stopped.
    """

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # unwinds through the runner, which kills its worker
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except KeyboardInterrupt:
        click.echo("secscan: watch stopped at once", err=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
