"""`ompwise verify` as a real process: signals in each phase, escaping children, build timeout, SIGKILL.

Each test reads the process table afterwards: no process started with the test's
tag may be alive, and the private TMPDIR must hold no ompwise directory.
"""
import os
import shutil
import signal
import time

import pytest

from ompwise.verify.program import archer_available
from tests.verify.proctable import kill_tagged, leftovers, no_survivors, ompwise, tagged_env, wait_for

QUICK = ["--no-cache", "--no-timing"]


@pytest.fixture
def env(tmp_path):
    e = tagged_env(tmp_path)
    yield e
    kill_tagged(e)


def _project(tmp_path):
    d = tmp_path / "proj"
    d.mkdir(exist_ok=True)
    return d


def _phase_args(phase: str, marker: str) -> list[str]:
    # every phase also starts a sleeper in a session of its own, the way a daemon does
    sleeper = f"touch {marker}; setsid -f sleep 300; sleep 300"
    if phase == "build":
        return ["--build", sleeper, "--run", "true"]
    if phase == "run":
        return ["--build", "true", "--run", sleeper]
    # the Archer run is the one with TSAN_OPTIONS set; the others end at once, with equal output
    return ["--build", "true", "--run", f'if [ -n "$TSAN_OPTIONS" ]; then {sleeper}; fi; echo ok']


PHASES = ["build", "run"] + (["archer"] if archer_available() else [])


@pytest.mark.skipif(not shutil.which("setsid"), reason="setsid(1) not installed")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("phase", PHASES)
def test_a_signal_ends_every_process_and_removes_the_directories(tmp_path, env, phase, sig):
    marker = str(tmp_path / "reached")
    p = ompwise(["verify", "--project", str(_project(tmp_path)), *_phase_args(phase, marker), *QUICK],
                env, tmp_path)
    wait_for(marker, p)
    time.sleep(0.1)  # let the sleepers start
    p.send_signal(sig)
    _, err = p.communicate(timeout=20)
    assert p.returncode == 128 + sig, err
    assert no_survivors(env) == []
    assert leftovers(env) == []


@pytest.mark.skipif(not shutil.which("clang-14") and not shutil.which("gcc"), reason="no C compiler")
def test_a_child_that_calls_setsid_does_not_outlive_verify(tmp_path, env):
    src = tmp_path / "daemon.c"
    src.write_text(r"""
#include <stdio.h>
#include <unistd.h>
int main(void) {
  if (fork() == 0) { setsid(); sleep(300); return 0; }
  printf("ok\n");
  return 0;
}
""")
    cc = "clang-14" if shutil.which("clang-14") else "gcc"
    p = ompwise(["verify", str(src), "--cc", cc, *QUICK], env, tmp_path)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, (out, err)
    assert no_survivors(env) == []
    assert leftovers(env) == []


def test_the_build_obeys_timeout(tmp_path, env):
    t0 = time.monotonic()
    p = ompwise(["verify", "--project", str(_project(tmp_path)), "--build", "sleep 1000", "--run", "true",
                 "--timeout", "2", *QUICK], env, tmp_path)
    out, _ = p.communicate(timeout=60)
    took = time.monotonic() - t0
    assert p.returncode == 1 and b"compile-error" in out and b"longer than 2 s" in out, out
    assert took < 6, took
    assert no_survivors(env) == []


def test_after_sigkill_the_next_run_ends_the_processes_and_removes_the_directory(tmp_path, env):
    marker = str(tmp_path / "building")
    proj = str(_project(tmp_path))
    p = ompwise(["verify", "--project", proj, "--build", f"touch {marker}; setsid -f sleep 300; sleep 300",
                 "--run", "true", *QUICK], env, tmp_path)
    wait_for(marker, p)
    time.sleep(0.1)
    p.kill()
    p.wait()
    assert len(leftovers(env)) == 1  # what SIGKILL leaves: nothing could run in ompwise
    assert no_survivors(env, patience_s=0) != []
    q = ompwise(["verify", "--project", proj, "--build", "true", "--run", "true", "--no-race-check", *QUICK],
                env, tmp_path)
    out, err = q.communicate(timeout=60)
    assert q.returncode == 0, (out, err)
    assert no_survivors(env) == []
    assert leftovers(env) == []


def test_a_directory_of_a_live_ompwise_is_kept(tmp_path, env):
    marker = str(tmp_path / "building")
    proj = str(_project(tmp_path))
    p = ompwise(["verify", "--project", proj, "--build", f"touch {marker}; sleep 300", "--run", "true", *QUICK],
                env, tmp_path)
    try:
        wait_for(marker, p)
        q = ompwise(["verify", "--project", proj, "--build", "true", "--run", "true", "--no-race-check", *QUICK],
                    env, tmp_path)
        assert q.wait(timeout=60) == 0
        assert len(leftovers(env)) == 1 and os.path.exists(marker) and p.poll() is None
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=20)
    assert leftovers(env) == []


@pytest.mark.parametrize("argv, run_s, build_s", [([], 60, 300), (["--timeout", "5"], 5, 5),
                                                   (["--timeout", "5", "--build-timeout", "900"], 5, 900),
                                                   (["--build-timeout", "20"], 60, 20)])
def test_build_timeout_is_its_own_else_timeout_else_300(argv, run_s, build_s):
    from ompwise.cli import _verify_options, build_parser
    cc = "clang-14" if shutil.which("clang-14") else "sh"  # (any program on PATH passes the check)
    o = _verify_options(build_parser().parse_args(["verify", "x.c", "--cc", cc, *argv]))
    assert (o.timeout_s, o.build_timeout_s) == (run_s, build_s)


def test_temporary_files_of_builds_and_runs_stay_inside_the_workspace(tmp_path, env):
    # (a compiler killed mid-way leaves its 'prog-*.o' in $TMPDIR: it must be ompwise's own)
    p = ompwise(["verify", "--project", str(_project(tmp_path)), "--build", 'touch "$TMPDIR/built.o"',
                 "--run", 'touch "$TMPDIR/ran.tmp"; echo ok', "--no-race-check", *QUICK], env, tmp_path)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, (out, err)
    assert leftovers(env) == [] and os.listdir(env["TMPDIR"]) == []
