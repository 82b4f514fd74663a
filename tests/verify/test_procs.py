"""The process table: owners, run tokens, and ending the processes of a run or of a killed ompwise."""
import os
import subprocess
import time

from ompwise.verify import procs


def _dead_owner() -> str:
    p = subprocess.Popen(["true"])
    owner = procs.owner_id(p.pid)
    p.wait()
    return owner


def test_owner_alive_tells_a_live_process_from_a_gone_or_reused_pid():
    assert procs.owner_alive(procs.owner_id())
    assert not procs.owner_alive(_dead_owner())
    pid, start = procs.owner_id().split(".")
    assert not procs.owner_alive(f"{pid}.{int(start) + 1}")  # same pid, another process
    assert not procs.owner_alive("garbage")


def test_token_is_read_from_the_environment_the_process_started_with():
    p = subprocess.Popen(["sleep", "30"], env=dict(os.environ, **{procs.ENV: "1.2.3"}))
    try:
        for _ in range(100):  # Popen may return while the exec is still going (the environment reads empty)
            if procs.token_of(p.pid):
                break
            time.sleep(0.01)
        assert procs.token_of(p.pid) == "1.2.3"
        assert procs.token_of(os.getpid()) is None
    finally:
        p.kill()
        p.wait()


def test_processes_of_a_killed_ompwise_are_ended_by_the_next_one():
    orphan = subprocess.Popen(["sleep", "30"], env=dict(os.environ, **{procs.ENV: _dead_owner() + ".1"}))
    live = subprocess.Popen(["sleep", "30"], env=dict(os.environ, **{procs.ENV: procs.owner_id() + ".99"}))
    try:
        for _ in range(100):
            if procs.token_of(orphan.pid) and procs.token_of(live.pid):
                break
            time.sleep(0.01)
        assert procs.end_orphans() >= 1
        assert orphan.wait(timeout=5) == -9
        assert live.poll() is None  # this process is alive: its runs are its own business
    finally:
        for p in (orphan, live):
            p.kill()
            p.wait()
