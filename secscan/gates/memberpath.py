"""Split ``ARCHIVE!MEMBER`` report paths back into the file on disk and the member.

A ``!`` may also be part of an ordinary file name, so the split is decided by
the entries a scan actually produced: the file on disk is the shortest prefix,
cut at a ``!``, that is itself an entry of the same result. The pipeline always
reports an archive before its members, so that prefix is there when it exists.
"""

from __future__ import annotations

from collections.abc import Iterable


class MemberPaths:
    """Answers "which file on disk, which member, which parent" for one scan's paths."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._known = set(paths)

    def split(self, path: str) -> tuple[str, str | None]:
        """``("a.zip", "b.zip!c.pdf")`` for ``a.zip!b.zip!c.pdf``; ``(path, None)`` for a plain file."""
        start = 0
        while (bang := path.find("!", start)) != -1:
            if path[:bang] in self._known:
                return path[:bang], path[bang + 1 :]
            start = bang + 1
        return path, None

    def parent(self, path: str) -> str | None:
        """The entry that ``path`` is a direct member of (``a.zip!b.zip`` for ``a.zip!b.zip!c.pdf``)."""
        end = len(path)
        while (bang := path.rfind("!", 0, end)) != -1:
            if path[:bang] in self._known:
                return path[:bang]
            end = bang
        return None
