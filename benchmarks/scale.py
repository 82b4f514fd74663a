"""Scale: `ompwise check` on projects of many files and on files of many functions.

    .venv/bin/python benchmarks/scale.py [--data ../shared/data] [--sizes 100,200,400,800,1000,1600]
                                         [--functions 500,1000,2000,4000,8000] [--big-mb 5] [--quick]

Projects: the realapps tarballs are unpacked and their project directories (sources and
the headers next to them) copied again and again under new top-level folders copy_K/
until the project holds N files as `check` counts them (sources and headers); the last
copy keeps the same share of each project, to make N exact. Copy K's external functions
(and out-of-line members, 'Class::NAME') are renamed NAME_cK, so that the copies form one program of distinct functions as a real
project of that size would (a name defined twice is left out of `check`'s program table). The copies are one program, as `check DIR` takes them.
Functions: one generated C file of N small functions, each with a loop (element-wise
updates, reductions, a 2-D stencil, a call of another function); and one generated file
of about --big-mb megabytes of the same functions.

Each point is a fresh `python -m ompwise check --format json` pinned to one core
(`taskset -c 0`); wall time, CPU time (user + system) and peak resident memory are the
child's own, from wait4. Time per file / per function is printed so that growth that is
not linear shows as a rising column. The check: 1,000 files in under 60 s on one core.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))
from ompwise.frontend.parse import language_for, parse_source  # noqa: E402
from ompwise.frontend.source import header_language  # noqa: E402
from ompwise.analysis.stdlib import BY_NAME, CONST_METHODS, SETTER_METHODS  # noqa: E402

LIBRARY = {n.rsplit("::", 1)[-1] for n in BY_NAME} | CONST_METHODS | set(SETTER_METHODS)

HEADERS = (".h", ".hpp", ".hh", ".hxx", ".H")
FILES_LIMIT = (1000, 60.0)  # the acceptance: 1,000 files in under 60 s on one core


def measure(args: list[str], timeout: float, cpu: str = "0") -> dict:
    """One `ompwise check` in a fresh process on one core: wall, CPU, peak RSS, loops."""
    pin = ["taskset", "-c", cpu] if shutil.which("taskset") else []
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*pin, sys.executable, "-m", "ompwise", "check", "--format", "json", *args],
                                stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        timed_out = False
        while True:  # (wait4 rather than wait: the rusage of this child alone)
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                timed_out = True
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        try:
            loops = sum(len(f["loops"]) for f in json.load(out)["files"])
        except (ValueError, KeyError, TypeError):
            loops = None
    return dict(wall=wall, cpu=ru.ru_utime + ru.ru_stime, rss_mb=ru.ru_maxrss / 1024, loops=loops,
                rc=proc.returncode, timed_out=timed_out)


def unpack(data: str, into: str) -> list[str]:
    """The realapps project directories, unpacked under ``into``."""
    archives = sorted(glob.glob(os.path.join(data, "bench", "realapps", "*.tar.gz")))
    if not archives:
        sys.exit(f"no realapps archives under {data}/bench/realapps")
    for a in archives:
        with tarfile.open(a) as t:
            t.extractall(into, filter="data")
    return sorted(os.path.join(into, d) for d in os.listdir(into) if os.path.isdir(os.path.join(into, d)))


def _counted(directory: str) -> list[str]:
    """The files `check` analyzes in ``directory``."""
    return sorted(os.path.join(r, n) for r, _, names in os.walk(directory) for n in names if language_for(n))


def _trim(directory: str, keep: int) -> None:
    """Remove files until ``keep`` are left, sources and headers in their proportion."""
    files = _counted(directory)
    headers = [f for f in files if f.endswith(HEADERS)]
    sources = [f for f in files if not f.endswith(HEADERS)]
    ks = round(keep * len(sources) / len(files))
    for f in sources[ks:] + headers[keep - ks:]:
        os.remove(f)


def external_functions(project: str) -> set[str]:
    """The names the program table of `check` holds the project's functions under (free
    functions, and the last part of out-of-line members' 'Class::name'), less those of
    the standard library: a copy must call the same library."""
    names: set[str] = set()
    files = _counted(project)
    h = header_language(files)
    for f in files:
        with open(f, "rb") as fh:
            tu = parse_source(fh.read(), f, h if f.endswith(".h") else None)
        for g in tu.functions:
            *scope, short = g.name.split("::")
            # (constructors, destructors and operators keep their names: the class's name does)
            if not g.static and g.class_name is None and short.isidentifier() and short not in scope[-1:] \
                    and not short.startswith("operator"):
                names.add(short)
    return names - LIBRARY - {"main"}  # (each copy keeps its own main: no file calls it)


def _rename(directory: str, names: set[str], suffix: str) -> None:
    """Give the external functions of a copy names of their own: `check` leaves a name
    defined twice out of the program's table, so copies that kept the names would be a
    program without calls between its files (and much faster than a real one)."""
    if not names:
        return
    word = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    for f in _counted(directory):
        with open(f, encoding="utf-8", errors="surrogateescape") as fh:
            lines = fh.read().split("\n")
        # (not in '#include "name.h"': a header may share a function's name)
        text = "\n".join(l if l.lstrip().startswith("#include") else word.sub(r"\1" + suffix, l) for l in lines)
        with open(f, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)


def make_project(projects: list[str], n: int, into: str, names: dict[str, set[str]]) -> int:
    """Copies of the projects under ``into``/copy_K/ that hold ``n`` files in all, the
    external functions of copy K renamed to NAME_cK.

    Whole copies, then a partial one that keeps the same share of each project (so that
    every size has the same mix of C, C++ and heavy and light files)."""
    sizes = [len(_counted(p)) for p in projects]
    whole, rest = divmod(n, sum(sizes))
    share = [rest * s // sum(sizes) for s in sizes]
    for k in range(rest - sum(share)):  # (what rounding down left: one more file each)
        share[k % len(share)] += 1
    total = 0
    for k in range(whole + (rest > 0)):
        for p, keep in zip(projects, share if k == whole else sizes):
            if keep == 0:
                continue
            dst = os.path.join(into, f"copy_{k}", os.path.basename(p))
            shutil.copytree(p, dst)
            _trim(dst, keep)
            if k:
                _rename(dst, names[p], f"_c{k}")
            total += keep
    return total


_KINDS = (
    "void f{k}(double *x, const double *y, int n) {{\n"
    "  for (int i = 0; i < n; i++)\n    x[i] = {k}.0 * y[i] + x[i];\n}}\n",
    "double f{k}(const double *y, int n) {{\n  double s = 0.0;\n"
    "  for (int i = 0; i < n; i++)\n    s += y[i] * y[i];\n  return s;\n}}\n",
    "void f{k}(int n, double a[n][n], double b[n][n]) {{\n"
    "  for (int i = 1; i < n - 1; i++)\n    for (int j = 1; j < n - 1; j++)\n"
    "      b[i][j] = 0.25 * (a[i-1][j] + a[i+1][j] + a[i][j-1] + a[i][j+1]);\n}}\n",
    "double f{k}(double *x, const double *y, int n) {{\n  double s = 0.0;\n"
    "  for (int i = 0; i < n; i++)\n    s += f{p}(y, n) + x[i];\n  return s;\n}}\n",
)


def generate(path: str, functions: int = 0, size: int = 0) -> int:
    """A C file of ``functions`` small functions (or as many as make ``size`` bytes)."""
    parts, length, k = [], 0, 0
    while (functions and k < functions) or (size and length < size):
        # (kind 3 calls f{k-2}, a reduction defined before it: short call chains)
        text = _KINDS[k % 4].format(k=k, p=k - 2)
        parts.append(text)
        length += len(text)
        k += 1
    with open(path, "w") as fh:
        fh.write("\n".join(parts))
    return k


def _row(label: str, count: int, unit: str, m: dict) -> str:
    per = m["cpu"] / count * 1000
    loops = "-" if m["loops"] is None else f"{m['loops']:,}"
    more = ">" if m["timed_out"] else ""  # (stopped: the figures are lower bounds)
    state = " stopped at --timeout" if m["timed_out"] else ""
    return (f"| {label:<22} | {count:>7,} | {loops:>8} | {more + format(m['wall'], '.2f'):>8} | {more + format(m['cpu'], '.2f'):>8} | "
            f"{more + format(per, '.2f'):>8} ms/{unit} | {m['rss_mb']:>7.0f} |{state}")


def _header(what: str) -> None:
    print(f"\n| {what:<22} | {'count':>7} | {'loops':>8} | {'wall s':>8} | {'CPU s':>8} | {'CPU per item':>14} | {'RSS MB':>7} |")
    print("|" + "|".join("-" * (w + 1) + ":" if k else "-" * (w + 2) for k, w in enumerate((22, 7, 8, 8, 8, 14, 7))) + "|")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--sizes", default="100,200,400,800,1000,1600", help="project sizes in files")
    ap.add_argument("--functions", default="500,1000,2000,4000,8000", help="functions per generated file")
    ap.add_argument("--big-mb", type=float, default=5.0, help="size of the one big generated file (0: skip)")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="seconds per point before it is stopped; larger projects are then skipped (default 300)")
    ap.add_argument("--cpu", default="0", help="the core each run is pinned to (default 0)")
    ap.add_argument("--quick", action="store_true", help="100 and 200 files, 500 and 1,000 functions, no big file")
    args = ap.parse_args()
    sizes, functions, big = _ints(args.sizes), _ints(args.functions), args.big_mb
    if args.quick:
        sizes, functions, big = [100, 200], [500, 1000], 0.0
    verdict, stopped = None, None
    with tempfile.TemporaryDirectory(prefix="ompwise-scale-") as tmp:
        if sizes:
            projects = unpack(args.data, os.path.join(tmp, "realapps"))
            names = {p: external_functions(p) for p in projects}
            _header("project (realapps)")
            for n in sorted(sizes):
                if stopped is not None:  # (growth is at least linear: a larger one would run past too)
                    print(f"| {n:,} files: skipped, {stopped:,} files ran past --timeout")
                    continue
                where = os.path.join(tmp, f"files_{n}")
                got = make_project(projects, n, where, names)
                m = measure([where], args.timeout, args.cpu)
                print(_row(f"{got:,} files", got, "file", m), flush=True)
                stopped = got if m["timed_out"] else None
                if got == FILES_LIMIT[0]:
                    verdict = m
                shutil.rmtree(where)
        if functions or big:
            _header("one generated file")
            for n in functions:
                path = os.path.join(tmp, f"gen_{n}.c")
                generate(path, functions=n)
                print(_row(f"{n:,} functions", n, "fn", measure([path], args.timeout, args.cpu)), flush=True)
            if big:
                path = os.path.join(tmp, "big.c")
                n = generate(path, size=int(big * (1 << 20)))
                mb = os.path.getsize(path) / (1 << 20)
                print(_row(f"{mb:.1f} MB, {n:,} fn", n, "fn", measure([path], args.timeout, args.cpu)), flush=True)
    n, limit = FILES_LIMIT
    if verdict is not None:
        ok = verdict["cpu"] < limit and verdict["wall"] < limit and not verdict["timed_out"]
        took = "stopped after" if verdict["timed_out"] else "in"
        print(f"\ncheck: {n:,} files {took} {verdict['wall']:.1f} s wall, {verdict['cpu']:.1f} s CPU on one core "
              f"(limit {limit:.0f} s): {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    if n in sizes and stopped is not None:
        print(f"\ncheck: {n:,} files: FAIL ({stopped:,} files already ran past --timeout {args.timeout:.0f} s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
