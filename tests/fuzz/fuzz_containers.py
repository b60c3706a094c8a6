"""Turn a fuzz input into a container (OLE compound file, ZIP package) that secscan's readers open.

Mutating a whole .doc or .xlsb byte by byte mostly breaks the container's own
checksums and sector chains, so the fuzzer would test olefile and zipfile, not
secscan's parsers. The structured harnesses therefore take a flat list of
named streams (``name_len:u8 name len:u32le data`` repeated) and build a valid
container around it here: every mutation lands inside a stream that secscan's
own code walks. Seeds are real files converted to that list (``streams_of``).

The compound-file writer is minimal but standard (512-byte sectors, a mini
stream for streams under 4096 bytes, a balanced directory tree) because
olefile and xlrd's CompDoc both insist on those; no library writes new
compound files (olefile only rewrites streams in place).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator

_SECTOR, _MINI, _CUTOFF = 512, 64, 4096
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_STREAMS = 256  # keeps a mutated list from building a directory of millions of entries

Streams = dict[tuple[str, ...], bytes]


def encode(streams: Streams) -> bytes:
    """The flat fuzz-input form of ``streams`` (paths joined with '/')."""
    out = bytearray()
    for path, data in streams.items():
        name = "/".join(path).encode("utf-8")[:255]
        out += bytes([len(name)]) + name + struct.pack("<I", len(data)) + data
    return bytes(out)


def decode(blob: bytes) -> Streams:
    """The streams of a fuzz input; lengths past the end are clamped, so every input decodes."""
    streams: Streams = {}
    at = 0
    while at < len(blob) and len(streams) < _MAX_STREAMS:
        size = blob[at]
        name = blob[at + 1 : at + 1 + size].decode("utf-8", "replace")
        at += 1 + size
        (length,) = struct.unpack("<I", blob[at : at + 4].ljust(4, b"\0"))
        at += 4
        path = tuple(part[:31] for part in name.split("/") if part)
        if path:
            streams[path] = blob[at : at + length]
        at += length
    return streams


def streams_of_ole(data: bytes) -> Streams:
    import olefile

    with olefile.OleFileIO(data) as ole:
        return {tuple(path): ole.openstream(path).read() for path in ole.listdir(streams=True)}


def streams_of_zip(data: bytes, cap: int = 64 * 1024) -> Streams:
    """The members of a ZIP, each cut to ``cap`` bytes (pictures are not what is fuzzed here)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            (info.filename,): archive.read(info)[:cap] for info in archive.infolist() if not info.is_dir()
        }


def build_zip(streams: Streams) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path, data in streams.items():
            name = "/".join(path).split("\0", 1)[0]  # zipfile cuts a name at NUL
            if name and not name.endswith("/"):
                archive.writestr(name, data)
    return buffer.getvalue()


class _Chain:
    """Sectors of one size and their allocation table."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data = bytearray()
        self.table: list[int] = []

    def add(self, blob: bytes) -> int:
        if not blob:
            return _END
        count = -(-len(blob) // self.size)
        start = len(self.table)
        self.table.extend(range(start + 1, start + count))
        self.table.append(_END)
        self.data += blob.ljust(count * self.size, b"\0")
        return start


class _Node:
    def __init__(self, name: str, kind: int) -> None:
        self.name, self.kind = name, kind
        self.children: dict[str, _Node] = {}
        self.start, self.size = _END, 0
        self.left = self.right = self.child = _NOSTREAM
        self.sid = 0
        self.payload = b""


def build_cfb(streams: Streams) -> bytes:
    """A version-3 compound file holding ``streams`` (storages made from the paths)."""
    root = _Node("Root Entry", 5)
    for path, data in streams.items():
        node = root
        for name in path[:-1]:
            node = node.children.setdefault(name, _Node(name, 1))
            if node.kind != 1:
                break  # a stream and a storage of the same name: the first one wins
        else:
            leaf = node.children.setdefault(path[-1], _Node(path[-1], 2))
            if leaf.kind == 2:
                leaf.payload, leaf.size = data, len(data)
    return _write(root)


def _nodes(node: _Node) -> Iterator[_Node]:
    yield node
    for child in node.children.values():
        yield from _nodes(child)


def _write(root: _Node) -> bytes:
    nodes = list(_nodes(root))
    for sid, node in enumerate(nodes):
        node.sid = sid
    big, mini = _Chain(_SECTOR), _Chain(_MINI)
    for node in nodes:
        if node.kind == 2 and node.payload:
            node.start = mini.add(node.payload) if node.size < _CUTOFF else big.add(node.payload)
    root.start, root.size = big.add(bytes(mini.data)), len(mini.data)
    minifat = big.add(_table(mini.table, _SECTOR)) if mini.table else _END
    for node in nodes:
        node.child = _tree(sorted(node.children.values(), key=lambda n: (len(n.name), n.name.upper())))
    directory = b"".join(map(_entry, nodes))
    directory += _entry(None) * (-len(nodes) % (_SECTOR // 128))
    dir_start = big.add(directory)
    fat_count = 0
    while (len(big.table) + fat_count) > fat_count * (_SECTOR // 4):
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a compound file without a DIFAT")
    fat_sectors = list(range(len(big.table), len(big.table) + fat_count))
    table = big.table + [_FATSECT] * fat_count
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_count,
        dir_start,
        0,
        _CUTOFF,
        minifat,
        -(-len(mini.table) * 4 // _SECTOR),
        _END,
        0,
    )
    difat = struct.pack("<109I", *(fat_sectors + [_FREE] * (109 - fat_count)))
    return header + difat + bytes(big.data) + _table(table, _SECTOR)


def _tree(children: list[_Node]) -> int:
    """The sid of a balanced binary tree over ``children`` (already in directory order)."""
    if not children:
        return _NOSTREAM
    middle = len(children) // 2
    node = children[middle]
    node.left, node.right = _tree(children[:middle]), _tree(children[middle + 1 :])
    return node.sid


def _table(entries: list[int], sector: int) -> bytes:
    raw = struct.pack(f"<{len(entries)}I", *entries)
    return raw + b"\xff" * (-len(raw) % sector)


def _entry(node: _Node | None) -> bytes:
    if node is None:
        return struct.pack(
            "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"", 0, 0, 0, 0, 0
        )
    name = node.name.encode("utf-16-le")[:62]
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,
        node.kind,
        1,
        node.left,
        node.right,
        node.child,
        b"\0" * 16,
        0,
        0,
        0,
        node.start,
        node.size,
    )
