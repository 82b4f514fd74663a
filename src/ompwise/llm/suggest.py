"""`parallelize --llm`: the LLM proposes pragmas for the loops the analysis cannot settle;
each answer passes the pragma grammar, the analysis' veto and, when the program can be built
and run, the verifier (outputs, Archer, timing) before it is written. A failed check goes
back to the LLM as evidence for up to ``repair_rounds`` more answers. Every answer is logged
with its fate."""
from __future__ import annotations

import re
import shutil
import threading
from dataclasses import asdict, dataclass, field, replace

from ..advise import FileAdvice, LoopAdvice
from ..reasons import Reason
from .answer import parse_answer
from .backend import Backend, LLMError, complete_all
from .gate import candidates, check
from .prompts import repair_messages, suggest_messages

_MAIN = re.compile(rb"\bint\s+main\s*\(")
SLOWER_BELOW = 0.95  # (as parallelize --verify: a pragma that makes the program slower is dropped)

# fates of one answer
DECLINED, GRAMMAR, ANALYSIS, VERIFICATION, ACCEPTED, UNVERIFIED, ERROR = (
    "declined", "rejected by grammar", "rejected by analysis", "rejected by verification", "accepted",
    "unverified", "no answer")


@dataclass
class Attempt:
    round: int
    answer: str  # the model's text, shortened and with unprintable characters replaced (for the log only)
    pragma: str | None  # as ompwise rendered it from the parsed clauses
    fate: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Suggestion:
    line: int
    column: int
    attempts: list[Attempt] = field(default_factory=list)
    verification: dict | None = None

    @property
    def fate(self) -> str:
        last = self.attempts[-1].fate if self.attempts else ERROR
        return "repaired" if last == ACCEPTED and len(self.attempts) > 1 else last

    @property
    def pragma(self) -> str | None:
        return self.attempts[-1].pragma if self.attempts and self.attempts[-1].fate in (ACCEPTED, UNVERIFIED) else None

    def to_json(self) -> dict:
        return {"line": self.line, "column": self.column, "fate": self.fate, "pragma": self.pragma,
                "attempts": [asdict(t) for t in self.attempts],
                **({"verification": self.verification} if self.verification else {})}


def printable(text: str, width: int = 200) -> str:
    """The model's text as it may be shown: one line, no control characters (no terminal escapes)."""
    s = "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))
    return s[:width] + ("..." if len(s) > width else "")


class _Verifier:
    """Builds and runs the program with one candidate pragma; one at a time (builds and the
    Archer run share two cores, and the verifier's process supervision is per run)."""

    def __init__(self, fa: FileAdvice, source: bytes, options, others: list[str], project_dir: str | None):
        self.fa, self.source, self.o, self.others, self.project_dir = fa, source, options, list(others), project_dir
        self.lock = threading.Lock()

    @staticmethod
    def possible(source: bytes, options, others: list[str]) -> str | None:
        """Why the program cannot be verified, or None."""
        if options is None:
            return "no verification options"
        if not shutil.which(options.cc):
            return f"compiler '{options.cc}' not found"
        if options.build_cmd is None and not _MAIN.search(source) and not any(_has_main(o) for o in others):
            return "no main() to run (give the program with --with, or --build/--run)"
        return None

    def run(self, a: LoopAdvice, pragma: str, clauses) -> tuple[bool, str, dict]:
        from ..verify.bisect import _Trial
        cand = replace(a, pragma=pragma, clauses=clauses)
        with self.lock:
            trial = _Trial(self.fa.path, self.source, [cand], self.o, self.others, self.project_dir)
            v = trial.run([cand], timing=self.o.timing)
        doc = v.to_json()
        if v.status != "verified":
            at = a.loop.loc.line  # (the trial's file has the pragma line inserted there: lines after it moved down one)
            races = "; ".join(f"data race on '{r.get('variable')}' at line "
                              f"{r['line'] - 1 if isinstance(r.get('line'), int) and r['line'] > at else r.get('line')} "
                              f"({r.get('access')})" for r in v.races[:3])
            return False, f"{v.status}: {races or v.evidence}", doc
        if v.speedup and max(v.speedup.values()) < SLOWER_BELOW:
            return False, f"slower: speedup {max(v.speedup.values()):.2f}x with {', '.join(v.speedup)} threads", doc
        return True, "verified: same outputs, no race" + (
            f", speedup {max(v.speedup.values()):.2f}x" if v.speedup else ""), doc


