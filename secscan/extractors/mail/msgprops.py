"""Read MAPI properties from one storage of an Outlook .msg file ([MS-OXMSG]) with olefile.

A property is a stream ``__substg1.0_IIIITTTT`` (id, type: 001F UTF-16LE,
001E 8-bit in the message's code page, 0102 binary) or, for fixed-size values
such as Sensitivity and the code page itself, an entry of the storage's
``__properties_version1.0`` stream.
"""

from __future__ import annotations

import codecs
import struct
from typing import Any

PR_MESSAGE_CODEPAGE = 0x3FFD
PR_INTERNET_CPID = 0x3FDE
_CODEPAGE_NAMES = {65001: "utf-8", 20936: "gb2312", 54936: "gb18030", 936: "gb18030", 28591: "latin-1"}
_MAX_PROPERTY = 64 * 1024 * 1024


class MsgStorage:
    """The properties of the message (path ``[]``) or of one attachment or embedded message."""

    def __init__(self, ole: Any, path: list[str], codepage: str | None = None) -> None:
        self.ole = ole
        self.path = path
        self.header_size = 32 if not path else 24 if path[-1].startswith("__substg1.0_3701") else 8
        self._fixed = self._read_fixed()
        self.codepages = [codepage] if codepage else self._codepages()
        self.codepage = self.codepages[0]

    def stream(self, name: str) -> bytes | None:
        full = [*self.path, name]
        if not self.ole.exists("/".join(full)) or self.ole.get_type(full) != 2:
            return None
        if self.ole.get_size(full) > _MAX_PROPERTY:
            return None
        data: bytes = self.ole.openstream(full).read()
        return data

    def string(self, prop_id: int) -> str | None:
        unicode = self.stream(f"__substg1.0_{prop_id:04X}001F")
        if unicode is not None:
            return unicode.decode("utf-16-le", "replace").rstrip("\x00")
        eight_bit = self.stream(f"__substg1.0_{prop_id:04X}001E")
        if eight_bit is not None:
            return self.decode(eight_bit.rstrip(b"\x00"))
        return None

    def decode(self, data: bytes) -> str:
        """8-bit text: the message code page, else the internet one, else Windows-1252.

        Writers disagree on which code page a string follows (POI's samples
        declare UTF-8 and store Windows-1252), so the first strict decode wins.
        """
        for name in self.codepages:
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                continue
        return data.decode(self.codepages[0], "replace")

    def binary(self, prop_id: int) -> bytes | None:
        return self.stream(f"__substg1.0_{prop_id:04X}0102")

    def long(self, prop_id: int) -> int | None:
        return self._fixed.get(prop_id)

    def children(self, prefix: str) -> list[list[str]]:
        """Sub-storages whose name starts with ``prefix`` (attachments, recipients)."""
        found = {
            tuple(entry[: len(self.path) + 1])
            for entry in self.ole.listdir(streams=True, storages=True)
            if len(entry) > len(self.path)
            and entry[: len(self.path)] == self.path
            and entry[len(self.path)].startswith(prefix)
        }
        return [list(entry) for entry in sorted(found)]

    def _read_fixed(self) -> dict[int, int]:
        data = self.stream("__properties_version1.0") or b""
        values: dict[int, int] = {}
        for offset in range(self.header_size, len(data) - 15, 16):
            prop_type, prop_id, _flags, value = struct.unpack_from("<HHIQ", data, offset)
            if prop_type in (0x0003, 0x000B):  # PT_LONG, PT_BOOLEAN
                values[prop_id] = value & 0xFFFFFFFF
        return values

    def _codepages(self) -> list[str]:
        numbers = [self.long(PR_MESSAGE_CODEPAGE), self.long(PR_INTERNET_CPID)]
        names = [codepage_name(number) for number in numbers if number]
        return list(dict.fromkeys([*names, "cp1252"]))


def codepage_name(number: int) -> str:
    """A Python codec for a Windows code page number (GBK read as GB18030)."""
    name = _CODEPAGE_NAMES.get(number, f"cp{number}")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return "gb18030" if name in ("gb2312", "cp936") else name
