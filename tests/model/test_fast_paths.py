"""The inference fast paths give what the straightforward code gives, to the bit: LightGBM's
single-row predictor against Booster.predict, and the features against a per-token recount."""
import math
import random
import zlib

import numpy as np
import pytest

from ompwise.model import features as F

pytest.importorskip("lightgbm")


def _slow_buckets(toks):
    out = {}
    prev = "<s>"
    for t in toks:
        for g in (t, prev + " " + t):
            b = zlib.crc32(g.encode("utf-8", "replace")) & ((1 << F.HASH_BITS) - 1)
            out[b] = out.get(b, 0) + 1
        prev = t
    return out


def _slow_stats(toks):
    depth = best = calls = 0
    for k, t in enumerate(toks):
        if t == "{":
            depth += 1
            best = max(best, depth)
        elif t == "}":
            depth -= 1
        elif t == "(" and k and (toks[k - 1][0].isalpha() or toks[k - 1][0] == "_") and \
                toks[k - 1] not in ("for", "if", "while", "switch", "return", "sizeof"):
            calls += 1
    return [float(len(toks)), float(toks.count("[")), float(toks.count("=")),
            float(sum(1 for t in toks if len(t) == 2 and t[1] == "=" and t[0] in "+-*/%&|^")),
            float(toks.count("if")), float(calls), float(toks.count("->")), float(best)]


CODES = [
    "for (int i = 0; i < n; i++) { a[i] += b[i] * 2.5; if (a[i] > m) m = a[i]; }",
    "(x)(y) for(;;){{f(g(h(1)));}} while (p->q != 0) { p = p->next; c |= 3; }",
    "", "(", "( f ( sizeof (x) ) return (y) x+=1 x^=2 x==3 {}{}{}",
]


def test_token_features_match_a_recount():
    rng = random.Random(7)
    words = ["a", "i", "(", ")", "{", "}", "[", "]", "=", "+=", "==", "if", "for", "f", "_g", "->", "NUM", "0", ";"]
    codes = CODES + [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 60))) for _ in range(300)]
    for code in codes:
        toks = F.tokens(code)
        assert F.token_buckets(toks) == _slow_buckets(toks), code
        assert F._text_stats(toks) == _slow_stats(toks), code
        x = F.featurize([_row(code)])
        base = len(F.FACT_NAMES) + len(F._TEXT)
        want = np.zeros(1 << F.HASH_BITS, dtype=np.float32)
        for b, c in _slow_buckets(toks).items():
            want[b] = math.log1p(c)
        assert x[0, base:].tobytes() == want.tobytes()


def _row(code):
    return {"code": code, "f_parallel": True, "f_canonical": True, "f_kind": "for", "f_private": [], "f_firstprivate": [],
            "f_lastprivate": [], "f_reduction": ["+:s"], "f_collapse": 0, "f_trip_count": None, "f_triangular": False,
            "f_irregular": False, "f_depth": 0, "f_children": 0, "f_height": 1, "f_perfect": False, "f_position": 0,
            "f_lines": 1, "f_calls": [], "f_dependences": 0, "f_reasons": [], "f_advice": "", "f_first_reason": "",
            "f_advice_code": "OMP-PARALLEL"}


def test_the_single_row_predictor_gives_the_boosters_scores():
    from ompwise.model import shipped_model
    from ompwise.model.predict import load
    if shipped_model() is None:
        pytest.skip("this install ships no model")
    m = load(shipped_model())
    rng = np.random.default_rng(3)
    x = np.concatenate([F.featurize([_row(c) for c in CODES]),
                        (rng.random((40, len(F.NAMES))) * (rng.random((40, len(F.NAMES))) < 0.05)).astype(np.float32)])
    assert m._rows._config is not None  # (the fast path is taken with this LightGBM)
    assert m._rows.predict(x).tobytes() == m._main.predict(x, num_threads=1).tobytes()
    assert m._rows.predict(x[:0]).shape == (0,)