def _has_main(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return bool(_MAIN.search(fh.read()))
    except OSError:
        return False


def suggest(fa: FileAdvice, source: bytes, backend: Backend, *, verify_options=None, others: list[str] = (),
            project_dir: str | None = None,
            repair_rounds: int = 1, max_tokens: int = 128, progress=None,
            loops: list[LoopAdvice] | None = None) -> tuple[list[LoopAdvice], list[Suggestion]]:
    """New advice for ``fa.loops`` (LLM pragmas that passed every check written, with source
    'verified'), and the log of every answer. ``loops``: ask about these instead of the
    loops the analysis left unsettled (benchmarks ask about every loop)."""
    asked = candidates(fa) if loops is None else loops
    why_not = _Verifier.possible(source, verify_options, list(others))
    verifier = None if why_not else _Verifier(fa, source, verify_options, list(others), project_dir)

    def one(a: LoopAdvice) -> Suggestion:
        sug = Suggestion(a.loop.loc.line, a.loop.loc.column)
        messages = suggest_messages(fa, a)
        for rnd in range(repair_rounds + 1):
            try:
                reply = backend.complete(messages, max_tokens=max_tokens)
            except LLMError as e:
                sug.attempts.append(Attempt(rnd, "", None, ERROR, str(e)))
                return sug
            parsed = parse_answer(reply.text, reply.truncated)
            att = Attempt(rnd, printable(reply.text), parsed.pragma, ACCEPTED, "", round(reply.seconds, 3))
            sug.attempts.append(att)
            if parsed.declined:
                att.fate = DECLINED
                return sug
            if parsed.problem:
                att.fate, att.detail = GRAMMAR, parsed.problem
            elif (veto := check(fa, a, parsed.clauses)) is not None:
                att.fate, att.detail = ANALYSIS, veto
            elif verifier is None:
                att.fate, att.detail = UNVERIFIED, f"not written: the program cannot be verified ({why_not})"
                return sug
            else:
                ok, evidence, doc = verifier.run(a, parsed.pragma, parsed.clauses)
                sug.verification = doc
                att.detail = evidence
                if ok:
                    att.clauses = parsed.clauses  # (kept for the rewrite; not part of the log)
                    return sug
                att.fate = VERIFICATION
            messages = repair_messages(messages, reply.text, att.detail)
        return sug

    log = complete_all(backend, asked, one, progress)
    return _apply(fa, asked, log), log


def _apply(fa: FileAdvice, asked: list[LoopAdvice], log: list[Suggestion]) -> list[LoopAdvice]:
    by_id = {a.loop.id: (a, s) for a, s in zip(asked, log)}
    accepted = {i for i, (a, s) in by_id.items() if s.attempts and s.attempts[-1].fate == ACCEPTED}
    parents = {l.id: l.parent for l in fa.tu.loops} if fa.tu is not None else {}
    for i in sorted(accepted):  # an accepted loop inside another accepted one: the outer pragma covers it
        p = parents.get(i)
        while p is not None and p not in accepted:
            p = parents.get(p)
        if p is not None:
            s = by_id[i][1]
            s.attempts[-1].fate, s.attempts[-1].detail = VERIFICATION, f"the enclosing loop at line {fa.tu.loops[p].loc.line} is parallelized"
    out = []
    for a in fa.loops:
        hit = by_id.get(a.loop.id)
        if hit is None:
            out.append(a)
            continue
        s = hit[1]
        last = s.attempts[-1] if s.attempts else None
        if last is not None and last.fate == ACCEPTED:
            lp = a.loop
            msg = f"parallelizable (LLM suggestion, {last.detail}): {last.pragma}"
            out.append(replace(a, parallelizable=True, pragma=last.pragma, clauses=last.clauses, confidence=1.0,
                               source="verified", reasons=(Reason("OMP-PARALLEL", msg, lp.loc.line, lp.loc.column),) + a.reasons))
        elif last is not None and last.fate == UNVERIFIED:
            out.append(replace(a, source="llm"))  # proposed, never written: not verified
        else:
            out.append(a)
    return out
