"""Temporary directories that name their owner, so that the next run removes those a killed one left.

The owner (pid and start time) is part of the directory's name rather than a file
inside it: the name exists from the moment the directory does, so there is no
instant at which a live run's directory looks ownerless.
"""
from __future__ import annotations

import glob
import os
import shutil
import tempfile
import time
from contextlib import contextmanager

from . import interrupts, procs

# every directory ompwise builds or runs code in; a SIGKILLed run leaves it for the next run to remove
PREFIXES = ("ompwise-verify-", "ompwise-trial-", "ompwise-races-", "ompwise-npb-", "ompwise-polybench-",
            "ompwise-rt-", "ompwise-realapps-")
OWNERLESS_AGE_S = 24 * 3600  # directories of versions that did not name their owner


@contextmanager
def owned(prefix: str):
    """A temporary directory '<prefix><pid>.<start>-XXXXXXXX', removed on the way out, whatever happens."""
    with interrupts.deferred():
        d = tempfile.mkdtemp(prefix=f"{prefix}{procs.owner_id()}-")
    try:
        yield d
    finally:
        with interrupts.deferred():  # a signal must not leave it half removed
            shutil.rmtree(d, ignore_errors=True)


def remove_stale(tmp: str | None = None) -> list[str]:
    """Remove the directories of ompwise processes that are gone; return their paths."""
    tmp = tmp or tempfile.gettempdir()
    gone = []
    now = time.time()
    for prefix in PREFIXES:
        for d in glob.glob(os.path.join(glob.escape(tmp), prefix + "*")):
            owner = os.path.basename(d)[len(prefix):].split("-", 1)[0]
            if owner.count(".") == 1:
                stale = not procs.owner_alive(owner)
            else:
                try:
                    stale = now - os.lstat(d).st_mtime > OWNERLESS_AGE_S
                except OSError:
                    continue
            if stale and os.path.isdir(d) and not os.path.islink(d):
                shutil.rmtree(d, ignore_errors=True)
                gone.append(d)
    return gone
