"""The command line. Only this package knows about click, flags and exit codes."""

from __future__ import annotations

from typing import Any

import click

from secscan import __version__
from secscan.cli.baseline import baseline
from secscan.cli.exit_codes import INTERRUPTED
from secscan.cli.explain import explain
from secscan.cli.patterns import patterns
from secscan.cli.scan import scan


class _Secscan(click.Group):
    """The command group; Ctrl-C anywhere (loading the catalog, walking) is exit 130, never click's 1."""

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


for command in (scan, baseline, patterns, explain):
    main.add_command(command)
