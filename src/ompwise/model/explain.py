"""The model's part of `ompwise explain`: its probability for the loop and the facts and tokens
that moved it most (LightGBM's per-feature contributions), each marked by where it comes from."""
from __future__ import annotations


def model_lines(path: str, line: int, column: int | None, options, model_dir: str) -> list[str]:
    from dataclasses import replace

    from ..api import analyze_file
    from ..corpus.extract import fact_rows
    from ..report.explain import find_loop
    from .predict import load
    model = load(model_dir)
    # the model reads the analysis' own advice (as in training): analyze once without it
    base = analyze_file(path, replace(options, model=None))
    a = find_loop(base, line, column)
    if a is None:
        return []
    row = fact_rows([a], base.tu, base.tu.source)[0]
    pred = model.predict([row], clauses=True)[0]
    p = pred.probability
    t, veto = model.threshold_for(base.tu.snippet), model.veto_for(base.tu.snippet)
    legal = a.legality is not None and a.legality.parallel
    rule = (f"a proven-legal loop keeps the analysis' pragma from {veto:.2f}: {'kept' if p >= veto else 'vetoed'}"
            if legal else f"an unsettled loop gets the model's pragma from {t:.2f}: {'suggested' if p >= t else 'not suggested'}")
    out = [f"  model: {p:.2f} probability that a developer parallelizes this loop ({rule})",
           "  what moved it most (log-odds contribution, source):"]
    heads = ", ".join(f"{h} {v:.2f}" for h, v in pred.clauses.items())
    for name, v in model.contributions(row):
        source = ("tokens" if name.startswith("token ") else "text" if name.startswith("text:")
                  else "input" if name == "snippet" else "analysis")
        out.append(f"    {v:+.2f}  {name}  [{source}]")
    if heads:  # (what a developer's pragma on such a loop would hold; the analysis decides the clauses written)
        out.append(f"  clauses a developer would write, by the model (probability): {heads}")
    return out
