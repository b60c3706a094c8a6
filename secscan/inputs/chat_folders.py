"""Where WeChat and WeCom keep the files and pictures a user receives, per platform.

These are the clients' default locations (an account folder, ``wxid_…`` or a hash, sits
in the middle and is matched with ``*``). A user who moved the storage folder in the
client's settings gives that folder as a PATH instead. Only the received-file and image
folders are listed, not the whole profile: the message databases beside them change on
every message and hold no documents. docs/watch.md lists the same table for users.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# (client, platform prefix of sys.platform, pattern under the home folder)
_WIN_WECHAT = "Documents/WeChat Files/*/FileStorage"
_LOCATIONS: tuple[tuple[str, str, str], ...] = (
    ("WeChat 3 files", "win32", f"{_WIN_WECHAT}/File"),
    ("WeChat 3 images", "win32", f"{_WIN_WECHAT}/Image"),
    ("WeChat 3 attachments", "win32", f"{_WIN_WECHAT}/MsgAttach"),
    ("WeChat 4 files", "win32", "Documents/xwechat_files/*/msg/file"),
    ("WeChat 4 images", "win32", "Documents/xwechat_files/*/msg/attach"),
    ("WeCom files", "win32", "Documents/WXWork/*/Cache/File"),
    ("WeCom images", "win32", "Documents/WXWork/*/Cache/Image"),
    (
        "WeChat 3 (Mac) files and images",
        "darwin",
        "Library/Containers/com.tencent.xinWeChat/Data/Library/Application Support/"
        "com.tencent.xinWeChat/*/*/Message/MessageTemp",
    ),
    (
        "WeChat 4 (Mac) files",
        "darwin",
        "Library/Containers/com.tencent.xinWeChat/Data/Documents/xwechat_files/*/msg/file",
    ),
    (
        "WeChat 4 (Mac) images",
        "darwin",
        "Library/Containers/com.tencent.xinWeChat/Data/Documents/xwechat_files/*/msg/attach",
    ),
    (
        "WeCom (Mac) files",
        "darwin",
        "Library/Containers/com.tencent.WeWorkMac/Data/Documents/Profiles/*/Caches/Files",
    ),
    ("WeChat 4 (Linux) files", "linux", "Documents/xwechat_files/*/msg/file"),
    ("WeChat 4 (Linux) images", "linux", "Documents/xwechat_files/*/msg/attach"),
    ("WeChat under Wine files", "linux", "Documents/WeChat Files/*/FileStorage/File"),
    ("WeChat under Wine images", "linux", "Documents/WeChat Files/*/FileStorage/Image"),
    ("WeCom under Wine files", "linux", "Documents/WXWork/*/Cache/File"),
)


def chat_folders(
    home: Path | None = None, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """The existing chat download folders, and a note for each usual location that is missing."""
    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    base = home or _home(platform, env)
    found: list[str] = []
    missing: list[str] = []
    for client, system, pattern in _LOCATIONS:
        if not platform.startswith(system):
            continue
        matches = sorted(m for m in glob.glob(glob.escape(str(base)) + "/" + pattern) if os.path.isdir(m))
        if matches:
            found.extend(m for m in matches if m not in found)
        else:
            missing.append(f"{client}: no folder {base / pattern}")
    return found, missing


def _home(platform: str, env: Mapping[str, str]) -> Path:
    if platform.startswith("win") and env.get("USERPROFILE"):
        return Path(env["USERPROFILE"])
    return Path(env.get("HOME") or os.path.expanduser("~"))
