"""The command line. Only this package knows about click, flags and exit codes."""

from __future__ import annotations

import importlib
from typing import Any

import click

from secscan import __version__
from secscan.cli.exit_codes import INTERRUPTED

# Each command is imported only when it runs (or --help lists them): a pre-commit gate running
# `secscan scan` does not pay for baseline's, watch's and the cluster's imports.
COMMANDS = {
    "scan": "secscan.cli.scan",
    "baseline": "secscan.cli.baseline",
    "patterns": "secscan.cli.patterns",
    "explain": "secscan.cli.explain",
    "cache": "secscan.cli.cache",
    "watch": "secscan.cli.watch",
}


class _Secscan(click.Group):
    """The command group; Ctrl-C anywhere (loading the catalog, walking) is exit 130, never click's 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("secscan: interrupted (SIGINT)", err=True)
            ctx.exit(INTERRUPTED)


@click.group(cls=_Secscan, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="secscan")
def main() -> None:
    """secscan finds secrecy and classification markings in documents before they are shared.

    \b
    It reads text, Word, PDF, spreadsheets, slides, OFD, e-mail, archives and
    photos (OCR), tells a marking (机密★10年 at the top of a notice, SECRET//NOFORN
    banners) from a mention (a notice about 保守国家秘密), and gates with its exit
    code. Start with:  secscan scan FILE-OR-FOLDER
    """

