"""The one writer of user files (`parallelize -o` and `--in-place`): a write either
happens whole or not at all, and never replaces something the user did not mean to lose.

A temporary file in the target's directory is written, synced and renamed over the
target, then the directory is synced: a crash, a full disk or a signal leaves either
the old file or the new one, never a fragment. Before the rename, the input must still
be what was read (another editor's change would otherwise be overwritten), and the new
file gets the old one's mode bits (setuid included) and owner. Symbolic links are
followed (the link stays, its target is rewritten), except one that another user
planted in a shared directory such as /tmp.
"""
from __future__ import annotations

import hashlib
import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass

TEMP_PREFIX = ".ompwise-"


class WriteError(Exception):
    """Nothing was written; ``str(e)`` is the one-line message (with path)."""


@dataclass(frozen=True)
class Snapshot:
    """The input as it was read: the write is refused when it no longer holds."""
    path: str
    dev: int
    ino: int
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: str, data: bytes, st: os.stat_result) -> "Snapshot":
        return cls(path, st.st_dev, st.st_ino, len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def unchanged(self) -> bool:
        try:
            st = os.stat(self.path)
            if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != (self.dev, self.ino, self.size, self.mtime_ns):
                return False
            with open(self.path, "rb") as fh:  # (an edit within the clock's resolution keeps the mtime)
                return hashlib.sha256(fh.read()).hexdigest() == self.sha256
        except OSError:
            return False


def read_only(st: os.stat_result, path: str) -> bool:
    """Whether the file is marked read-only for us. Root may write anything, but a file
    whose write bits are all off is meant to stay as it is (editors ask first); a user
    without privileges goes by the bits of their class (and ACLs, which os.access sees),
    because a rename needs only the directory's permission and would bypass them."""
    uid = os.geteuid()
    if uid == 0:
        return not st.st_mode & 0o222
    if st.st_uid == uid:
        bit = stat.S_IWUSR
    elif st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        bit = stat.S_IWGRP
    else:
        bit = stat.S_IWOTH
    return not st.st_mode & bit or not os.access(path, os.W_OK)


def write_file(target: str, data: bytes, source: Snapshot | None = None, in_place: bool = False,
               break_links: bool = False) -> None:
    """Replace (or create) ``target`` with ``data``; raise WriteError, target untouched.

    ``source``: the input the data was made from. Without ``in_place`` the target may not
    be that input under another name (a hard link, another path), and with it an input
    with other hard links is refused unless ``break_links``. A symbolic link is followed:
    its target is rewritten and the link stays."""
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise WriteError(f"{target}: error: cannot write: {e.strerror or e}; nothing written") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        return _write_through(target, data)  # /dev/null, a pipe: there is nothing to replace
    if st is None and target.endswith(os.sep):  # 'newdir/' names a directory: never a file called 'newdir'
        raise WriteError(f"{target}: error: cannot write: No such directory; nothing written")
    path = _resolve(target)
    if st is not None:
        if source is not None and (st.st_dev, st.st_ino) == (source.dev, source.ino) and not in_place:
            raise WriteError(f"{target}: error: is the input {source.path} under another name; nothing written "
                             "(use --in-place to rewrite the input)")
        if read_only(st, path):
            raise WriteError(f"{target}: error: cannot write: file is read-only; nothing written")
        if in_place and st.st_nlink > 1 and not break_links:
            raise WriteError(f"{target}: error: file has {st.st_nlink} hard links, and a rewrite would leave the "
                             "others with the old text; nothing written (--break-links accepts that)")
    with _signals_raise():
        _replace(target, path, data, st, source)


def _resolve(target: str) -> str:
    """``os.path.realpath``, but refusing the links the kernel's ``fs.protected_symlinks``
    would not follow: realpath reads links itself, so that protection would not apply,
    and a link another user planted in /tmp would redirect the write to a file of ours."""
    todo = [c for c in os.path.abspath(target).split(os.sep) if c]
    resolved, links = os.sep, 0
    while todo:
        name = todo.pop(0)
        p = os.path.join(resolved, name)
        try:
            st = os.lstat(p)
        except OSError:  # a new file (or a missing directory, which mkstemp reports)
            return os.path.join(p, *todo)
        if not stat.S_ISLNK(st.st_mode):
            resolved = os.path.normpath(p)  # ('..' of a real directory is its parent)
            continue
        links += 1
        d = os.stat(resolved)
        if links > 40 or (d.st_mode & stat.S_ISVTX and d.st_mode & stat.S_IWOTH
                          and st.st_uid not in (os.geteuid(), d.st_uid)):
            why = "too many levels of symbolic links" if links > 40 else \
                f"{p} is a symbolic link of another user (uid {st.st_uid}) in a shared directory"
            raise WriteError(f"{target}: error: cannot write: {why}; nothing written")
        link = os.readlink(p)
        if os.path.isabs(link):
            resolved = os.sep
        todo[:0] = [c for c in link.split(os.sep) if c]
    return resolved


def _write_through(target: str, data: bytes) -> None:
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise WriteError(f"{target}: error: cannot write: {e.strerror or e}") from None


def _replace(target: str, path: str, data: bytes, st: os.stat_result | None, source: Snapshot | None) -> None:
    d = os.path.dirname(path)
    _remove_stale_temps(d)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{_owner(os.getpid())}-", suffix=".tmp", dir=d)
    except OSError as e:
        raise WriteError(f"{target}: error: cannot write: {e.strerror or e}; nothing written") from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                _keep_owner_and_mode(fh.fileno(), st)
                os.fsync(fh.fileno())
        except OSError as e:  # a full disk, EFBIG (ulimit -f), a quota
            raise WriteError(f"{target}: error: cannot write: {e.strerror or e}; nothing written") from None
        if source is not None and not source.unchanged():
            raise WriteError(f"{source.path}: error: changed while ompwise ran; nothing written")
        try:
            os.replace(tmp, path)
        except OSError as e:
            raise WriteError(f"{target}: error: cannot write: {e.strerror or e}; nothing written") from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    _sync_dir(d)


def _owner(pid: int) -> str | None:
    """'<pid>.<start time>': names this process and no later one that reuses the pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            f = fh.read().rsplit(b")", 1)[-1].split()
        return None if f[0] in (b"Z", b"X") else f"{pid}.{int(f[19])}"
    except (OSError, IndexError, ValueError):
        return None


def _remove_stale_temps(d: str) -> None:
    """The temporary files of writers that were SIGKILLed (no handler runs then) go with the next write there."""
    try:
        names = [n for n in os.listdir(d) if n.startswith(TEMP_PREFIX) and n.endswith(".tmp")]
    except OSError:
        return
    for n in names:
        owner = n[len(TEMP_PREFIX):].split("-", 1)[0]
        if owner.count(".") == 1 and owner.split(".")[0].isdigit() and _owner(int(owner.split(".")[0])) != owner:
            try:
                os.unlink(os.path.join(d, n))
            except OSError:
                pass


def _keep_owner_and_mode(fd: int, st: os.stat_result | None) -> None:
    if st is None:  # a new file: the mode a plain open() would give it
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        return
    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise OSError(0, f"cannot keep the file's owner and group ({st.st_uid}:{st.st_gid})") from None
    os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after the chown, which clears setuid and setgid
    if stat.S_IMODE(os.fstat(fd).st_mode) != stat.S_IMODE(st.st_mode):
        raise OSError(0, f"cannot keep the file's mode ({stat.S_IMODE(st.st_mode):o})")


def _remove_quietly(tmp: str) -> None:
    # (a second signal during the removal would leave the temporary file behind)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass  # renamed already
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _sync_dir(d: str) -> None:
    """Make the rename durable (without it a crash may bring back the old name's file)."""
    try:
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # (some file systems cannot sync a directory; the rename is done all the same)
    finally:
        os.close(fd)


@contextmanager
def _signals_raise():
    """SIGTERM raises SystemExit(143) while writing, as SIGINT raises KeyboardInterrupt,
    so that the temporary file is removed on the way out; a handler someone else set,
    or SIG_IGN, stays."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
