"""Run untrusted programs: own session, rlimits, wall-time limit, bounded output, nothing left behind."""
from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from . import interrupts, procs

MAX_CAPTURE = 8 * 1024 * 1024  # bytes of stdout/stderr kept
_PR_SET_PDEATHSIG = 1

# what a program or its runtime prints when an allocation, a thread stack included, fails:
# under RLIMIT_AS these are the usual signs that the memory limit was reached
_MEMORY_TEXT = re.compile(
    rb"std::bad_alloc|out of memory|cannot allocate memory|resource temporarily unavailable|"
    rb"unable to allocate|failed to allocate|allocation failed|thread creation failed|"
    rb"cannot form a team|memory exhausted|mmap[^\n]*failed", re.I)


@dataclass(frozen=True)
class Limits:
    wall_s: float = 60.0
    cpu_s: int = 120
    memory_bytes: int = 4 << 30
    file_bytes: int = 256 << 20
    processes: int = 0  # 0: no limit on threads/processes (OpenMP needs threads)


@dataclass(frozen=True)
class RunResult:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    wall_s: float
    timed_out: bool
    signal: int | None
    pgid: int
    limit: str | None  # 'memory', 'cpu', 'file-size' when a limit stopped it

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def memory_sign(stderr: bytes) -> str | None:
    """The first line of ``stderr`` that says an allocation failed, or None."""
    for line in stderr.splitlines():
        if _MEMORY_TEXT.search(line):
            return line.decode(errors="replace").strip()[:200]
    return None


def _preexec(limits: Limits):
    libc = None
    try:
        import ctypes
        libc = ctypes.CDLL(None)
    except OSError:
        pass

    def apply():
        os.setsid()
        if libc is not None:  # the leader dies with ompwise even when ompwise is SIGKILLed
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupts.SIGNALS)
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(cmd: list[str] | str, cwd: str, env: dict[str, str] | None = None, stdin_path: str | None = None,
        limits: Limits = Limits(), shell: bool = False) -> RunResult:
    """Run ``cmd`` in ``cwd``; at the end (timeout, interrupt or normal exit) every process it
    started is killed, including those that left its process group or session."""
    procs.become_subreaper()
    out_path = os.path.join(cwd, ".ompwise-stdout")
    err_path = os.path.join(cwd, ".ompwise-stderr")
    token = procs.RUNS.open()
    env = dict(os.environ if env is None else env, **{procs.ENV: token})
    p, since = None, 0
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            with interrupts.deferred():  # from fork to registration, a signal would lose the child
                t0 = time.perf_counter()
                p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=out, stderr=err,
                                     preexec_fn=_preexec(limits), shell=shell)
                procs.RUNS.started(token, p.pid)
                first = procs.stat(p.pid)
                since = first.start if first else 0
            # a blocking wait with a timer that kills the group: p.wait(timeout=...) polls in steps of
            # up to 50 ms, which quantized every measured run time to about 50 ms
            expired = threading.Event()

            def expire():
                expired.set()
                _kill_group(p.pid)
            timer = threading.Timer(limits.wall_s, expire)
            timer.daemon = True
            timer.start()
            try:
                # WNOWAIT: the leader stays a zombie, so its pid (the group's and session's id)
                # cannot be reused by an unrelated process before the sweep below
                os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
                end = time.perf_counter()
            finally:
                timer.cancel()
    finally:
        with interrupts.deferred():
            if p is not None:
                _kill_group(p.pid)
                procs.end_run(token, p.pid, since)
                p.wait()
            procs.RUNS.close(token)
            if stdin_path:
                stdin.close()
    timed_out = expired.is_set()
    wall = end - t0
    stdout, stderr = _read(out_path), _read(err_path)
    rc = p.returncode
    sig = -rc if rc is not None and rc < 0 else None
    if sig is None and rc is not None and 128 < rc < 128 + 65 and shell:
        sig = rc - 128  # a shell reports a child's death by signal N as 128 + N
    limit = None
    if sig == signal.SIGXCPU:
        limit = "cpu"
    elif sig == signal.SIGXFSZ:
        limit = "file-size"
    elif rc != 0 and limits.memory_bytes != resource.RLIM_INFINITY and memory_sign(stderr):
        limit = "memory"
    return RunResult(None if timed_out else rc, stdout, stderr, wall, timed_out, sig, p.pid, limit)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CAPTURE)
        os.unlink(path)
        return data
    except OSError:
        return b""


def group_alive(pgid: int) -> bool:
    """Is any process of the group still running (zombies awaiting their reaper do not count)?"""
    return any(p.pgrp == pgid and not p.zombie for p in procs.table())
