"""NPB 3.3 SER-C: parallelize every benchmark with ompwise, build with its own Makefiles,
check NPB's verification, time it against NPB-OMP, and count the hand-parallelized loops
that ompwise also parallelized."""
from __future__ import annotations

import os
import re
import shutil
import statistics

from ..api import Options, analyze_file
from ..frontend.parse import parse_source
from ..rewrite import insert_pragmas
from ..verify import sandbox, tempdirs
from ..verify.program import clean_up_after_killed_runs
from .data import extracted, find_dir

BENCHMARKS = ("BT", "CG", "EP", "FT", "IS", "LU", "MG", "SP")
_TIME = re.compile(rb"Time in seconds\s*=\s*([0-9.eE+-]+)")
_OK = re.compile(rb"Verification\s*=\s*SUCCESSFUL")


def _make(tree: str, bench: str, klass: str, cflags: str) -> tuple[str | None, str]:
    env = dict(os.environ)
    cmd = ["make", "-s", bench.lower(), f"CLASS={klass}", "CC=clang-14", f"CFLAGS={cflags} -mcmodel=medium",
           f"CLINKFLAGS={cflags} -mcmodel=medium", "CLINK=clang-14"]
    r = sandbox.run(cmd, tree, env, limits=sandbox.Limits(wall_s=600, cpu_s=1200, memory_bytes=sandbox.resource.RLIM_INFINITY))
    exe = os.path.join(tree, "bin", f"{bench.lower()}.{klass}.x")
    if not r.ok or not os.path.exists(exe):
        return None, (r.stderr or r.stdout).decode(errors="replace")[-400:]
    dst = exe + f".{abs(hash(cflags)) % 10000}"
    shutil.move(exe, dst)
    return dst, ""


def _run(exe: str, threads: int, timeout: float):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    r = sandbox.run([exe], os.path.dirname(exe), env, limits=sandbox.Limits(wall_s=timeout, cpu_s=int(timeout * 3),
                                                                           memory_bytes=sandbox.resource.RLIM_INFINITY))
    ok = r.ok and bool(_OK.search(r.stdout))
    m = _TIME.search(r.stdout)
    return ok, float(m.group(1)) if m else None


def _parallelize_tree(tree: str) -> dict[str, int]:
    counts = {}
    common = os.path.join(tree, "common")
    for bench in BENCHMARKS:
        d = os.path.join(tree, bench)
        n = 0
        program = _program(tree, bench)
        for f in sorted(os.listdir(d)):
            if f.endswith(".c"):
                p = os.path.join(d, f)
                fa = analyze_file(p, Options(include_dirs=(common,), program=program))
                rw = insert_pragmas(fa.tu.raw(), fa.loops)
                open(p, "wb").write(rw.text)
                n += len(rw.inserted_lines)
        counts[bench] = n
    return counts


def _program(tree: str, bench: str) -> tuple[str, ...]:
    """The sources linked into one benchmark: its own files and those of common/."""
    out = []
    for d in (os.path.join(tree, bench), os.path.join(tree, "common")):
        out += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".c")]
    return tuple(out)


def _header(text: str) -> str:
    return re.sub(r"\s+", "", text)


def loop_coverage(ser: str, omp: str) -> dict:
    """Share of NPB-OMP's worksharing loops whose serial twin gets an ompwise pragma (or sits inside one)."""
    total = hit = 0
    per = {}
    for bench in BENCHMARKS:
        t = h = 0
        for f in sorted(os.listdir(os.path.join(omp, bench))):
            if not f.endswith(".c") or not os.path.exists(os.path.join(ser, bench, f)):
                continue
            otu = parse_source(open(os.path.join(omp, bench, f), "rb").read(), f, "c")
            program = _program(ser, bench)
            fa = analyze_file(os.path.join(ser, bench, f), Options(include_dirs=(os.path.join(ser, "common"),),
                                                                   program=program))
            covered = set()
            for a in fa.loops:
                if a.pragma:
                    stack = [a.loop.id]
                    while stack:
                        i = stack.pop()
                        covered.add(i)
                        stack.extend(fa.tu.loops[i].children)
            index: dict[tuple[str, str], list[int]] = {}
            for l in fa.tu.loops:
                index.setdefault((l.function, _header(l.header_text)), []).append(l.id)
            seen: dict[tuple[str, str], int] = {}
            for l in otu.loops:
                if l.pragma is None or "for" not in l.pragma.directive.split():
                    continue
                key = (l.function, _header(l.header_text))
                k = seen.get(key, 0)
                seen[key] = k + 1
                cands = index.get(key, [])
                t += 1
                if k < len(cands) and cands[k] in covered:
                    h += 1
        per[bench] = {"omp_loops": t, "also_ompwise": h}
        total += t
        hit += h
    return {"omp_loops": total, "also_ompwise": hit, "share": round(hit / total, 4) if total else 0.0, "per_benchmark": per}


def evaluate(data: str, classes: tuple[str, ...] = ("S", "W"), threads: int = 2, repeat: int = 3,
             timeout: float = 600.0) -> dict:
    base = extracted(data)
    ser_src = find_dir(base, "NPB3.3-SER-C")
    omp_src = find_dir(base, "NPB3.3-OMP-C")
    rows = []
    clean_up_after_killed_runs()
    with tempdirs.owned("ompwise-npb-") as root:
        ser, par, omp = (os.path.join(root, n) for n in ("serial", "ompwise", "omp"))
        shutil.copytree(ser_src, ser)
        shutil.copytree(ser_src, par)
        shutil.copytree(omp_src, omp)
        pragmas = _parallelize_tree(par)
        for tree in (ser, par, omp):
            sandbox.run(["make", "-s", "-C", "sys", "setparams"], tree, limits=sandbox.Limits(wall_s=120))
        for bench in BENCHMARKS:
            for klass in classes:
                row = {"benchmark": bench, "class": klass, "pragmas": pragmas[bench]}
                exes = {}
                for name, tree, flags in (("serial", ser, "-O2"), ("ompwise", par, "-O2 -fopenmp"), ("npb-omp", omp, "-O2 -fopenmp")):
                    exe, err = _make(tree, bench, klass, flags)
                    exes[name] = exe
                    if exe is None:
                        row[name] = {"built": False, "error": err}
                samples = {n: [] for n, e in exes.items() if e}
                verified = {n: True for n in samples}
                for _ in range(max(1, repeat)):
                    for n in samples:
                        ok, t = _run(exes[n], 1 if n == "serial" else threads, timeout)
                        verified[n] &= ok
                        if t is not None:
                            samples[n].append(t)
                for n in samples:
                    row[n] = {"verified": verified[n], "time_s": round(statistics.median(samples[n]), 4) if samples[n] else None}
                s = row.get("serial", {}).get("time_s")
                for n in ("ompwise", "npb-omp"):
                    t = row.get(n, {}).get("time_s")
                    if s and t:
                        row[n]["speedup"] = round(s / t, 3)
                rows.append(row)
    cov = loop_coverage(ser_src, omp_src)
    changed = [r for r in rows if r["pragmas"]]
    return {"suite": "npb", "threads": threads, "classes": list(classes), "rows": rows,
            "ompwise_verified": sum(1 for r in changed if r.get("ompwise", {}).get("verified")),
            "ompwise_changed": len(changed), "coverage": cov}
