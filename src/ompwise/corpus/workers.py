"""Mining one file at a time in a child process, so that a file cannot take the run down with it.

The analysis runs in C as well as in Python (tree-sitter, isl): a signal handler cannot
interrupt a long isl computation, and a crash in C kills the process it happens in. So every
file is handed to a child process (``python -m ompwise.corpus.workers``) over a pipe, and the
parent waits for the answer with a deadline: past the per-file time limit it kills the child and
starts another for the next file. The child runs under an address-space limit (RLIMIT_AS), so
a file whose analysis wants more memory fails with MemoryError there (or dies), and the child is
replaced. A child that dies otherwise (a crash, or SIGKILL from outside) gets the file once more
in a new child, so that one stray kill costs nothing; a second death is the file's error.

Children are reused across files and units (one per thread of the process that runs units: a
local worker thread or a Dask worker thread), because starting one costs the imports of the
analysis. A child exits when its parent does (it watches its parent's pid), so that a killed
driver leaves no miners behind."""
from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass

from .schema import NAMES

_HEADER = struct.Struct("<Q")
_START_TIMEOUT_S = 120.0  # importing the analysis on a loaded cluster node can be slow


@dataclass(frozen=True)
class Settings:
    """What mining a file depends on; the same on every worker of a run."""
    time_limit: float = 10.0  # seconds per file
    memory_mb: int = 4096  # address space of the child that mines one file
    max_bytes: int = 1 << 20
    extractor: str = "ompwise.corpus.extract:file_rows"
    keyer: str = "ompwise.corpus.normalize:loop_key"


class WorkerFatal(Exception):
    """The child cannot start (its functions do not import): no file can be mined."""


def _load(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


# -- framing: 8-byte length + pickle ------------------------------------------------------------

def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _recv_blocking(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (n,) = _HEADER.unpack(head)
    return pickle.loads(stream.read(n))


class _Deadline(Exception):
    pass


def _read_exact(fd: int, n: int, deadline: float) -> bytes | None:
    """n bytes from fd, None at end of file; _Deadline when the time is up first."""
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise _Deadline
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# -- the child -----------------------------------------------------------------------------------

def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _mine(file_rows, loop_key, text: str, lang: str, prov: dict) -> list[dict]:
    rows = file_rows(text, lang, prov)
    for row in rows:
        if set(row) != set(NAMES):
            missing, extra = set(NAMES) - set(row), set(row) - set(NAMES)
            raise ValueError(f"row columns differ from the schema (missing {sorted(missing)[:3]}, extra {sorted(extra)[:3]})")
        row["key"] = loop_key(row["code"])
    return rows


def child_main(argv: list[str]) -> int:
    extractor, keyer, memory_mb, parent = argv[0], argv[1], int(argv[2]), int(argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the driver's to handle
    # the protocol owns the real stdout; anything the analysis prints goes to stderr
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        file_rows, loop_key = _load(extractor), _load(keyer)
    except Exception as e:  # noqa: BLE001 - reported to the parent as the reason
        _send(out, ("fatal", f"cannot load {extractor} / {keyer}: {type(e).__name__}: {e}"))
        return 1
    if memory_mb > 0:
        import resource
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _send(out, ("ready", os.getpid()))
    while True:
        job = _recv_blocking(inp)
        if job is None:
            return 0
        try:
            _send(out, ("ok", _mine(file_rows, loop_key, *job)))
        except MemoryError:
            # (the heap may be in any state now: answer, then make room for a fresh child)
            _send(out, ("error", f"memory limit ({memory_mb} MB) exceeded", True))
            return 0
        except RecursionError:
            _send(out, ("error", "analysis error: recursion too deep", False))
        except Exception as e:  # noqa: BLE001 - any failure of the analysis is this file's error
            where = traceback.extract_tb(e.__traceback__)[-1:]
            at = f" at {os.path.basename(where[0].filename)}:{where[0].lineno}" if where else ""
            _send(out, ("error", f"analysis error: {type(e).__name__}: {str(e)[:160]}{at}", False))


# -- the parent's handle on one child ------------------------------------------------------------

def _signal_name(rc: int | None) -> str:
    if rc is None:
        return "no exit status"
    if rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return f"exit {rc}"


class FileWorker:
    """One child process; ``mine`` gives a file's rows, or the reason it has none."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def _start(self) -> None:
        env = dict(os.environ)
        # the child imports what this process can (e.g. an extractor given by the caller)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
        s = self.settings
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ompwise.corpus.workers", s.extractor, s.keyer, str(s.memory_mb), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)  # a Ctrl-C on the terminal goes to the driver only
        try:
            hello = self._reply(time.monotonic() + _START_TIMEOUT_S)
        except _Deadline:
            hello = ("fatal", f"the worker did not start in {_START_TIMEOUT_S:.0f} s")
        if hello is None or hello[0] != "ready":
            self.close()
            raise WorkerFatal(hello[1] if hello else "the worker exited at start")

    def _reply(self, deadline: float):
        fd = self.proc.stdout.fileno()
        head = _read_exact(fd, _HEADER.size, deadline)
        if head is None:
            return None
        body = _read_exact(fd, _HEADER.unpack(head)[0], deadline)
        return None if body is None else pickle.loads(body)

    def mine(self, text: str, lang: str, prov: dict) -> list[dict] | str:
        for attempt in (1, 2):
            if self.proc is None:
                self._start()
            try:
                _send(self.proc.stdin, (text, lang, prov))
                reply = self._reply(time.monotonic() + self.settings.time_limit)
            except _Deadline:
                self.close()
                return f"time limit ({self.settings.time_limit:g} s) exceeded"
            except (BrokenPipeError, ConnectionResetError):
                reply = None
            if reply is None:  # the child died with the file
                rc = self.close(wait=2.0)
                if attempt == 2:
                    return f"worker died twice ({_signal_name(rc)})"
                continue
            if reply[0] == "ok":
                return reply[1]
            if reply[2]:  # the child exits after this answer
                self.close()
            return reply[1]
        raise AssertionError("unreachable")

    def close(self, wait: float = 0.0) -> int | None:
        """Stop the child; its exit status when it ended by itself within ``wait`` seconds
        (a child that died has closed its pipe a moment before the kernel reports its end)."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            return proc.wait(timeout=wait) if wait else proc.poll()
        except subprocess.TimeoutExpired:
            return None
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


_local = threading.local()
_all: list[FileWorker] = []
_all_lock = threading.Lock()


def thread_worker(settings: Settings) -> FileWorker:
    """The calling thread's child (started on first use, replaced when the settings change)."""
    w = getattr(_local, "worker", None)
    if w is None or w.settings != settings:
        if w is not None:
            w.close()
        w = _local.worker = FileWorker(settings)
        with _all_lock:
            _all.append(w)
    return w


def close_all() -> None:
    with _all_lock:
        for w in _all:
            w.close()
        _all.clear()


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
