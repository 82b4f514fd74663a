"""Analysis speed: loops per second on the OMPify test split, and wall time on NPB 3.3 SER-C.

    taskset -c 0 .venv/bin/python benchmarks/speed.py [--data ../shared/data] [--limit N] [--passes 3] [--model DIR|default]

Each OMPify loop is wrapped in a function to make a translation unit and run
through the whole pipeline (parse, legality, advice) in this process, on one
core. The pass over all units is repeated (``--passes``) and every pass is
printed with their median (process-wide memos are cleared before each pass), because a shared 2-core machine drifts by several
per cent from one run to the next. Peak memory is the process's maximum
resident set size.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

from ompwise import analyze_source
from ompwise.api import Options, analyze_file
from ompwise.evaluate.ompify import unit


def _forget() -> None:
    """Clear the process-wide memos (isl emptiness answers, lowered macros, parsed numbers)."""
    from ompwise.analysis import dependence, macros
    from ompwise.frontend import parse
    for f in (dependence._empty, dependence._empty_rows, macros._macro_function, parse._number):
        f.cache_clear()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--model", default=None, help="'default' (the shipped model) or a model directory; none: the analysis alone")
    args = ap.parse_args()
    model = None
    if args.model:
        from ompwise.model import shipped_model
        model = shipped_model() if args.model == "default" else args.model
    path = os.path.join(args.data, "eval", "ompify", "test.jsonl")
    units = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            code = json.loads(line)["code"]
            units.append(unit(code))
            if args.limit and len(units) >= args.limit:
                break
    rates = []
    for k in range(max(1, args.passes)):
        _forget()  # each pass starts as cold as the first: no memo carries answers over
        t0, c0 = time.perf_counter(), time.process_time()
        loops = parallel = 0
        for u in units:
            fa = analyze_source(u, "loop.c", "c", Options(read_headers=False, model=model))
            loops += len(fa.loops)
            parallel += sum(1 for a in fa.loops if a.pragma)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        rates.append(loops / cpu)
        print(f"pass {k + 1}: ompify test: {len(units)} translation units, {loops} loops (nested included) in "
              f"{dt:.2f} s wall, {cpu:.2f} s CPU: {len(units) / cpu:.0f} units/s, {loops / cpu:.0f} loops/s of CPU "
              f"time ({loops / dt:.0f} loops/s wall); {parallel} pragmas recommended")
    print(f"median of {len(rates)} passes: {statistics.median(rates):.0f} loops/s of CPU time "
          f"(min {min(rates):.0f}, max {max(rates):.0f})")

    from ompwise.evaluate.roundtrip import npb_files
    work, files = npb_files(os.path.join(args.data, "bench", "npb"))
    t0 = time.perf_counter()
    n = 0
    for p, inc, _ in files:
        n += len(analyze_file(p, Options(include_dirs=tuple(inc))).loops)
    dt = time.perf_counter() - t0
    print(f"NPB 3.3 SER-C: {len(files)} files, {n} loops in {dt:.2f} s")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
