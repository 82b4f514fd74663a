"""Locating benchmark data: a folder, or a folder holding the suite's .tar.gz (extracted once)."""
from __future__ import annotations

import glob
import os
import tarfile

from ..frontend.source import InputError


def cache_dir() -> str:
    base = os.environ.get("OMPWISE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ompwise")
    os.makedirs(base, exist_ok=True)
    return base


def listed_file(data: str, name: str, what: str) -> str:
    """``name`` next to the suite (``data``: its folder, or an archive in it); errors name
    what the user gave, not a path made from it."""
    if not os.path.exists(data):
        raise InputError(f"{data}: error: no such file or directory")
    base = data if os.path.isdir(data) else os.path.dirname(data) or "."
    path = os.path.join(base, name)
    if not os.path.isfile(path):
        raise InputError(f"{data}: error: {what} ({name}) not found in {base}")
    return path


def extracted(path: str, pattern: str = "*.tar.gz") -> str:
    """Return a directory with the suite's files, extracting the archive under the cache if needed."""
    if not os.path.exists(path):
        raise InputError(f"{path}: error: no such file or directory")
    archives = [path] if path.endswith((".tar.gz", ".tgz")) else sorted(glob.glob(os.path.join(path, pattern)))
    if not archives:
        return path
    out = []
    for arc in archives:
        name = os.path.basename(arc).split(".tar")[0]
        dest = os.path.join(cache_dir(), name)
        marker = os.path.join(dest, ".complete")
        if not os.path.exists(marker):
            os.makedirs(dest, exist_ok=True)
            try:
                with tarfile.open(arc) as tf:
                    tf.extractall(dest, filter="data")
            except (OSError, tarfile.TarError) as e:
                raise InputError(f"{arc}: error: cannot extract: {e}") from None
            open(marker, "w").close()
        out.append(dest)
    return out[0] if len(out) == 1 else os.path.commonpath(out)


def find_dir(root: str, name: str) -> str:
    """The first directory called ``name`` below ``root`` (archives wrap their content in a folder)."""
    for d, dirs, _ in os.walk(root):
        if name in dirs:
            return os.path.join(d, name)
        if d.count(os.sep) - root.count(os.sep) > 3:
            dirs[:] = []
    raise InputError(f"{root}: error: no '{name}' folder found")
