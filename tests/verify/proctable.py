"""What the process table and the temporary directory hold after an ompwise run (test helpers)."""
import os
import subprocess
import sys
import time
import uuid

from tests.conftest import ROOT

TAG = "OMPWISE_TEST_TAG"


def tagged_env(tmp_path) -> dict[str, str]:
    """An environment whose tag every process of the run inherits, and a private TMPDIR."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    src = os.path.join(ROOT, "src")
    return dict(os.environ, TMPDIR=str(tmp), **{TAG: uuid.uuid4().hex},
                PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))


def survivors(env: dict[str, str]) -> list[str]:
    """Live processes (zombies do not count) started with the tag: 'pid command'."""
    want = f"{TAG}={env[TAG]}".encode()
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit() or int(e) == os.getpid():
            continue
        try:
            with open(f"/proc/{e}/environ", "rb") as fh:
                if want not in fh.read().split(b"\0"):
                    continue
            with open(f"/proc/{e}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[-1].split()[0] in (b"Z", b"X"):
                    continue
            with open(f"/proc/{e}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
            out.append(f"{e} {cmd}")
        except OSError:
            continue
    return out


def no_survivors(env: dict[str, str], patience_s: float = 2.0) -> list[str]:
    """Survivors after giving processes just killed a moment to disappear."""
    deadline = time.monotonic() + patience_s
    while True:
        left = survivors(env)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def leftovers(env: dict[str, str]) -> list[str]:
    return sorted(n for n in os.listdir(env["TMPDIR"]) if n.startswith("ompwise-"))


def ompwise(args: list[str], env: dict[str, str], cwd) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ompwise", *args], env=env, cwd=str(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(path, p: subprocess.Popen, timeout_s: float = 30.0) -> None:
    """Wait until the run has reached the phase that creates ``path``."""
    deadline = time.monotonic() + timeout_s
    while not os.path.exists(path):
        if p.poll() is not None:
            raise AssertionError(f"ompwise ended before {path} appeared: {p.communicate()}")
        if time.monotonic() > deadline:
            p.kill()
            raise AssertionError(f"{path} did not appear within {timeout_s} s")
        time.sleep(0.02)


def kill_tagged(env: dict[str, str]) -> None:
    """Clean up after a failed test, so that one failure does not leave sleepers behind."""
    for line in survivors(env):
        try:
            os.kill(int(line.split()[0]), 9)
        except OSError:
            pass
