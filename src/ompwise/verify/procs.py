"""The process table as ompwise sees it: which processes belong to a run, and ending them.

A program under test may fork, call setsid() and outlive its parent, leaving both
its process group and the process tree. Three marks find such processes anyway:
every run's environment carries a token (inherited across fork and exec), ompwise
is a child subreaper (an orphan is reparented to ompwise, not to PID 1), and the
run's group and session. A process that clears its environment and leaves its
session is still found as an orphan child of ompwise started during the run.
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from dataclasses import dataclass

ENV = "OMPWISE_RUN"  # value: '<owner pid>.<owner start time>.<run number>'
_PR_SET_CHILD_SUBREAPER = 36


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgrp: int
    sid: int
    zombie: bool
    start: int  # clock ticks after boot: tells a pid from a later process that reuses it


def stat(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            text = fh.read().decode(errors="replace")
    except OSError:
        return None
    f = text.rsplit(")", 1)[-1].split()  # the command name may hold spaces and ')'
    try:
        return Proc(pid, int(f[1]), int(f[2]), int(f[3]), f[0] in "ZX", int(f[19]))
    except (IndexError, ValueError):
        return None


def table() -> list[Proc]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            p = stat(int(entry))
            if p is not None:
                out.append(p)
    return out


def token_of(pid: int) -> str | None:
    """The run token in the environment the process was started with (unreadable: None)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            env = fh.read()
    except OSError:
        return None
    key = ENV.encode() + b"="
    for item in env.split(b"\0"):
        if item.startswith(key):
            return item[len(key):].decode(errors="replace")
    return None


def owner_id(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    p = stat(pid)
    return f"{pid}.{p.start if p else 0}"


def owner_alive(owner: str) -> bool:
    """Is the process named by '<pid>.<start>' still running (the same one, not a reused pid)?"""
    try:
        pid, start = (int(x) for x in owner.split(".")[:2])
    except ValueError:
        return False
    p = stat(pid)
    return p is not None and not p.zombie and p.start == start


_subreaper_lock = threading.Lock()
_subreaper: bool | None = None


def become_subreaper() -> bool:
    """Make orphaned descendants children of this process (Linux 3.4+); once per process."""
    global _subreaper
    with _subreaper_lock:
        if _subreaper is None:
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                _subreaper = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
            except (OSError, AttributeError):
                _subreaper = False
        return _subreaper


class Runs:
    """The runs in progress in this process (runs may overlap in threads)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0
        self._active: dict[str, int] = {}  # token -> leader pid
        self.owner = owner_id()

    def open(self) -> str:
        with self._lock:
            self._count += 1
            return f"{self.owner}.{self._count}"

    def started(self, token: str, leader: int) -> None:
        with self._lock:
            self._active[token] = leader

    def close(self, token: str) -> None:
        with self._lock:
            self._active.pop(token, None)

    def others(self, token: str) -> tuple[set[int], bool]:
        """(leader pids of the other runs, whether any other run is in progress)."""
        with self._lock:
            rest = {pid for t, pid in self._active.items() if t != token}
            return rest, bool(rest)


RUNS = Runs()


def members(token: str, leader: int, since: int) -> list[Proc]:
    """The processes of the run, zombies included (they may need reaping)."""
    me = os.getpid()
    mine = stat(me)
    others, concurrent = RUNS.others(token)
    procs = table()
    found: dict[int, Proc] = {}
    for p in procs:
        if p.pid == me or p.pid in others or p.start < since:
            continue
        if p.pgrp == leader or p.sid == leader:
            found[p.pid] = p
        elif not p.zombie and token_of(p.pid) == token:
            found[p.pid] = p
        elif p.ppid == me and not concurrent and mine is not None and p.sid != mine.sid:
            found[p.pid] = p  # an orphan that dropped the token and left the session
    children: dict[int, list[Proc]] = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
    stack = [leader, *found]
    while stack:  # and everything below them (a child may have exec'd without the token already)
        for c in children.get(stack.pop(), []):
            if c.pid not in found and c.pid != me:
                found[c.pid] = c
                stack.append(c.pid)
    found.pop(leader, None)  # the leader is reaped by its Popen
    return list(found.values())


def end_run(token: str, leader: int, since: int, patience_s: float = 2.0) -> int:
    """SIGKILL every process of the run but its leader, reap those reparented here; how many."""
    me = os.getpid()
    killed: set[int] = set()
    deadline = time.monotonic() + patience_s
    while True:
        left = members(token, leader, since)
        live = [p for p in left if not p.zombie]
        for p in live:
            _kill(p.pid)
            killed.add(p.pid)
        reaped = [p for p in left if (p.ppid == me or p.pid in killed) and _reap(p.pid)]
        # a reaped process's children are reparented here only now: look again
        if not live and not reaped or time.monotonic() > deadline:
            return len(killed)
        if live:
            time.sleep(0.002)  # a process may fork between the scan and the kill


def end_orphans() -> int:
    """SIGKILL the processes of runs whose ompwise is gone (it was killed); how many."""
    n = 0
    owners: dict[str, bool] = {}
    for p in table():
        if p.zombie or p.pid == os.getpid():
            continue
        tok = token_of(p.pid)
        if not tok:
            continue
        owner = ".".join(tok.split(".")[:2])
        if owner not in owners:
            owners[owner] = owner_alive(owner)
        if not owners[owner]:
            _kill(p.pid)  # (not reaped: its parent is PID 1 or a subreaper above, not this process)
            n += 1
    return n


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return False  # not a child of this process (its own parent or PID 1 reaps it)
