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
import tempfile

from ..api import Options, analyze_file
from ..rewrite import insert_pragmas
from ..verify import sandbox
from ..verify.archer import ARCHER_LIB, parse_reports
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


def _build_cmd(variant: str, src: str, util: str, dataset: str, threads: int) -> list[str]:
    common = [f"-I{util}", f"-I{os.path.dirname(src)}", os.path.join(util, "polybench.c"), src,
              "-DPOLYBENCH_DUMP_ARRAYS", f"-D{dataset}_DATASET", "-o", "prog", "-lm"]
    return {
        "serial": ["clang-14", "-O2", "-Wno-unknown-pragmas", *common],
        "ompwise": ["clang-14", "-O2", "-fopenmp", *common],
        "hand": ["clang-14", "-O2", "-fopenmp", *common],
        "gcc": ["gcc", "-O2", f"-ftree-parallelize-loops={threads}", *common],
        "polly": ["clang-14", "-O3", "-mllvm", "-polly", "-mllvm", "-polly-parallel", *common, "-lgomp"],
        "archer": ["clang-14", "-O1", "-g", "-fopenmp", "-fsanitize=thread",
                   *[c if c != f"-D{dataset}_DATASET" else "-DMINI_DATASET" for c in common]],
    }[variant]


def _run(d: str, threads: int, timeout: float, env_extra: dict | None = None, unlimited: bool = False):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), **(env_extra or {}))
    lim = sandbox.Limits(wall_s=timeout, cpu_s=int(timeout * (threads + 1)) + 5,
                         memory_bytes=sandbox.resource.RLIM_INFINITY if unlimited else 8 << 30)
    return sandbox.run(["./prog"], d, env, limits=lim)


def evaluate(data: str, dataset: str = "MEDIUM", threads: int = 2, repeat: int = 3, timeout: float = 300.0,
             kernels: list[str] | None = None, rtol: float = 1e-9) -> dict:
    base = extracted(data)
    serial_files = polybench_files(data)
    hand_root = _hand_dir(base)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ompwise-polybench-") as root:
        util = os.path.join(root, "utilities")
        src_util = os.path.dirname(serial_files[0][1][0]) if False else serial_files[0][1][0]
        shutil.copytree(src_util, util)
        for path, _, _ in serial_files:
            name = os.path.splitext(os.path.basename(path))[0]
            if kernels and name not in kernels:
                continue
            rows.append(_kernel(path, name, hand_root, root, util, dataset, threads, repeat, timeout, rtol))
    out = {"suite": "polybench", "dataset": dataset, "threads": threads, "kernels": rows}
    out["verified"] = sum(1 for r in rows if r["ompwise"]["match"] and r["race_free"])
    for v in VARIANTS[1:]:
        sp = [r[v]["speedup"] for r in rows if r[v].get("speedup") and r[v]["match"]]
        out[f"geomean_speedup_{v}"] = round(math.exp(sum(math.log(x) for x in sp) / len(sp)), 3) if sp else None
        out[f"{v}_match"] = sum(1 for r in rows if r[v]["match"])
    out["geomean_speedup"] = {v: out[f"geomean_speedup_{v}"] for v in VARIANTS[1:]}
    out["slower_than_serial_ompwise"] = [r["kernel"] for r in rows if r["ompwise"].get("speedup", 1) < 0.95]
    return out


def _kernel(path, name, hand_root, root, util, dataset, threads, repeat, timeout, rtol) -> dict:
    kdir = os.path.join(root, name)
    os.makedirs(kdir)
    hdr = os.path.splitext(path)[0] + ".h"
    srcs = {}
    # serial / gcc / polly use the untouched kernel; ompwise its parallelized copy; hand the EEESlab file
    for v in ("serial", "ompwise", "hand", "gcc", "polly", "archer"):
        d = os.path.join(kdir, v)
        os.makedirs(d)
        shutil.copy(hdr, d)
        _patch_format(os.path.join(d, os.path.basename(hdr)))
        dst = os.path.join(d, os.path.basename(path))
        if v in ("ompwise", "archer"):
            fa = analyze_file(path, Options(include_dirs=(os.path.dirname(util),)))
            rw = insert_pragmas(fa.tu.source, fa.loops)
            open(dst, "wb").write(rw.text)
            srcs["pragmas"] = len(rw.inserted_lines)
        elif v == "hand":
            rel = os.path.relpath(path, os.path.dirname(os.path.dirname(os.path.dirname(path))))
            cand = None
            if hand_root:
                for dd, _, files in os.walk(hand_root):
                    if f"{name}-omp.c" in files:
                        cand = os.path.join(dd, f"{name}-omp.c")
                        break
            if cand is None:
                continue
            shutil.copy(cand, dst)
        else:
            shutil.copy(path, dst)
    row = {"kernel": name, "pragmas": srcs.get("pragmas", 0)}
    built = {}
    for v in VARIANTS + ("archer",):
        d = os.path.join(kdir, v)
        src = os.path.join(d, os.path.basename(path))
        if not os.path.exists(src):
            row[v] = {"match": False, "error": "source missing"}
            continue
        r = sandbox.run(_build_cmd(v, src, util, dataset, threads), d, limits=sandbox.Limits(wall_s=300, memory_bytes=sandbox.resource.RLIM_INFINITY))
        if not r.ok:
            row[v] = {"match": False, "error": "build: " + r.stderr.decode(errors="replace")[-300:]}
            continue
        built[v] = d
        row.setdefault(v, {})
    ref = None
    if "serial" in built:
        r = _run(built["serial"], 1, timeout)
        ref = r.stderr if r.ok else None
        row["serial"] = {"match": r.ok}
    for v in VARIANTS[1:]:
        if v not in built:
            continue
        r = _run(built[v], threads, timeout)
        if not r.ok:
            row[v] = {"match": False, "error": "timeout" if r.timed_out else f"exit {r.returncode}"}
            built.pop(v)
            continue
        same, diff = compare(ref or b"", r.stderr, rtol) if ref is not None else (False, "no reference")
        row[v] = {"match": same, "diff": diff}
    row["race_free"] = False
    if "archer" in built:
        r = _run(built["archer"], max(2, threads), timeout, {"OMP_TOOL_LIBRARIES": ARCHER_LIB,
                 "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 exitcode=0"}, unlimited=True)
        races = parse_reports(r.stderr.decode(errors="replace"))
        row["race_free"] = r.returncode == 0 and not races
        row["races"] = [x.to_json() for x in races[:3]]
    # timing, alternating the builds
    samples: dict[str, list[float]] = {v: [] for v in built if v != "archer"}
    for _ in range(max(1, repeat)):
        for v in samples:
            r = _run(built[v], 1 if v == "serial" else threads, timeout)
            samples[v].append(r.wall_s)
    if samples.get("serial"):
        base = statistics.median(samples["serial"])
        row["serial"]["median_s"] = round(base, 4)
        for v, xs in samples.items():
            if v == "serial" or not xs:
                continue
            med = statistics.median(xs)
            row[v]["median_s"] = round(med, 4)
            row[v]["speedup"] = round(base / med, 3) if med > 0 else None
    return row
