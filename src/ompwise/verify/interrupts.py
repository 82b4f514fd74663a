"""SIGINT and SIGTERM as an exception, so that ``finally`` blocks end the runs and remove the files.

The default SIGTERM action ends Python at once: no ``finally`` runs, and the
programs under test (in sessions of their own, out of reach of the terminal's
Ctrl-C) and the temporary directories stay behind. Inside ``raised()`` the first
signal raises ``Interrupted`` in the main thread; later ones are ignored so that
the cleanup they would interrupt completes. Code that must not be cut in half
(registering a child just started, removing a directory) runs under ``deferred()``:
a signal arriving there is raised when the block ends.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum  # as a shell reports a death by this signal


_depth = 0  # deferred() blocks open in the main thread
_pending: int | None = None
_unwinding = False


def _handler(signum, frame):
    global _pending, _unwinding
    if _unwinding:
        return
    if _depth:
        _pending = _pending or signum
        return
    _unwinding = True
    raise Interrupted(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def raised():
    """Turn SIGINT and SIGTERM into ``Interrupted`` for the duration (main thread only)."""
    global _unwinding, _pending
    if not _main_thread():
        yield
        return
    old = {}
    for s in SIGNALS:
        prev = signal.getsignal(s)
        if prev is signal.SIG_IGN:
            continue  # e.g. nohup, or '&' in a script: the caller asked for it to be ignored
        old[s] = prev
        signal.signal(s, _handler)
    _unwinding, _pending = False, None
    try:
        yield
    finally:
        for s, prev in old.items():
            signal.signal(s, prev)
        _unwinding, _pending = False, None


@contextmanager
def deferred():
    """Hold a signal that arrives inside the block until it ends."""
    global _depth, _pending, _unwinding
    if not _main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None and not _unwinding:
            signum, _pending = _pending, None
            _unwinding = True
            raise Interrupted(signum)
