"""Run untrusted programs: own process group, rlimits, wall-time limit, bounded output."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

MAX_CAPTURE = 8 * 1024 * 1024  # bytes of stdout/stderr kept


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


def _preexec(limits: Limits):
    def apply():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(cmd: list[str] | str, cwd: str, env: dict[str, str] | None = None, stdin_path: str | None = None,
        limits: Limits = Limits(), shell: bool = False) -> RunResult:
    """Run ``cmd`` in ``cwd``; on timeout the whole process group is killed."""
    out_path = os.path.join(cwd, ".ompwise-stdout")
    err_path = os.path.join(cwd, ".ompwise-stderr")
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    timed_out = False
    try:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=out, stderr=err,
                                 preexec_fn=_preexec(limits), shell=shell)
            pgid = p.pid
            # a blocking wait with a timer that kills the group: p.wait(timeout=...) polls in steps of
            # up to 50 ms, which quantized every measured run time to about 50 ms
            expired = threading.Event()

            def expire():
                expired.set()
                _kill_group(pgid)
            timer = threading.Timer(limits.wall_s, expire)
            timer.daemon = True
            timer.start()
            p.wait()
            end = time.perf_counter()
            timer.cancel()
            timed_out = expired.is_set()
            _kill_group(pgid)
            p.wait()
            deadline = time.perf_counter() + 2.0
            while group_alive(pgid) and time.perf_counter() < deadline:  # children dying after the kill
                _kill_group(pgid)
                time.sleep(0.02)
    finally:
        if stdin_path:
            stdin.close()
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
    elif rc != 0 and (b"std::bad_alloc" in stderr or b"out of memory" in stderr.lower()
                      or b"Cannot allocate memory" in stderr or (sig in (signal.SIGSEGV, signal.SIGABRT, signal.SIGKILL) and b"alloc" in stderr)):
        limit = "memory"
    return RunResult(None if timed_out else rc, stdout, stderr, wall, timed_out, sig, pgid, limit)


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
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False
