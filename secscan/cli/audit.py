"""One run of ``secscan scan`` as an audit the result cache remembers, so an interrupted one can resume.

An audit is named by the real paths it was given and the scan key (``engine/cache.py``): the
same command on the same tree with the same settings is the same audit. Its row in the
cache's small ``audits`` table counts the files done and says whether it ended. Files are
kept in the cache by the workers as they finish, so resuming needs nothing else: the
second run answers the finished files from the cache and reads the rest, and its report
is the one an uninterrupted run writes (a file with a finding is read again, since the
cache keeps no text, which changes the time, not the report).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import click

from secscan.config import ScanConfig
from secscan.engine.cache import ResultCache, audit_id, for_process
from secscan.engine.reuse import run_known_first
from secscan.inputs.walk import WalkEntry
from secscan.model import FileResult

ScanAll = Callable[[Iterable[WalkEntry]], Iterator[list[FileResult]]]
_SAVE_EVERY = 2.0  # seconds between progress writes: cheap enough, and a resume knows where it was


@dataclass
class Audit:
    cache: ResultCache
    audit_id: str
    total: int
    done: int = 0
    saved: float = field(default_factory=time.monotonic)

    @classmethod
    def begin(cls, paths: list[str], total: int, config: ScanConfig, resume: bool) -> Audit | None:
        """The audit of ``paths`` (None without a cache: every file is read); says what ``--resume`` finds."""
        if config.cache is None:
            return None
        cache = for_process(config.cache.folder, config.cache.key, config.cache.redact)
        if cache is None:
            click.echo(
                f"secscan: note: the result cache in {config.cache.folder} cannot be opened; every file is "
                "read (check the folder's permissions, or set SECSCAN_CACHE_DIR)",
                err=True,
            )
            return None
        ident = audit_id(paths, config.cache.key)
        before = cache.audit_started(ident, total)
        if resume:
            if before is None or before[1]:
                click.echo(
                    f"secscan: nothing to resume (no interrupted audit {ident} of these paths with these "
                    "settings); scanning everything, with the cache",
                    err=True,
                )
            else:
                click.echo(
                    f"secscan: resuming audit {ident}: {before[0]:,} of {total:,} files were done before it "
                    "stopped; those unchanged come from the cache",
                    err=True,
                )
        return cls(cache, ident, total)

    def results(
        self,
        entries: Iterable[WalkEntry],
        scan_all: Callable[[Iterable[WalkEntry]], Iterator[list[FileResult]]],
    ) -> Iterator[list[FileResult]]:
        """``scan_all``'s results, with unchanged files answered from the cache; progress kept as it goes."""
        try:
            for batch in run_known_first(entries, self.cache.known, scan_all):
                self.done += 1
                if time.monotonic() - self.saved > _SAVE_EVERY:
                    self.cache.audit_progress(self.audit_id, self.done)
                    self.saved = time.monotonic()
                yield batch
        except BaseException:  # Ctrl-C, SIGTERM: say how to pick it up again
            self.cache.audit_progress(self.audit_id, self.done)
            if self.done < self.total:
                click.echo(
                    f"secscan: audit {self.audit_id} stopped after {self.done:,} of {self.total:,} files; "
                    "run the same command with --resume to continue",
                    err=True,
                )
            raise

    def finish(self) -> None:
        self.cache.audit_progress(self.audit_id, self.done, ended=True)
