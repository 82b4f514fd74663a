"""`ompwise races --static-only` on correct, hand-written OpenMP code: every finding is a
false positive or a real race in the benchmark.

    .venv/bin/python benchmarks/races_real_code.py [--data ../shared/data]

Suites: NPB 3.3 OpenMP C (class S parameters generated with NPB's own setparams), the
hand-written OpenMP PolyBench/C 4.2.1 (EEESlab), and the OpenMP originals shipped in
AutoParBench (NPB 3.0 and Rodinia 3.1; its DataRaceBench copy, racy by design, is
left out). Each benchmark directory's files are checked
together (one program). Prints the findings per suite and benchmark.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))

from ompwise.evaluate.data import extracted, find_dir  # noqa: E402

OMPWISE = [sys.executable, "-m", "ompwise"]


def races(files: list[str], includes: list[str], cwd: str) -> list[dict]:
    cmd = OMPWISE + ["races", "--static-only", "--format", "json"] + sum((["-I", i] for i in includes), []) + files
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=900,
                       env=dict(os.environ, PYTHONPATH=os.path.join(HERE, "..", "src")))
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return []
    return [dict(f, file=os.path.relpath(x["path"], cwd)) for x in doc["files"] for f in x["findings"]]


def npb33(data: str, work: str):
    omp = find_dir(extracted(os.path.join(data, "bench", "npb")), "NPB3.3-OMP-C")
    root = os.path.join(work, "NPB3.3-OMP-C")
    shutil.copytree(omp, root)
    subprocess.run(["make", "-s", "-C", os.path.join(root, "sys"), "setparams"], capture_output=True, timeout=120)
    for b in ("BT", "CG", "EP", "FT", "IS", "LU", "MG", "SP", "UA"):
        d = os.path.join(root, b)
        if not os.path.isdir(d):
            continue
        subprocess.run([os.path.join(root, "sys", "setparams"), b.lower(), "S"], cwd=d, capture_output=True, timeout=60)
        files = sorted(glob.glob(os.path.join(d, "*.c")))
        yield b, races(files, [os.path.join(root, "common"), d], d)


def polybench(data: str):
    base = extracted(os.path.join(data, "bench", "polybench"))
    for util in glob.glob(os.path.join(base, "**", "utilities"), recursive=True):
        root = os.path.dirname(util)
        files = sorted(glob.glob(os.path.join(root, "**", "*-omp.c"), recursive=True))
        if files:
            found = []
            for f in files:
                found += races([f], [util, os.path.dirname(f)], os.path.dirname(f))
            yield "PolyBench-OpenMP", found


def autoparbench(data: str):
    root = find_dir(extracted(os.path.join(data, "eval", "autoparbench")), "benchmarks")
    orig = os.path.join(root, "original")
    for d, _, names in sorted(os.walk(orig)):
        if "dataracebench" in d:
            continue  # racy by design: scored by 'ompwise evaluate drb'
        srcs = sorted(os.path.join(d, n) for n in names if n.endswith((".c", ".cpp")))
        if not srcs or not any("#pragma omp" in open(s, errors="replace").read() for s in srcs):
            continue
        common = os.path.join(os.path.dirname(d), "common")
        yield os.path.relpath(d, orig), races(srcs, [d] + ([common] if os.path.isdir(common) else []), d)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ompwise-races-")
    try:
        total = 0
        for suite, gen in (("NPB 3.3 OpenMP", npb33(args.data, work)), ("PolyBench OpenMP", polybench(args.data)),
                           ("AutoParBench originals", autoparbench(args.data))):
            n_suite = 0
            for name, found in gen:
                n_suite += len(found)
                if found:
                    print(f"  {suite} / {name}: {len(found)} finding(s)")
                    for f in found[:20]:
                        print(f"    {f['file']}:{f['line']}: {f['code']} '{f['variable']}'")
            print(f"{suite}: {n_suite} finding(s)")
            total += n_suite
        print(f"total: {total} finding(s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
