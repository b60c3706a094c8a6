"""Exceptions that extractors raise to say why a file could not be read.

The pipeline turns each into a one-line ``error`` entry of the report (exit 2):
secscan fails closed, so none of these may ever end as ``clean``.
"""

from __future__ import annotations

import os

DEBUG_ENV = "SECSCAN_DEBUG"  # "1": keep the full traceback of every failure (the CLI's --debug sets it)


class ScanError(Exception):
    """A file could not be scanned; ``str(error)`` is the one-line reason."""


class EncryptedError(ScanError):
    """The file, or a part of it, is encrypted and no supplied password opened it."""

    def __init__(self, what: str = "file", openable: bool = True) -> None:
        # Only suggest a password file where secscan can decrypt: elsewhere the hint would send a user
        # hunting for a password that cannot help.
        hint = (
            "supply its password in a password file"
            if openable
            else "secscan cannot decrypt it; check it by hand"
        )
        super().__init__(f"encrypted, not inspected ({what}); {hint}")


class LimitExceeded(ScanError):
    """A configured limit (size, expansion, ratio, depth, members, time) was passed."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"over a limit: {detail}")


class CorruptFile(ScanError):
    """The bytes do not form a readable file of the detected type."""


class MissingEngine(ScanError):
    """An optional engine (OCR, a format library) is not installed."""


def brief(exc: BaseException, limit: int = 160) -> str:
    """One bounded line that says what went wrong, for a report: the message, else the type."""
    text = " ".join(str(exc).split())
    return text[:limit] if text else type(exc).__name__


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV) == "1"


def trace(exc: BaseException) -> str | None:
    """The full traceback of ``exc`` when debugging, else None (reports stay one line per failure)."""
    if not debugging():
        return None
    import traceback  # only under --debug: 4 ms of every start-up otherwise

    return "".join(traceback.format_exception(exc))
