"""WeChat's image cache (``.dat`` files): a picture XORed with one byte.

WeChat for Windows/macOS keeps every picture shown in a chat under
``FileStorage/Image/…/*.dat``, each byte XORed with a per-install key. The key
falls out of the file itself: first byte XOR the format's first magic byte,
confirmed on the following magic bytes, so no key has to be configured.
Newer clients (WeChat 4) write ``\\x07\\x08V1\\x08\\x07``/``V2`` files that are
AES-encrypted; those are recognised and reported as encrypted, never clean.
"""

from __future__ import annotations

# Signatures long enough that a random binary file passes the check by chance
# about once in 2**24 (three bytes) or better.
_IMAGE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF89a", "gif"),
    (b"GIF87a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"RIFF", "webp"),
)
ENCRYPTED_HEADERS = (b"\x07\x08V1\x08\x07", b"\x07\x08V2\x08\x07")


def xor_key(data: bytes) -> tuple[int, str] | None:
    """The XOR key and the hidden image kind, or None when ``data`` is no XORed picture."""
    for magic, kind in _IMAGE_MAGICS:
        if len(data) < max(len(magic), 16):
            continue
        key = data[0] ^ magic[0]
        if key == 0:
            continue  # an unencoded picture, which detect() reports as itself
        if all(data[i] ^ key == magic[i] for i in range(1, len(magic))):
            if kind == "webp" and bytes(b ^ key for b in data[8:12]) != b"WEBP":
                continue
            return key, kind
    return None


def is_encrypted_dat(data: bytes) -> bool:
    return data.startswith(ENCRYPTED_HEADERS)


def looks_like_dat(data: bytes) -> bool:
    return is_encrypted_dat(data) or xor_key(data) is not None


def decode(data: bytes) -> bytes:
    """The picture inside a XOR-encoded ``.dat``; ``data`` unchanged when it is none."""
    found = xor_key(data)
    if found is None:
        return data
    key = found[0]
    return data.translate(bytes(b ^ key for b in range(256)))
