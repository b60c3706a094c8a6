"""``secscan cache info|clear``: where the result cache is, what it holds, and how to empty it."""

from __future__ import annotations

import os

import click

from secscan.engine.cache import CACHE_ENV, clear, default_folder, info


@click.group()
def cache() -> None:
    """The result cache: unchanged files are not read again.

    \b
    A file's result is kept (in SQLite, private to you) when it was clean or
    skipped; a file with a finding is read again every time, so the cache holds
    no document text. The folder is $SECSCAN_CACHE_DIR, else your user cache
    folder. 'secscan scan --no-cache' reads everything.
    """


@cache.command("info")
def cache_info() -> None:
    """Where the cache is, its size, and how many files and results it holds."""
    facts = info(default_folder())
    source = f"  (from ${CACHE_ENV})" if os.environ.get(CACHE_ENV) else ""
    click.echo(f"folder:   {facts['folder']}{source}")
    if not facts["exists"]:
        click.echo("database: none yet (the first scan makes it)")
        return
    click.echo(f"database: {facts['database']}  ({facts['bytes']:,} bytes)")
    if "problem" in facts:
        click.echo(f"problem:  {facts['problem']} (the next scan rebuilds it)")
        return
    click.echo(f"files:    {facts['files']:,} known by path, size and time")
    click.echo(f"results:  {facts['results']:,} kept (files and members, by content)")
    click.echo(f"audits:   {facts['audits']:,}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete the cache: the next scan reads every file."""
    folder = default_folder()
    freed = clear(folder)
    click.echo(f"cleared {folder} ({freed:,} bytes freed)")
