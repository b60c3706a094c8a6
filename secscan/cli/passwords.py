"""Passwords an auditor supplies (``--password-file``) to open encrypted files.

One password per line, UTF-8 (a BOM is allowed). A line whose first character
is ``#`` is a comment and an empty line is ignored; nothing else is trimmed,
because real passwords start and end with spaces (the corpus has one that is
four spaces). Passwords never leave the process and are never reported.
"""

from __future__ import annotations

from pathlib import Path


class PasswordFileError(ValueError):
    """The password file could not be read; ``str()`` is a one-line reason."""


def load_password_file(path: str | Path) -> tuple[str, ...]:
    """The passwords in ``path``, in file order, without duplicates."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise PasswordFileError(f"cannot read password file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PasswordFileError(f"password file {path} is not UTF-8") from None
    lines = (line.rstrip("\r") for line in text.split("\n"))
    return tuple(dict.fromkeys(line for line in lines if line and not line.startswith("#")))
