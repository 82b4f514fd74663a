"""`parallelize --verify`: keep only the pragmas that the program proves.

All recommended pragmas are tried together; when the program then fails
verification, the set is bisected to find the pragmas to blame, which are
dropped with a reason. A pragma that makes the program slower is dropped too;
when the pragmas left, each harmless alone, still make it slower together, they
are added back one at a time (fastest alone first) and kept only while the
program gets no slower, so the pragmas written are never measured more than 5 %
slower than serial.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

from ..advise import LoopAdvice
from ..reasons import Reason
from ..rewrite import insert_pragmas
from . import tempdirs
from .program import Verification, VerifyOptions, verify

FAILURE_CODE = {"output-mismatch": "VERIFY-MISMATCH", "race": "VERIFY-RACE", "runtime-error": "VERIFY-MISMATCH",
                "timeout": "VERIFY-MISMATCH", "compile-error": "VERIFY-MISMATCH",
                "memory-limit": "VERIFY-MISMATCH"}
SLOWER_BELOW = 0.95  # speedup under which a pragma counts as slowing the program down


@dataclass
class VerifiedAdvice:
    loops: list[LoopAdvice]  # every loop; dropped ones have pragma None and a VERIFY-* reason
    final: Verification
    trials: int


class _Trial:
    def __init__(self, path: str, source: bytes, loops: list[LoopAdvice], o: VerifyOptions,
                 others: list[str], project_dir: str | None):
        self.path, self.source, self.loops, self.o = path, source, loops, o
        self.others, self.project_dir = others, project_dir
        self.count = 0

    def run(self, chosen: list[LoopAdvice], timing: bool = False) -> Verification:
        self.count += 1
        text = insert_pragmas(self.source, chosen).text
        o = replace(self.o, timing=timing, include_dirs=self.o.include_dirs + (os.path.dirname(os.path.abspath(self.path)),))
        if self.project_dir:
            rel = os.path.relpath(os.path.abspath(self.path), os.path.abspath(self.project_dir))
            return verify([], o, project_dir=self.project_dir, overlay={rel: text})
        with tempdirs.owned("ompwise-trial-") as d:
            p = os.path.join(d, os.path.basename(self.path))
            with open(p, "wb") as fh:
                fh.write(text)
            return verify([p] + self.others, o)


def blame(items: list, check) -> list[tuple[object, object]]:
    """Bisect a failing set down to the items that fail on their own (an interaction blames the set).

    ``check(subset) -> (ok, evidence)``; returns ``[(item, evidence of the failing subset)]``.
    """
    def rec(chosen, evidence):
        if len(chosen) == 1:
            return [(chosen[0], evidence)]
        half = len(chosen) // 2
        out = []
        # a race shows only in some runs: when both halves pass, look once more before
        # blaming the whole set for an interaction
        for _ in range(2):
            for part in (chosen[:half], chosen[half:]):
                ok, ev = check(part)
                if not ok:
                    out += rec(part, ev)
            if out:
                return out
        return [(x, evidence) for x in chosen]
    ok, ev = check(items)
    return [] if ok else rec(items, ev)


def verify_advice(path: str, source: bytes, loops: list[LoopAdvice], options: VerifyOptions,
                  others: list[str] = (), project_dir: str | None = None) -> VerifiedAdvice:
    trial = _Trial(path, source, loops, options, list(others), project_dir)
    chosen = [a for a in loops if a.pragma]
    dropped: dict[int, Reason] = {}
    v = trial.run(chosen, timing=options.timing) if chosen else Verification("verified", "no pragma to verify")
    for _ in range(4):  # rounds: each removes the culprits found
        if v.status == "verified" or not chosen:
            break
        if v.status in ("compile-error", "memory-limit") and v.evidence.startswith("serial"):
            break  # the program itself does not build or fit: nothing to blame on the pragmas
        def check(subset):
            r = trial.run(subset)
            return r.status == "verified", r
        for a, why in blame(chosen, check):
            code = FAILURE_CODE.get(why.status, "VERIFY-MISMATCH")
            dropped[a.loop.id] = Reason(code, f"not parallelized: the pragma failed verification ({why.status}: {why.evidence})",
                                        a.loop.loc.line, a.loop.loc.column)
        chosen = [a for a in chosen if a.loop.id not in dropped]
        v = trial.run(chosen, timing=options.timing) if chosen else Verification("verified", "no pragma left")
    if v.status == "verified" and chosen and options.timing and v.speedup:
        best = max(v.speedup.values())
        if best < SLOWER_BELOW:
            alone_speedup = {}
            for a in list(chosen):  # find the pragmas that slow the program down, one at a time
                alone = trial.run([a], timing=True)
                alone_speedup[a.loop.id] = max(alone.speedup.values()) if alone.speedup else 0.0
                if alone.speedup and alone_speedup[a.loop.id] < SLOWER_BELOW:
                    dropped[a.loop.id] = Reason("VERIFY-SLOWER", f"not parallelized: the program ran slower with this pragma "
                                                f"(speedup {alone_speedup[a.loop.id]:.2f}x)", a.loop.loc.line, a.loop.loc.column)
            chosen = [a for a in chosen if a.loop.id not in dropped]
            v = trial.run(chosen, timing=True) if chosen else Verification("verified", "no pragma left")
            if v.status == "verified" and chosen and v.speedup and max(v.speedup.values()) < SLOWER_BELOW:
                # harmless one at a time, slower together: add them back, best first, keeping a pragma
                # only while the program stays no slower than serial and than without it
                kept: list[LoopAdvice] = []
                current, v = 1.0, Verification("verified", "no pragma left")
                for a in sorted(chosen, key=lambda a: -alone_speedup[a.loop.id]):
                    t = trial.run(kept + [a], timing=True)
                    speed = max(t.speedup.values()) if t.speedup else 0.0
                    if t.status == "verified" and speed >= SLOWER_BELOW and speed >= SLOWER_BELOW * current:
                        kept, current, v = kept + [a], speed, t
                    elif t.status == "verified":
                        dropped[a.loop.id] = Reason("VERIFY-SLOWER", "not parallelized: with the pragmas kept before it the "
                                                    f"program ran slower (speedup {speed:.2f}x, {current:.2f}x without it)",
                                                    a.loop.loc.line, a.loop.loc.column)
                    else:
                        dropped[a.loop.id] = Reason(FAILURE_CODE.get(t.status, "VERIFY-MISMATCH"), "not parallelized: the "
                                                    f"pragma failed verification ({t.status}: {t.evidence})",
                                                    a.loop.loc.line, a.loop.loc.column)
                chosen = kept
    out = []
    ok = v.status == "verified"
    for a in loops:
        if a.loop.id in dropped:
            out.append(replace(a, pragma=None, source="verified", reasons=(dropped[a.loop.id],) + a.reasons))
        elif a.pragma and ok:
            out.append(replace(a, source="verified", confidence=1.0))
        elif a.pragma:
            out.append(replace(a, pragma=None, reasons=(Reason("VERIFY-MISMATCH", f"not parallelized: the program could not be verified ({v.status}: {v.evidence})",
                                                               a.loop.loc.line, a.loop.loc.column),) + a.reasons))
        else:
            out.append(a)
    return VerifiedAdvice(out, v, trial.count)
