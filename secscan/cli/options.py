"""The options that ``scan``, ``baseline`` and ``explain`` share, and the one function that turns them
into a ScanConfig, so a baseline is made with the same limits, OCR and links as the gate that uses it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from secscan.cli.settings_values import size_in_bytes
from secscan.config import CacheSettings, Limits, ScanConfig
from secscan.model import Level

F = TypeVar("F", bound=Callable[..., Any])

# Options that scan, baseline and explain share, so their names, types and help cannot drift apart.
config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Use this config file instead of the .secscan.toml / pyproject.toml found above PATH.",
)
exclude_option = click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Do not scan paths matching GLOB (gitignore syntax; repeatable; adds to .secscanignore).",
)
patterns_option = click.option(
    "--patterns",
    "pattern_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Add a folder of your own patterns/*.toml (repeatable); it may disable built-ins by id.",
)
password_file_option = click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Passwords to try on encrypted files, one per line.",
)


class SizeType(click.ParamType[int]):
    """Bytes, or a size with a binary unit (``512M``, ``2G``), as config files already accept."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return size_in_bytes(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


_READING_OPTIONS = (
    patterns_option,
    click.option(
        "--no-ocr", is_flag=True, help="Do not OCR images and scanned pages (they are reported as not read)."
    ),
    click.option(
        "--ocr-engine",
        type=click.Choice(["rapidocr", "tesseract"]),
        default="rapidocr",
        show_default=True,
        help="OCR engine for photos, screenshots and scanned pages.",
    ),
    password_file_option,
    click.option(
        "--max-file-size",
        type=click.IntRange(min=1),
        default=Limits.max_file_size,
        show_default=True,
        help="Largest file (bytes) to read; larger ones are errors.",
    ),
    click.option(
        "--max-expanded-size",
        type=click.IntRange(min=1),
        default=Limits.max_expanded_size,
        show_default=True,
        help="Most bytes one archive may unpack to, all members together.",
    ),
    click.option(
        "--max-ratio",
        type=click.FloatRange(min=1),
        default=Limits.max_ratio,
        show_default=True,
        help="Highest compression ratio a member may have (zip bombs).",
    ),
    click.option(
        "--max-depth",
        type=click.IntRange(min=0),
        default=Limits.max_depth,
        show_default=True,
        help="Deepest nesting of archives in archives.",
    ),
    click.option(
        "--max-members",
        type=click.IntRange(min=1),
        default=Limits.max_members,
        show_default=True,
        help="Most members read from one archive tree.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=Limits.timeout,
        show_default=True,
        help="Seconds allowed per file; a file that takes longer is an error.",
    ),
    click.option(
        "--max-memory",
        type=SizeType(),
        default=Limits.max_memory,
        show_default=True,
        help="Most memory one worker may use on top of its start (bytes, or 512M, 2G); a file that "
        "needs more is an error.",
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="CPUs to use: files scanned in parallel, and OCR threads when there are fewer files"
        " than CPUs (default: the number of CPUs, at most 4).",
    ),
    click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links (loops are detected)."),
    click.option(
        "--no-cache",
        is_flag=True,
        help="Read every file, even one the result cache knows unchanged (cache folder: $SECSCAN_CACHE_DIR, "
        "else the user cache folder; see 'secscan cache info').",
    ),
)


def reading_options(command: F) -> F:
    """What decides how files are read: catalog, OCR, passwords, limits, workers, links."""
    for option in reversed(_READING_OPTIONS):
        command = option(command)
    return command


def scan_config_from(
    params: Mapping[str, Any], ocr_stop_at: Level | None = None, evidence: bool = False
) -> ScanConfig:
    """The ScanConfig the reading options (and ``--show-suppressed``, where a command has it) ask for.

    ``ocr_stop_at`` and ``evidence`` are what the command decided from its output (a gate stops OCR
    at its level, an HTML report wants crops); they are set before the cache key is taken, because
    a result kept without them must not answer a run that needs them.
    """
    from secscan.cli.gating import catalog_from, passwords_from

    limit_names = (
        "max_file_size", "max_expanded_size", "max_ratio", "max_depth", "max_members", "timeout", "max_memory"
    )  # fmt: skip
    config = ScanConfig(
        catalog=catalog_from(params["pattern_dirs"]),
        limits=Limits(**{name: params[name] for name in limit_names}),
        ocr=not params["no_ocr"],
        ocr_engine=params["ocr_engine"],
        passwords=passwords_from(params["password_file"]),
        show_suppressed=bool(params.get("show_suppressed", False)),
        follow_symlinks=params["follow_symlinks"],
        ocr_stop_at=ocr_stop_at,
        evidence=evidence,
    )
    if params.get("no_cache", True):
        return config
    from secscan.engine.cache import default_folder, scan_key

    cache = CacheSettings(str(default_folder()), scan_key(config), redact=bool(params.get("redact", False)))
    return dataclasses.replace(config, cache=cache)
