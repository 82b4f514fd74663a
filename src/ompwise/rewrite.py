"""Advice -> edited source. Only whole lines are inserted, so deleting them restores the input."""
from __future__ import annotations

from dataclasses import dataclass

from .advise import LoopAdvice


@dataclass(frozen=True)
class Rewrite:
    text: bytes
    inserted_lines: tuple[int, ...]  # 1-based line numbers in the output
    skipped: tuple[tuple[int, str], ...]  # (loop line, why)


def insert_pragmas(source: bytes, advice: list[LoopAdvice]) -> Rewrite:
    eol = b"\r\n" if source.count(b"\r\n") * 2 > source.count(b"\n") else b"\n"
    inserts: list[tuple[int, bytes]] = []
    skipped = []
    for a in advice:
        if a.pragma is None:
            continue
        lp = a.loop
        if not lp.first_on_line or lp.in_macro:
            where = "inside a macro" if lp.in_macro else "on a line shared with other code"
            skipped.append((lp.loc.line, f"the loop is {where} [PLACEMENT]"))
            continue
        prev_end = lp.line_start_byte - 1
        prev_start = source.rfind(b"\n", 0, max(prev_end, 0)) + 1
        prev = source[prev_start:max(prev_end, 0)].rstrip(b"\r")
        if lp.line_start_byte > 0 and prev.endswith(b"\\"):
            skipped.append((lp.loc.line, "previous line continues into the loop (backslash)"))
            continue
        inserts.append((lp.line_start_byte, lp.indent.encode() + a.pragma.encode() + eol))
    inserts.sort()
    out = bytearray()
    pos = 0
    lines = []
    for off, text in inserts:
        out += source[pos:off]
        lines.append(out.count(b"\n") + 1)
        out += text
        pos = off
    out += source[pos:]
    return Rewrite(bytes(out), tuple(lines), tuple(skipped))


def remove_lines(text: bytes, lines: tuple[int, ...]) -> bytes:
    """Inverse of ``insert_pragmas`` (used by tests and the round-trip check)."""
    drop = set(lines)
    parts = text.split(b"\n")
    return b"\n".join(p for i, p in enumerate(parts, 1) if i not in drop)


def write_atomic(path: str, data: bytes) -> None:
    """Write via a temporary file in the same directory and rename, keeping the mode and
    owner. A symbolic link is followed (its target is rewritten, the link stays); a file
    the user may not write is refused (PermissionError), as editors do."""
    import errno
    import os
    import tempfile
    path = os.path.realpath(path)
    d = os.path.dirname(path)
    st = os.stat(path)
    if not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "file is read-only", path)
    fd, tmp = tempfile.mkstemp(prefix=".ompwise-", dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass  # (only root may give a file away; the group may still be kept)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
