"""Unsafe and accepted LLM suggestions by stage: the LLM alone vs LLM + analysis + verification.

    python benchmarks/llm_eval.py --llm local                  # bundled SmolLM2, in-process
    python benchmarks/llm_eval.py --llm http://127.0.0.1:8000/v1
    python benchmarks/llm_eval.py --fake racy                  # a server that always answers '#pragma omp parallel for'
    ... --drb ../shared/data/bench/dataracebench              # also DataRaceBench's 'parallel for' files, pragmas stripped

Every loop asked about gets the same prompt ompwise sends. "LLM alone": the first '#pragma omp'
line of the first answer, as a user pasting it would get. "ompwise": the answer after the
grammar, the analysis' veto and the verifier (clang-14, Archer, 2 threads; timing off: these
kernels are too small to be faster), with one repair round. A suggestion is unsafe when the
known answer says no 'parallel for' keeps the results, or when it lacks a clause the known
answer needs (private, lastprivate, reduction with the same operator), privatizes or reduces a
variable the answer does not, or collapses loops the answer does not.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tarfile
import tempfile
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ompwise.api import analyze_source, read_file  # noqa: E402
from ompwise.frontend.pragma import parse_loop_clauses, split_directive  # noqa: E402
from ompwise.llm.backend import LLMOptions, make_backend  # noqa: E402
from ompwise.llm.gate import candidates  # noqa: E402
from ompwise.llm.suggest import suggest  # noqa: E402
from ompwise.verify.program import VerifyOptions  # noqa: E402

_PRAGMA = re.compile(r"^\s*`*\s*#\s*pragma\s+omp\b(.*)$", re.M)
ALLOW_COLLAPSE = {"transpose-2d"}


class Recorder:
    """Keeps each first answer's raw text (what 'LLM alone' is judged on)."""

    def __init__(self, backend):
        self.b, self.name, self.concurrency = backend, backend.name, backend.concurrency
        self.first: dict[str, str] = {}
        self.latency: list[float] = []

    def complete(self, messages, *, max_tokens):
        r = self.b.complete(messages, max_tokens=max_tokens)
        self.latency.append(r.seconds)
        if len(messages) == 2:
            self.first[messages[1]["content"]] = r.text
        return r


def judge(pragma_body: str | None, answer: str | None, loop_vars: set[str], collapse_ok: bool) -> str:
    """'none' (no parallel pragma), 'unsafe' or 'safe'."""
    if pragma_body is None:
        return "none"
    directive, rest = split_directive(pragma_body)
    words = directive.split()
    if "parallel" not in words and "for" not in words:
        return "none"  # (simd, critical, ...: not a parallelization of the loop)
    if answer is None or "for" not in words:
        return "unsafe"  # ('#pragma omp parallel' alone runs the whole loop on every thread)
    need = parse_loop_clauses(split_directive(answer.replace("#pragma", "").strip())[1])
    got = parse_loop_clauses(rest)
    need_red = {(v, "+" if r.op == "-" else r.op) for r in need.reduction for v in r.vars}
    got_red = {(v, "+" if r.op == "-" else r.op) for r in got.reduction for v in r.vars}
    priv = set(got.private) | set(got.firstprivate) | set(got.lastprivate)
    if not set(need.private) - loop_vars <= priv or not set(need.lastprivate) <= set(got.lastprivate) or not need_red <= got_red:
        return "unsafe"
    allowed = set(need.private) | set(need.lastprivate) | set(need.firstprivate) | {v for v, _ in need_red} | loop_vars
    if (set(got.private) | set(got.lastprivate) | {v for v, _ in got_red}) - allowed:
        return "unsafe"
    if (got.collapse or 1) > 1 and not (collapse_ok or (need.collapse or 1) >= got.collapse):
        return "unsafe"
    return "safe"


def suite_targets(directory: str):
    import llm_suite
    for path, answer in llm_suite.materialize(directory):
        name = os.path.basename(path)[:-2]
        yield path, answer, lambda fa: next(a for a in fa.loops if a.loop.function == "kernel"), name in ALLOW_COLLAPSE


