"""Scoring ompwise on public benchmarks."""
from __future__ import annotations


def run_suite(name: str, data: str, **kw) -> dict:
    if name == "autoparbench":
        from .autoparbench import evaluate
        return evaluate(data, model=kw.get("model"))
    if name == "drb-advice":
        from .drb_advice import evaluate
        return evaluate(data, model=kw.get("model"))
    if name == "npb":
        from .npb import evaluate
        return evaluate(data, threads=kw.get("threads", 2), repeat=kw.get("repeat", 3))
    if name == "polybench":
        from .polybench import evaluate
        return evaluate(data, **kw)
    if name == "drb-static":
        from .drb import evaluate
        return evaluate(data, dynamic=False)
    if name == "drb":
        from .drb import evaluate
        return evaluate(data)
    if name == "ompify":
        from .ompify import evaluate
        return evaluate(data, split=kw.get("split") or "test", model=kw.get("model"))
    if name == "hpcorpus":
        from .hpcorpus import evaluate
        return evaluate(data, model=kw.get("model"))
    if name == "realapps":
        from .realapps import evaluate
        return evaluate(data, projects=kw.get("projects"), model=kw.get("model"))
    raise ValueError(name)
