"""How many of the shared corpus's loops occur in each evaluation set, under ompwise's loop
normalization (ompwise.corpus.normalize) and under a whitespace-and-comment-only comparison (the
one behind the corpus README's figures: 41 OMPify test, 44 valid, 18 HPCorpus).

    .venv/bin/python benchmarks/leakage_scan.py [--data ../shared/data] [--jobs 2] [--json OUT]

Takes every `for` loop (range `for` too; nested ones included) of every C/C++ file of every
`corpus/files-*.jsonl.gz` shard, by tree-sitter, pragma lines blanked. Per evaluation set it
prints the distinct evaluation loops found in the corpus (the README's measure) and the corpus
loops that would be dropped (occurrences), for both comparisons.
"""
import argparse
import collections
import glob
import gzip
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
from ompwise.corpus.evalsets import FOR_NODES, EvalIndex, iter_eval_loops, source_loops  # noqa: E402
from ompwise.corpus.normalize import loop_key  # noqa: E402

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_SPACE = re.compile(r"\s+")


def plain_key(code: str) -> str:
    """Whitespace- and comment-insensitive text (the README's comparison)."""
    return _SPACE.sub("", _COMMENT.sub(" ", code))


def shard_loops(path: str) -> tuple[int, list[tuple[str, str]]]:
    """(C/C++ files, [(normalized key, plain key)] of every for loop) of one shard."""
    files, out = 0, []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("lang") not in ("c", "cpp"):
                continue
            files += 1
            for code in source_loops(rec["text"], FOR_NODES):
                out.append((loop_key(code), plain_key(code)))
    return files, out


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data"))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    t0 = time.time()
    index = EvalIndex.load(args.data)
    plain: dict[str, set[str]] = collections.defaultdict(set)
    for name, code in iter_eval_loops(args.data):
        plain[name].add(plain_key(code))
    t1 = time.time()
    shards = sorted(glob.glob(os.path.join(args.data, "corpus", "files-*.jsonl.gz")))
    files, loops = 0, []
    with ProcessPoolExecutor(args.jobs) as ex:
        for f, ls in ex.map(shard_loops, shards):
            files += f
            loops.extend(ls)
    t2 = time.time()
    norm_keys = {k for k, _ in loops}
    plain_keys = {p for _, p in loops}
    rows = {}
    for name in index.sizes:
        rows[name] = {
            "eval_distinct_plain": len(plain[name]),
            "eval_found_plain": len(plain[name] & plain_keys),
            "corpus_loops_plain": sum(p in plain[name] for _, p in loops),
            "eval_distinct_norm": index.sizes[name],
            "eval_found_norm": sum(name in index.sets_of(k) for k in norm_keys),
            "corpus_loops_norm": sum(name in index.sets_of(k) for k, _ in loops),
        }
    any_norm = sum(bool(index.sets_of(k)) for k, _ in loops)
    any_plain_set = set().union(*plain.values())
    any_plain = sum(p in any_plain_set for _, p in loops)
    summary = {"shards": len(shards), "files": files, "loops": len(loops),
               "distinct_norm": len(norm_keys), "distinct_plain": len(plain_keys),
               "corpus_loops_in_any_set_norm": any_norm, "corpus_loops_in_any_set_plain": any_plain,
               "seconds_index": round(t1 - t0, 1), "seconds_corpus": round(t2 - t1, 1)}
    print(f"{files} C/C++ files in {len(shards)} shards, {len(loops)} for loops "
          f"({len(plain_keys)} distinct as text, {len(norm_keys)} normalized); "
          f"corpus loops in some evaluation set: {any_plain} as text, {any_norm} normalized")
    head = f"{'set':18} {'eval loops':>10} {'found':>6} {'corpus':>7} | {'eval norm':>9} {'found':>6} {'corpus':>7}"
    print("                   whitespace+comments only    | normalized (ompwise.corpus.normalize)")
    print(head)
    for name, r in rows.items():
        print(f"{name:18} {r['eval_distinct_plain']:>10} {r['eval_found_plain']:>6} {r['corpus_loops_plain']:>7} | "
              f"{r['eval_distinct_norm']:>9} {r['eval_found_norm']:>6} {r['corpus_loops_norm']:>7}")
    print(f"({summary['seconds_index']} s evaluation index, {summary['seconds_corpus']} s corpus, "
          f"--jobs {args.jobs})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"summary": summary, "sets": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
