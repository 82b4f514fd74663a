import io
import os
import subprocess
import sys

import pytest

from ompwise.report.progress import Progress, progress_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.path.join(ROOT, "tests", "fixtures", "project")


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_nothing_before_the_delay_then_one_line_redrawn_in_place():
    clock, out = Clock(), io.StringIO()
    p = Progress(out, clock, delay=1.0, interval=0.1)
    clock.t = 0.5
    p(1, 1600, 20)
    assert out.getvalue() == ""
    clock.t = 2.0
    p(412, 1600, 9731)
    assert out.getvalue() == "\r[ 412/1600 files] 9,731 loops, 4,866 loops/s"
    assert "\n" not in out.getvalue()


def test_updates_are_throttled_and_close_erases_the_line():
    clock, out = Clock(), io.StringIO()
    p = Progress(out, clock, delay=0.0, interval=0.1)
    clock.t = 1.0
    p(1, 10, 100)
    clock.t = 1.05
    p(2, 10, 200)  # within the interval: not drawn
    assert out.getvalue().count("\r") == 1
    clock.t = 1.2
    p(3, 10, 5)  # shorter than the line on screen: padded over it
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("[ 3/10 files] 5 loops") and len(last) >= len("[ 1/10 files] 100 loops, 100 loops/s")
    p.close()
    assert out.getvalue().endswith("\r" + " " * len(last.rstrip()) + "\r")


def test_close_without_a_line_writes_nothing():
    out = io.StringIO()
    p = Progress(out, Clock(), delay=1.0)
    p(1, 2, 3)
    p.close()
    assert out.getvalue() == ""


def test_only_on_a_terminal_and_when_enabled():
    assert progress_for(io.StringIO()) is None
    assert progress_for(Tty(), enabled=False) is None
    assert isinstance(progress_for(Tty()), Progress)


# The run is made to show progress at once (no delay, no throttle), as a long run would.
_RUN = ("import sys; from ompwise.report import progress; progress.DELAY_S = 0; progress.INTERVAL_S = 0; "
        "from ompwise.cli import main; sys.exit(main(sys.argv[1:]))")


def _check(stderr, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _RUN, "check", PROJECT, *extra],
                            stdout=subprocess.PIPE, stderr=stderr)


def _read_pty(extra: tuple[str, ...] = ()) -> tuple[str, str]:
    master, slave = os.openpty()
    proc = _check(slave, *extra)
    os.close(slave)  # (the child holds the only end left: reading stops when it exits)
    err = b""
    try:
        while chunk := os.read(master, 4096):
            err += chunk
    except OSError:
        pass  # EIO: the terminal's other end is closed
    finally:
        os.close(master)
    out = proc.stdout.read()
    proc.wait(timeout=60)
    return out.decode(), err.decode()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_terminal_is_erased_and_stays_off_stdout():
    out, err = _read_pty()
    assert "/3 files]" in err and "loops/s" in err
    drawn = err.split("\r")
    assert drawn[-1] == "" and drawn[-2].strip() == ""  # the last line drawn was erased
    assert "files]" not in out


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_progress_flag_on_a_terminal():
    _, err = _read_pty(("--no-progress",))
    assert "files]" not in err and "\r" not in err.replace("\r\n", "\n")


def test_nothing_on_a_pipe():
    proc = _check(subprocess.PIPE)
    out, err = proc.communicate(timeout=60)
    assert b"files]" not in err and b"\r" not in err
    assert b"files]" not in out