def drb_targets(data: str, directory: str):
    """DataRaceBench's 'parallel for' files with their pragmas blanked (lines kept); the loops
    that had 'parallel for' are asked about; '-yes' files' loops have no safe pragma."""
    names = [l.strip() for l in open(os.path.join(data, "drb_c_files_parallel_for_only.txt")) if l.strip()]
    tgz = next(f for f in os.listdir(data) if f.endswith(".tar.gz"))
    with tarfile.open(os.path.join(data, tgz)) as tf:
        members = {os.path.basename(m.name): m for m in tf.getmembers() if m.isfile()}
        for n in names:
            if n not in members:
                continue
            text = tf.extractfile(members[n]).read().decode("utf-8", "replace")
            lines = text.split("\n")
            pragmas = {}
            for k, ln in enumerate(lines):
                if re.match(r"\s*#\s*pragma\s+omp\b", ln):
                    if re.match(r"\s*#\s*pragma\s+omp\s+parallel\s+for\b", ln):
                        pragmas[k + 1] = ln.strip()
                    lines[k] = ""
            path = os.path.join(directory, n)
            with open(path, "w") as fh:
                fh.write("\n".join(lines))
            racy = "-yes" in n
            for line, pragma in pragmas.items():
                def pick(fa, line=line):
                    after = [a for a in fa.loops if a.loop.loc.line > line]
                    return min(after, key=lambda a: a.loop.loc.line) if after else None
                yield path, None if racy else pragma, pick, "collapse" in pragma


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--llm", help="as ompwise's --llm")
    ap.add_argument("--fake", choices=["racy"], help="a fake server answering '#pragma omp parallel for' to everything")
    ap.add_argument("--drb", metavar="DIR", help="DataRaceBench data directory")
    ap.add_argument("--no-suite", action="store_true")
    ap.add_argument("--repair-rounds", type=int, default=1)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--limit", type=int, default=0, help="at most this many loops per set (0: all)")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    fake = None
    if args.fake:
        from tests.llm.fakes import FakeServer, always
        fake = FakeServer(always("#pragma omp parallel for"))
        args.llm = fake.url
    backend = Recorder(make_backend(LLMOptions(args.llm, "bench", timeout_s=120, retries=1, concurrency=1)))
    vo = replace(VerifyOptions(), timing=False, use_cache=False, timeout_s=30)
    tmp = tempfile.mkdtemp(prefix="ompwise-llm-eval-")
    sets = []
    if not args.no_suite:
        sets.append(("suite", suite_targets(os.path.join(tmp, "suite"))))
    if args.drb:
        os.makedirs(os.path.join(tmp, "drb"), exist_ok=True)
        sets.append(("drb", drb_targets(args.drb, os.path.join(tmp, "drb"))))
    report = {"backend": backend.name, "sets": {}}
    for set_name, targets in sets:
        row = {"loops": 0, "unsettled": 0, "alone": {"safe": 0, "unsafe": 0, "none": 0},
               "stages": {}, "final": {}, "accepted_unsafe": 0, "accepted_safe": 0, "first_round_unsafe_caught": {}}
        t0 = time.monotonic()
        for k, (path, answer, pick, collapse_ok) in enumerate(targets):
            if args.limit and k >= args.limit:
                break
            sf = read_file(path)
            fa = analyze_source(sf.data, path, sf.language)
            a = pick(fa)
            if a is None or a.loop.canonical is None:
                continue
            row["loops"] += 1
            row["unsettled"] += a.loop.id in {c.loop.id for c in candidates(fa)}
            loop_vars = {fa.tu.loops[i].var for i in [a.loop.id, *a.loop.children] if fa.tu.loops[i].var}
            _, log = suggest(fa, sf.data, backend, verify_options=vo, repair_rounds=args.repair_rounds,
                             max_tokens=args.max_tokens, loops=[a])
            s = log[0]
            first = next((v for key, v in backend.first.items() if f"lines {a.loop.loc.line}-" in key and
                          f"({path}," in key), "")
            m = _PRAGMA.search(first)
            alone = judge(m.group(1) if m else None, answer, loop_vars, collapse_ok)
            row["alone"][alone] += 1
            for t in s.attempts:
                row["stages"][t.fate] = row["stages"].get(t.fate, 0) + 1
            row["final"][s.fate] = row["final"].get(s.fate, 0) + 1
            if alone == "unsafe":
                stage = s.attempts[0].fate if s.attempts else "no answer"
                row["first_round_unsafe_caught"][stage] = row["first_round_unsafe_caught"].get(stage, 0) + 1
            if s.fate in ("accepted", "repaired"):
                body = s.pragma.replace("#pragma", "").strip()
                verdict = judge(body, answer, loop_vars, collapse_ok)
                row["accepted_unsafe" if verdict == "unsafe" else "accepted_safe"] += 1
                if verdict == "unsafe":
                    print(f"UNSAFE ACCEPTED: {path}:{a.loop.loc.line}: {s.pragma}", file=sys.stderr)
            print(f"{set_name} {os.path.basename(path)}:{a.loop.loc.line} alone={alone} fate={s.fate}", file=sys.stderr)
        row["seconds"] = round(time.monotonic() - t0, 1)
        report["sets"][set_name] = row
    lat = sorted(backend.latency)
    report["requests"] = len(lat)
    report["median_latency_s"] = round(lat[len(lat) // 2], 3) if lat else None
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)
    if fake is not None:
        fake.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
