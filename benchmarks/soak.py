"""Soak test: interrupt ompwise at random moments and check that nothing is lost or left behind.

    .venv/bin/python benchmarks/soak.py [--count 200] [--seed 1]

Runs `ompwise parallelize --in-place` on a copy of examples/matmul.c and
`ompwise verify` on a small OpenMP program, each --count times, and sends each
run SIGINT, SIGTERM or SIGKILL (chosen at random) at a random moment of its
expected duration. After each run it checks:

- the input file holds either its original bytes or the complete expected output;
- no process of the run is alive (every process a run starts inherits a tag in
  its environment, and the process table is read for it);
- after SIGINT, SIGTERM or a normal end: no temporary file or directory is left
  (the private TMPDIR and the input file's directory);
- after SIGKILL (which no program can handle) the next run of the same command,
  which gets no signal, has ended the processes and removed the files the killed
  one left.

Prints the counts and exits 1 when any check failed.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "OMPWISE_SOAK_TAG"
OMPWISE_FRAME = os.path.join(ROOT, "src", "ompwise", "").encode()  # in a traceback: ompwise's code ran
PROGRAM = r"""
#include <stdio.h>
#define N 3000000
static double a[N];
int main(void) {
  double s = 0;
  for (int r = 0; r < 20; r++) {
    #pragma omp parallel for
    for (int i = 0; i < N; i++) a[i] = (i % 7) * 0.5 + r;
    #pragma omp parallel for reduction(+:s)
    for (int i = 0; i < N; i++) s += a[i];
  }
  printf("%.6e\n", s);
  return 0;
}
"""


def tagged(env_tag: str) -> list[int]:
    """Live processes (not zombies) started with this tag."""
    want = f"{TAG}={env_tag}".encode()
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open(f"/proc/{e}/environ", "rb") as fh:
                if want not in fh.read().split(b"\0"):
                    continue
            with open(f"/proc/{e}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[-1].split()[0] in (b"Z", b"X"):
                    continue
            out.append(int(e))
        except OSError:
            continue
    return out


def settle(env_tag: str, patience_s: float = 2.0) -> list[int]:
    deadline = time.monotonic() + patience_s
    while True:
        left = tagged(env_tag)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


class Soak:
    def __init__(self, work: str, seed: int):
        self.work = work
        self.tmp = os.path.join(work, "tmp")
        os.makedirs(self.tmp)
        self.rng = random.Random(seed)
        self.counts: Counter = Counter()
        self.failures: list[str] = []
        self.all_tags: list[str] = []

    def env(self, tag: str) -> dict[str, str]:
        src = os.path.join(ROOT, "src")
        return dict(os.environ, TMPDIR=self.tmp, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""),
                    **{TAG: tag})

    def leftovers(self, dirs: list[str]) -> list[str]:
        out = [os.path.join(self.tmp, n) for n in os.listdir(self.tmp)]
        for d in dirs:
            out += [os.path.join(d, n) for n in os.listdir(d) if n.startswith(".ompwise-")]
        return sorted(out)

    def once(self, cmd: list[str], cwd: str, duration: float, quiet: bool = False) -> tuple[str | None, int, str, float]:
        """Run ``cmd`` with a signal at a random moment (none if ``quiet``): (signal name or None, rc, tag, seconds)."""
        tag = uuid.uuid4().hex
        self.all_tags.append(tag)
        sig = self.rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
        delay = 600.0 if quiet else self.rng.uniform(0, duration)
        t0 = time.monotonic()
        p = subprocess.Popen([sys.executable, "-m", "ompwise", *cmd], cwd=cwd, env=self.env(tag),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            p.wait(timeout=delay)
            sent = None
        except subprocess.TimeoutExpired:
            p.send_signal(sig)
            sent = sig.name
        _, err = p.communicate(timeout=120)
        if b"Traceback" in err and b"KeyboardInterrupt" in err and OMPWISE_FRAME not in err:
            # SIGINT in Python's own start-up (site, runpy), before the first line of ompwise runs:
            # nothing has started, and no package can install a handler that early
            self.counts["SIGINT during Python's start-up, before ompwise (Python's traceback)"] += 1
        elif b"Traceback" in err:
            self.fail(f"{' '.join(cmd[:2])} after {sent}: traceback: {err.decode(errors='replace')[-300:]}")
        return sent, p.returncode, tag, time.monotonic() - t0

    def fail(self, what: str) -> None:
        self.failures.append(what)

    def check_run(self, label: str, sent, rc: int, tag: str, dirs: list[str], pending: dict) -> None:
        """``pending``: what SIGKILLed runs left ('tags', 'files'), for the next run that ends normally."""
        self.counts[f"{label} {sent or 'finished first'}"] += 1
        expected_rc = {"SIGINT": 130, "SIGTERM": 143, "SIGKILL": -9}.get(sent)
        if sent and rc != expected_rc:
            self.counts[f"{label} exit {rc} after {sent}"] += 1
            if rc == 0 and sent != "SIGKILL":  # the signal was ignored, or swallowed (Python's start-up reads .pth files)
                self.counts[f"{label} NOTE: signal without effect"] += 1
        pending.setdefault("tags", [])
        pending.setdefault("files", set())
        if sent == "SIGKILL" and rc == -9:
            pending["tags"].append(tag)
            pending["files"] |= set(self.leftovers(dirs))
            return
        left = settle(tag)
        if left:
            self.fail(f"{label} after {sent}: {len(left)} process(es) survived: {left}")
        files = set(self.leftovers(dirs)) - pending["files"]
        if files:
            self.fail(f"{label} after {sent}: left {sorted(files)}")
        if pending["tags"] and not sent:  # a run that was not cut short must have cleaned up after the kills
            survived = [pid for t in pending["tags"] for pid in settle(t)]
            stale = sorted(x for x in pending["files"] if os.path.lexists(x))
            if survived:
                self.fail(f"{label}: {len(survived)} process(es) of SIGKILLed runs survived the next run")
            if stale:
                self.fail(f"{label}: the next run left what SIGKILLed runs left: {stale}")
            self.counts[f"{label} cleanups after SIGKILL checked"] += 1
            pending.clear()

    def parallelize(self, count: int) -> None:
        d = os.path.join(self.work, "par")
        os.makedirs(d)
        src = os.path.join(ROOT, "examples", "matmul.c")
        original = open(src, "rb").read()
        path = os.path.join(d, "matmul.c")
        shutil.copyfile(src, path)
        t0 = time.monotonic()
        expected = subprocess.run([sys.executable, "-m", "ompwise", "parallelize", path], env=self.env("calibrate"),
                                  capture_output=True, check=True).stdout
        duration = (time.monotonic() - t0) * 1.2
        assert expected != original, "the example gets no pragma: nothing to check"
        pending: dict = {}
        for _ in range(count):
            shutil.copyfile(src, path)
            sent, rc, tag, _ = self.once(["parallelize", "--in-place", path], d, duration, bool(pending.get("tags")))
            now = open(path, "rb").read()
            self.counts["parallelize input: " + ("original" if now == original else
                                                 "complete output" if now == expected else "DAMAGED")] += 1
            if now not in (original, expected):
                self.fail(f"parallelize after {sent}: the file is damaged ({len(now)} bytes)")
            self.check_run("parallelize", sent, rc, tag, [d], pending)
        self.finish(pending)

    def verify(self, count: int) -> None:
        d = os.path.join(self.work, "ver")
        os.makedirs(d)
        path = os.path.join(d, "prog.c")
        with open(path, "w") as fh:
            fh.write(PROGRAM)
        original = open(path, "rb").read()
        cmd = ["verify", path, "--no-cache", "--repeat", "1"]
        if not shutil.which("clang-14"):
            cmd += ["--cc", "gcc"]
        t0 = time.monotonic()
        calib = subprocess.run([sys.executable, "-m", "ompwise", *cmd], env=self.env("calibrate"), capture_output=True)
        duration = (time.monotonic() - t0) * 1.2
        print(f"verify calibration: exit {calib.returncode} in {duration / 1.2:.2f} s: "
              f"{calib.stdout.decode(errors='replace').splitlines()[:1]}", flush=True)
        pending: dict = {}
        for _ in range(count):
            sent, rc, tag, _ = self.once(cmd, d, duration, bool(pending.get("tags")))
            if open(path, "rb").read() != original:
                self.fail("verify changed the program's source")
            if not sent and rc != calib.returncode:
                self.fail(f"verify without a signal: exit {rc}, {calib.returncode} expected")
            self.check_run("verify", sent, rc, tag, [d], pending)
        self.finish(pending)

    def finish(self, pending: dict) -> None:
        """A SIGKILL on the last run has no next run to clean up after it: count it, then clean."""
        if pending.get("tags"):
            self.counts["SIGKILL on the last run (no next run to check)"] += len(pending["tags"])
        for tag in self.all_tags:
            for pid in tagged(tag):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        for n in os.listdir(self.tmp):
            shutil.rmtree(os.path.join(self.tmp, n), ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=200, help="runs of each command (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--only", choices=["parallelize", "verify"], help="run one of the two commands only")
    args = ap.parse_args()
    # A soak started in the background ('&', nohup) inherits SIGINT ignored, its runs with it, and ompwise
    # rightly leaves an ignored SIGINT ignored: the runs would test nothing. They get it as a Ctrl-C would.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    work = tempfile.mkdtemp(prefix="soak-")
    s = Soak(work, args.seed)
    t0 = time.monotonic()
    try:
        if args.only != "verify":
            s.parallelize(args.count)
        if args.only != "parallelize":
            s.verify(args.count)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for k, v in sorted(s.counts.items()):
        print(f"{k}: {v}")
    print(f"failures: {len(s.failures)} ({time.monotonic() - t0:.0f} s)")
    for f in s.failures[:20]:
        print("  " + f)
    return 1 if s.failures else 0


if __name__ == "__main__":
    sys.exit(main())
