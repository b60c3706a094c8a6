"""The bytes a typed password may be: archive tools on Chinese Windows encode it in the ANSI code page."""

from __future__ import annotations


def password_bytes(passwords: tuple[str, ...]) -> list[bytes]:
    """Each password as UTF-8 and, when different, as GBK.

    ZIP and RAR tools on Chinese Windows encode the password in the ANSI code
    page, so the same typed password is different bytes there.
    """
    candidates: dict[bytes, None] = {}
    for password in passwords:
        candidates.setdefault(password.encode("utf-8"))
        try:
            candidates.setdefault(password.encode("gb18030"))
        except UnicodeEncodeError:
            continue
    return list(candidates)
