"""Where the model's probability enters a decision (called by ``advise`` only).

- A loop the analysis proves illegal never gets a pragma, whatever the model says.
- A loop proven legal gets its pragma only when the model says a developer would parallelize it;
  otherwise a MODEL-UNLIKELY note with the probability. The model may also overrule the
  analysis' own profitability guesses (TRIP-SMALL, NESTED-IN-SERIAL) when it is confident.
- A loop the analysis cannot settle (its only blockers are unknown calls, possible aliasing,
  subscripts it cannot compare) gets the model's verdict: a pragma with the analysis' clauses,
  ``source="model"``, the condition in the reason and the calibrated probability as confidence.
  `parallelize` writes such a pragma only once `--verify` has proven it."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..frontend import ir
from ..frontend.pragma import Clauses, render_pragma
from ..reasons import Reason, all_unsettled


@dataclass
class Gate:
    threshold: float  # an unsettled loop gets the model's pragma from here up
    probability: dict[int, float]
    veto: float = 0.0  # a proven-legal loop loses the analysis' pragma below this

    @classmethod
    def of(cls, model, tu: ir.TranslationUnit, base: list) -> "Gate":
        from ..corpus.extract import fact_rows
        rows = fact_rows(base, tu, tu.source, function_code=False, keep_walks=True)
        preds = model.predict(rows)
        threshold = model.threshold_for(tu.snippet) if hasattr(model, "threshold_for") else model.threshold
        veto = model.veto_for(tu.snippet) if hasattr(model, "veto_for") else threshold
        return cls(threshold, {a.loop.id: p.probability for a, p in zip(base, preds)}, veto)

    def p(self, loop: ir.Loop) -> float:
        return self.probability.get(loop.id, 0.0)

    def likely(self, loop: ir.Loop) -> bool:
        """Does a proven-legal loop keep the analysis' pragma?"""
        return self.p(loop) >= self.veto

    def suggests(self, loop: ir.Loop) -> bool:
        """Does an unsettled loop get the model's pragma?"""
        return self.p(loop) >= self.threshold

    def overrules(self, loop: ir.Loop) -> bool:
        """Does the model overrule the analysis' guess that parallel code would not pay here?"""
        return self.p(loop) >= max(self.threshold, 0.5)

    def unlikely(self, loop: ir.Loop, lg, clauses: Clauses):
        from ..advise import LoopAdvice
        p = self.p(loop)
        return LoopAdvice(loop, lg, True, None, clauses, round(1 - p, 3), "model", (
            Reason("MODEL-UNLIKELY", f"legal, not parallelized: the model gives {p:.2f} that a developer would "
                   f"parallelize this loop (below {self.veto:.2f}); the pragma would be "
                   f"'{render_pragma('parallel for', clauses)}'", loop.loc.line, loop.loc.column),), p)

    def undecided(self, loop: ir.Loop, lg):
        """The model's pragma for a loop the analysis could not settle, or None."""
        from ..advise import LoopAdvice
        if not all_unsettled(lg.blockers) or loop.canonical is None or not self.suggests(loop):
            return None
        p = self.p(loop)
        first = lg.blockers[0]
        pragma = render_pragma("parallel for", lg.clauses)
        return LoopAdvice(loop, lg, False, pragma, lg.clauses, round(p, 3), "model", (
            Reason("MODEL-PARALLEL", f"suggested by the model ({p:.2f} that a developer would parallelize it), "
                   f"not proven: it holds only if {_condition(first)}; prove it with --verify: {pragma}",
                   loop.loc.line, loop.loc.column),) + tuple(lg.blockers), p)

    def attach(self, advice: list) -> list:
        return [a if a.probability is not None else replace(a, probability=self.probability.get(a.loop.id))
                for a in advice]


def _condition(r: Reason) -> str:
    msg = r.message[0].lower() + r.message[1:] if r.message else r.code
    if r.code == "DEP-CARRIED":
        when = r.evidence.get("independent_if")
        return (f"{when}" if when else "the values the subscripts take keep the iterations apart") + f" (line {r.line}: {msg})"
    return {
        "CALL-UNKNOWN": "the call the analysis cannot see writes nothing another iteration reads or writes",
        "ALIAS-UNKNOWN": "the pointers do not overlap",
        "DEP-UNKNOWN": "no two iterations touch the same element",
        "INDIRECT-WRITE": "the index array holds no value twice",
        "MACRO-EFFECT": "the macro's effects stay within one iteration",
        "OPAQUE": "the code the analysis does not model is independent across iterations",
    }.get(r.code, "the analysis' doubt is unfounded") + f" (line {r.line}: {msg})"
