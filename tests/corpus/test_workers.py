"""Mining a file in a child: crashes, hangs, memory and stray kills cost that file at most."""
import os
import signal

import pytest

from ompwise.corpus.workers import FileWorker, Settings, WorkerFatal
from tests.corpus.conftest import FAKE, REAL, loop_file

PROV = {"repo": "o/r", "commit": "c", "path": "k.c", "sha256": "s"}


@pytest.fixture
def worker():
    w = FileWorker(FAKE)
    yield w
    w.close()


def test_rows_come_back_with_their_key(worker):
    rows = worker.mine(loop_file("a[i] = 0;", "b[i] = 1;"), "c", PROV)
    assert [r["line"] for r in rows] == [5, 6] and all(len(r["key"]) == 32 for r in rows)


@pytest.mark.parametrize("marker, reason", [
    ("CRASH_ME", "worker died twice (SIGSEGV)"),
    ("SLEEP_ME", "time limit (1 s) exceeded"),
    ("MEMORY_ME", "memory limit (1024 MB) exceeded"),
    ("RAISE_ME", "analysis error: ValueError: the fake parser gave up"),
])
def test_a_fault_is_the_files_reason_and_the_next_file_is_mined(marker, reason):
    w = FileWorker(Settings(**{**FAKE.__dict__, "time_limit": 1.0}))
    try:
        assert w.mine(f"void f() {{ {marker}; for (;;); }}", "c", PROV).startswith(reason)
        assert len(w.mine(loop_file("a[i] = 0;"), "c", PROV)) == 1
    finally:
        w.close()


def test_a_child_killed_from_outside_costs_nothing(worker):
    worker.mine(loop_file("a[i] = 0;"), "c", PROV)
    os.kill(worker.pid, signal.SIGKILL)
    assert len(worker.mine(loop_file("a[i] = 0;"), "c", PROV)) == 1  # the file again, in a new child


def test_an_extractor_that_does_not_load_stops_the_build():
    w = FileWorker(Settings(extractor="no_such_module:file_rows"))
    with pytest.raises(WorkerFatal, match="no_such_module"):
        w.mine("for", "c", PROV)


def test_the_real_analysis_past_a_tiny_time_limit():
    text = loop_file(*[f"a[i] = b[i] + {k};" for k in range(300)])
    w = FileWorker(Settings(**{**REAL.__dict__, "time_limit": 0.05}))
    try:
        assert w.mine(text, "c", PROV) == "time limit (0.05 s) exceeded"
    finally:
        w.close()
