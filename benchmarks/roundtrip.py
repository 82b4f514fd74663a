"""Round trip of `ompwise parallelize` on PolyBench/C 4.2.1 and NPB 3.3 SER-C.

    .venv/bin/python benchmarks/roundtrip.py [--data ../shared/data]

For every file: pragmas inserted, output compiled with gcc and clang-14
(-fopenmp -Wall -Wunknown-pragmas -fsyntax-only: no unknown-pragma warning may be added), inserted lines removed and the
result compared byte for byte with the input.
"""
import argparse
import json
import os
import shutil
import sys

from ompwise.evaluate.roundtrip import compilers, npb_files, polybench_files, roundtrip_file


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--json", help="write per-file results here")
    args = ap.parse_args()
    ccs = compilers()
    suites = {"polybench": polybench_files(os.path.join(args.data, "bench", "polybench"))}
    work, npb = npb_files(os.path.join(args.data, "bench", "npb"))
    suites["npb-ser-c"] = npb
    rows = []
    ok_all = True
    for suite, files in suites.items():
        res = [roundtrip_file(p, inc, d, ccs) for p, inc, d in files]
        restored = sum(r.restored for r in res)
        line = f"{suite}: {len(res)} files, {sum(r.pragmas for r in res)} pragmas inserted, restored {restored}/{len(res)}"
        for cc in ccs:
            base = [r for r in res if r.original_compiles.get(cc)]
            good = sum(r.compiles[cc] for r in base)
            line += f", {cc} {good}/{len(base)}"
            ok_all &= good == len(base)
        ok_all &= restored == len(res)
        print(line)
        for r in res:
            if not r.restored or r.error:
                print(f"  {r.path}: restored={r.restored} {r.error}")
        rows += [dict(suite=suite, **r.__dict__) for r in res]
    shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
