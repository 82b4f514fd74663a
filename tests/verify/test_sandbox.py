"""sandbox.run ends every process it started, however it tried to get away; memory failures are named."""
import os
import shutil
import time

import pytest

from ompwise.verify import sandbox


def _alive_with_arg(arg: bytes) -> list[int]:
    out = []
    for e in os.listdir("/proc"):
        try:
            with open(f"/proc/{e}/cmdline", "rb") as fh:
                if arg in fh.read().split(b"\0"):
                    with open(f"/proc/{e}/stat", "rb") as st:
                        if st.read().rsplit(b")", 1)[-1].split()[0] not in (b"Z", b"X"):
                            out.append(int(e))
        except (OSError, ValueError):
            continue
    return out


@pytest.mark.skipif(not shutil.which("setsid"), reason="setsid(1) not installed")
@pytest.mark.parametrize("how", ["setsid -f", "setsid -f env -i", "setsid -f setsid -f env -i"],
                         ids=["new-session", "new-session-no-environment", "twice-detached"])
def test_a_child_that_leaves_the_session_is_ended_with_the_run(tmp_path, how):
    arg = f"31{len(how)}.5"  # a sleep this test alone starts
    r = sandbox.run(f"{how} sleep {arg}; echo started", str(tmp_path), shell=True)
    assert r.ok and r.stdout == b"started\n"
    for _ in range(10):  # (one still between fork and exec shows as 'setsid' or 'env' for a moment)
        assert _alive_with_arg(arg.encode()) == []
        time.sleep(0.03)


def test_memory_sign_names_allocation_failures_only():
    assert sandbox.memory_sign(b"x\nOMP: Error #34: System unable to allocate necessary resources for OMP thread:\n")
    assert sandbox.memory_sign(b"terminate called after throwing an instance of 'std::bad_alloc'\n")
    assert sandbox.memory_sign(b"pthread_create: Resource temporarily unavailable\n")
    assert sandbox.memory_sign(b"error: mismatch in row 3\nSegmentation fault\n") is None
