"""A signal at any moment after the entry point runs, the imports included: exit 130/143, never a traceback."""
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from ompwise import start

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "matmul.c")


def _caught(pid: int) -> set[int]:
    """The signals the process has a handler for (SigCgt in /proc)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            mask = next(int(x.split()[1], 16) for x in fh if x.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return set()
    return {n for n in range(1, 65) if mask >> (n - 1) & 1}


def _interrupt(sig: signal.Signals, extra_delay: float, entry: list[str]) -> tuple[int, bytes]:
    """Start the command, wait until start.install() ran (Python itself catches no SIGTERM), then signal it."""
    p = subprocess.Popen([sys.executable, *entry, "check", EXAMPLE], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while signal.SIGTERM not in _caught(p.pid) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    time.sleep(extra_delay)
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    return p.returncode, err


@pytest.mark.parametrize("entry", [["-m", "ompwise"], ["-c", "from ompwise.start import run; run()"]],
                         ids=["python -m ompwise", "console script"])
def test_a_signal_during_the_imports_ends_the_command_quietly(entry):
    rng = random.Random(7)
    for i in range(6):
        sig = (signal.SIGINT, signal.SIGTERM)[i % 2]
        # 0: the very start of the imports; later: somewhere in them (they take a few hundred ms)
        rc, err = _interrupt(sig, 0 if i < 2 else rng.uniform(0, 0.3), entry)
        assert b"Traceback" not in err, err.decode(errors="replace")
        assert rc == 128 + sig, (sig.name, rc, err)


def test_the_console_script_names_the_quiet_entry_point():
    import tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        assert tomllib.load(fh)["project"]["scripts"]["ompwise"] == "ompwise.start:run"


def test_an_ignored_signal_stays_ignored():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        start.install()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is start._quit
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])


def test_output_printed_before_a_late_signal_is_kept():
    code = ("import os, signal; from ompwise import start; start.install(); print('result', flush=False); "
            "os.kill(os.getpid(), signal.SIGINT)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (130, b"result\n", b"")
