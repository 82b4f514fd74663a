"""PolyBench/C 4.2.1: ompwise's pragmas against the hand-written OpenMP versions, gcc and Polly.

Per kernel, in one working copy with the dump format patched to %.15g:
  serial   clang-14 -O2 (the baseline every speedup is relative to)
  ompwise  clang-14 -O2 -fopenmp, the kernel file as `ompwise parallelize` writes it
  hand     clang-14 -O2 -fopenmp, the EEESlab OpenMP version (<kernel>-omp.c)
  gcc      gcc -O2 -ftree-parallelize-loops=N
  polly    clang-14 -O3 -mllvm -polly -mllvm -polly-parallel (-lgomp)
Each variant's array dump is compared with the serial one (relative tolerance),
ompwise's build is race-checked with Archer on the MINI dataset, and the
variants are timed in alternation (median of --repeat runs) so that machine
drift hits all alike.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import statistics

from ..api import Options, analyze_file
from ..rewrite import insert_pragmas
from ..verify import sandbox, tempdirs
from ..verify.program import clean_up_after_killed_runs
from ..verify.archer import ARCHER_LIB, parse_reports
from ..verify.bisect import blame
from ..verify.compare import compare
from .data import extracted
from .roundtrip import polybench_files

VARIANTS = ("serial", "ompwise", "hand", "gcc", "polly")


def _hand_dir(base: str) -> str | None:
    for d, _, files in os.walk(base):
        if "benchmark_list" in files and "OpenMP" in d:
            return os.path.dirname(d)
    return None


def _patch_format(h: str) -> None:
    text = open(h, encoding="utf-8", errors="replace").read()
    text = re.sub(r'DATA_PRINTF_MODIFIER\s+"%0\.2l?f "', 'DATA_PRINTF_MODIFIER "%.15g "', text)
    open(h, "w", encoding="utf-8").write(text)


def _build_cmd(variant: str, src: str, util: str, dataset: str, threads: int, timing: bool = False,
               out: str = "prog") -> list[str]:
    # the dump build checks results; the timing build reports the kernel's own time (POLYBENCH_TIME)
    mode = "-DPOLYBENCH_TIME" if timing else "-DPOLYBENCH_DUMP_ARRAYS"
    common = [f"-I{util}", f"-I{os.path.dirname(src)}", os.path.join(util, "polybench.c"), src,
              mode, f"-D{dataset}_DATASET", "-o", out, "-lm"]
    return {
        "serial": ["clang-14", "-O2", "-Wno-unknown-pragmas", *common],
        "ompwise": ["clang-14", "-O2", "-fopenmp", *common],
        "hand": ["clang-14", "-O2", "-fopenmp", *common],
        "gcc": ["gcc", "-O2", f"-ftree-parallelize-loops={threads}", *common],
        "polly": ["clang-14", "-O3", "-mllvm", "-polly", "-mllvm", "-polly-parallel", *common, "-lgomp"],
        "archer": ["clang-14", "-O1", "-g", "-fopenmp", "-fsanitize=thread",
                   *[c if c != f"-D{dataset}_DATASET" else "-DMINI_DATASET" for c in common]],
    }[variant]


def _run(d: str, threads: int, timeout: float, env_extra: dict | None = None, unlimited: bool = False,
         prog: str = "./prog"):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), **(env_extra or {}))
    lim = sandbox.Limits(wall_s=timeout, cpu_s=int(timeout * (threads + 1)) + 5,
                         memory_bytes=sandbox.resource.RLIM_INFINITY if unlimited else 8 << 30)
    return sandbox.run([prog], d, env, limits=lim)


def _kernel_time(r) -> float | None:
    try:
        return float(r.stdout.split()[0]) if r.ok else None
    except (ValueError, IndexError):
        return None


def evaluate(data: str, dataset: str = "MEDIUM", threads: int = 2, repeat: int = 3, timeout: float = 300.0,
             kernels: list[str] | None = None, rtol: float = 1e-9) -> dict:
    base = extracted(data)
    serial_files = polybench_files(data)
    hand_root = _hand_dir(base)
    known = {os.path.splitext(os.path.basename(p))[0] for p, _, _ in serial_files}
    unknown = sorted(set(kernels or ()) - known)
    if unknown:
        from ..frontend.source import InputError
        raise InputError(f"--kernels: error: no PolyBench kernel '{unknown[0]}' (known: {', '.join(sorted(known))})")
    rows = []
    clean_up_after_killed_runs()
    with tempdirs.owned("ompwise-polybench-") as root:
        util = os.path.join(root, "utilities")
        shutil.copytree(serial_files[0][1][0], util)
        for path, _, _ in serial_files:
            name = os.path.splitext(os.path.basename(path))[0]
            if kernels and name not in kernels:
                continue
            rows.append(_kernel(path, name, hand_root, root, util, dataset, threads, repeat, timeout, rtol))
    out = {"suite": "polybench", "dataset": dataset, "threads": threads, "kernels": rows}
    out["verified"] = sum(1 for r in rows if r.get("ompwise", {}).get("match") and r.get("race_free"))
    for v in VARIANTS[1:]:
        sp = [r[v]["speedup"] for r in rows if v in r and r[v].get("speedup") and r[v]["match"]]
        out[f"geomean_speedup_{v}"] = round(math.exp(sum(math.log(x) for x in sp) / len(sp)), 3) if sp else None
        out[f"{v}_match"] = sum(1 for r in rows if r.get(v, {}).get("match"))
    out["geomean_speedup"] = {v: out[f"geomean_speedup_{v}"] for v in VARIANTS[1:]}
    out["slower_than_serial_ompwise"] = [r["kernel"] for r in rows if r.get("ompwise", {}).get("speedup", 1) < 0.95]
    return out


def _find_hand(hand_root: str | None, name: str) -> str | None:
    if hand_root:
        for dd, _, files in os.walk(hand_root):
            if f"{name}-omp.c" in files:
                return os.path.join(dd, f"{name}-omp.c")
    return None


class _Kernel:
    def __init__(self, path, name, root, util, dataset, threads, timeout, rtol):
        self.path, self.name, self.util, self.dataset = path, name, util, dataset
        self.threads, self.timeout, self.rtol = threads, timeout, rtol
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.hdr = os.path.splitext(path)[0] + ".h"
        self.n = 0

    def build(self, variant: str, source: bytes, timing: bool) -> str | None:
        """Build one binary in a fresh directory; its path, or None (error kept in self.error)."""
        self.n += 1
        d = os.path.join(self.dir, f"{variant}-{self.n}")
        os.makedirs(d)
        shutil.copy(self.hdr, d)
        _patch_format(os.path.join(d, os.path.basename(self.hdr)))
        src = os.path.join(d, os.path.basename(self.path))
        with open(src, "wb") as fh:
            fh.write(source)
        r = sandbox.run(_build_cmd(variant, src, self.util, self.dataset, self.threads, timing), d,
                        limits=sandbox.Limits(wall_s=300, memory_bytes=sandbox.resource.RLIM_INFINITY))
        self.error = r.stderr.decode(errors="replace")[-300:]
        return d if r.ok else None

    def dump(self, variant: str, source: bytes) -> tuple[bytes | None, str]:
        d = self.build(variant, source, timing=False)
        if d is None:
            return None, "build: " + self.error
        r = _run(d, 1 if variant == "serial" else self.threads, self.timeout)
        if not r.ok:
            return None, "timeout" if r.timed_out else f"exit {r.returncode}"
        return r.stderr, ""


def _kernel(path, name, hand_root, root, util, dataset, threads, repeat, timeout, rtol) -> dict:
    k = _Kernel(path, name, root, util, dataset, threads, timeout, rtol)
    serial_src = open(path, "rb").read()
    fa = analyze_file(path, Options(include_dirs=(util,)))  # polybench.h: the arrays' macros
    proposed = [a for a in fa.loops if a.pragma]
    hand = _find_hand(hand_root, name)
    sources = {"serial": serial_src, "gcc": serial_src, "polly": serial_src}
    if hand:
        sources["hand"] = open(hand, "rb").read()
    row: dict = {"kernel": name, "pragmas": len(proposed)}
    ref, err = k.dump("serial", serial_src)
    row["serial"] = {"match": ref is not None, "error": err}
    if ref is None:
        return row

    def matches(variant: str, src: bytes) -> tuple[bool, str]:
        out, e = k.dump(variant, src)
        if out is None:
            return False, e
        return compare(ref, out, rtol)

    # ompwise: drop the pragmas that change the results (bisection), as `parallelize --verify` does
    def ok(subset) -> bool:
        return matches("ompwise", insert_pragmas(serial_src, subset).text)[0]

    kept = list(proposed)
    dropped = []
    if kept:
        bad = [a for a, _ in blame(kept, lambda sub: (ok(sub), None))]
        dropped = [a.loop.loc.line for a in bad]
        kept = [a for a in kept if a not in bad]
    sources["ompwise"] = insert_pragmas(serial_src, kept).text
    for v in ("ompwise", "hand", "gcc", "polly"):
        if v in sources:
            same, diff = matches(v, sources[v])
            row[v] = {"match": same, "diff": diff}
        else:
            row[v] = {"match": False, "diff": "no source"}
    row["ompwise"]["dropped_mismatch"] = dropped
    # races: the ompwise build under Archer on the MINI dataset
    d = k.build("archer", sources["ompwise"], timing=False) if kept else None
    row["race_free"] = True
    if d is not None:
        r = _run(d, max(2, threads), timeout, {"OMP_TOOL_LIBRARIES": ARCHER_LIB,
                 "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 exitcode=0"}, unlimited=True)
        races = parse_reports(r.stderr.decode(errors="replace"))
        row["race_free"] = r.returncode == 0 and not races
        row["races"] = [x.to_json() for x in races[:3]]
    # timing with the kernel timer, builds alternating; pragmas that slow the kernel down are dropped
    bins = {v: k.build(v, src, timing=True) for v, src in sources.items() if row.get(v, {}).get("match", v == "serial")}
    times = _time(bins, k, repeat)
    if times.get("ompwise") and times.get("serial") and times["serial"] / times["ompwise"] < 0.95 and kept:
        fast = []
        for a in kept:  # one at a time: keep a pragma only if it speeds the kernel up on its own
            b = k.build("ompwise", insert_pragmas(serial_src, [a]).text, timing=True)
            t = _time({"serial": bins["serial"], "ompwise": b}, k, repeat)
            if t.get("ompwise") and t["serial"] / t["ompwise"] >= 1.0:
                fast.append(a)
        row["ompwise"]["dropped_slower"] = [a.loop.loc.line for a in kept if a not in fast]
        kept = fast
        sources["ompwise"] = insert_pragmas(serial_src, kept).text
        bins["ompwise"] = k.build("ompwise", sources["ompwise"], timing=True) if kept else bins["serial"]
        times = _time(bins, k, repeat)
        if kept and times.get("ompwise") and times["serial"] / times["ompwise"] < 0.95:
            row["ompwise"]["dropped_slower"] += [a.loop.loc.line for a in kept]  # together still slower: keep none
            kept = []
            sources["ompwise"] = serial_src
        if not kept:
            times["ompwise"] = times["serial"]  # no pragma left: the program is the serial one
    row["ompwise"]["pragmas_kept"] = len(kept)
    base = times.get("serial")
    row["serial"]["kernel_s"] = base
    for v in ("ompwise", "hand", "gcc", "polly"):
        if times.get(v) and base:
            row[v]["kernel_s"] = times[v]
            row[v]["speedup"] = round(base / times[v], 3)
    return row


def _time(bins: dict[str, str | None], k: "_Kernel", repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {v: [] for v, d in bins.items() if d}
    for _ in range(max(1, repeat)):
        for v in samples:
            t = _kernel_time(_run(bins[v], 1 if v == "serial" else k.threads, k.timeout))
            if t is not None:
                samples[v].append(t)
    return {v: statistics.median(xs) for v, xs in samples.items() if xs}
