"""Loop rows -> the model's feature matrix. One function for training and inference, so a loop
is described the same way in the dataset and in `check`.

Features are the analysis' facts (the dataset's ``f_`` columns) and hashed token n-grams of the
loop's code. Column ``f_in_region`` is not a feature: it comes from the pragmas the dataset strips,
so it would leak the label."""
from __future__ import annotations

import functools
import itertools
import math
import re
import zlib
from collections import Counter

import numpy as np

from ..reasons import CODES

VERSION = 2
HASH_BITS = 11  # 2,048 buckets: unigrams and bigrams of the loop's tokens
KINDS = ("for", "range-for", "while", "do")
RED_OPS = ("+", "*", "-", "max", "min", "&", "|", "^", "&&", "||")
_CODES = tuple(sorted(CODES))
# (white space is skipped by the leading '\s*' of the one group findall returns, not by failing
# every alternative once per blank: the tokens are the same, as no alternative matches a blank)
_TOKEN = re.compile(r"\s*([A-Za-z_]\w*|\d[\w.]*|->|\+\+|--|<<=?|>>=?|[-+*/%&|^!=<>]=|&&|\|\||::|\S)")

# facts: (name, how it is read from a row)
_FACTS: list[tuple[str, object]] = [
    ("parallel", lambda r: float(bool(r["f_parallel"]))),
    ("canonical", lambda r: float(bool(r["f_canonical"]))),
    *[(f"kind={k}", (lambda k: lambda r: float(r["f_kind"] == k))(k)) for k in KINDS],
    ("n_private", lambda r: float(len(r["f_private"]))),
    ("n_firstprivate", lambda r: float(len(r["f_firstprivate"]))),
    ("n_lastprivate", lambda r: float(len(r["f_lastprivate"]))),
    ("n_reduction", lambda r: float(len(r["f_reduction"]))),
    *[(f"reduction_op={op}", (lambda op: lambda r: float(any(x.rsplit(":", 1)[0] == op for x in r["f_reduction"])))(op))
      for op in RED_OPS],
    ("collapse", lambda r: float(r["f_collapse"] or 0)),
    ("trip_known", lambda r: float(r["f_trip_count"] is not None)),
    ("log2_trip", lambda r: math.log2(1 + max(r["f_trip_count"], 0)) if r["f_trip_count"] is not None else -1.0),
    ("triangular", lambda r: float(bool(r["f_triangular"]))),
    ("irregular", lambda r: float(bool(r["f_irregular"]))),
    ("depth", lambda r: float(r["f_depth"])),
    ("children", lambda r: float(r["f_children"])),
    ("height", lambda r: float(r["f_height"])),
    ("perfect", lambda r: float(bool(r["f_perfect"]))),
    ("position", lambda r: float(r["f_position"])),
    ("lines", lambda r: float(r["f_lines"])),
    ("n_calls", lambda r: float(len(r["f_calls"]))),
    ("dependences", lambda r: float(r["f_dependences"])),
    ("n_reasons", lambda r: float(len(r["f_reasons"]))),
    ("advised", lambda r: float(bool(r["f_advice"]))),
    # the loop was given alone, without its file (OMPify-style records): such sets are built around
    # loops developers parallelized, so the share of positives differs from whole files'
    ("snippet", lambda r: float(bool(r.get("snippet")))),
]
# one-hot and multi-hot reason codes: set by index, not by a function per code
_ONE_HOT = (("first_reason", "f_first_reason"), ("reason", "f_reasons"), ("advice_code", "f_advice_code"))
_TEXT = ("tokens", "subscripts", "assignments", "compound_assignments", "ifs", "calls_in_text", "pointer_derefs",
         "max_brace_depth")
FACT_NAMES = tuple(n for n, _ in _FACTS) + tuple(f"{p}={c}" for p, _ in _ONE_HOT for c in _CODES)
_HOT_BASE = {p: len(_FACTS) + k * len(_CODES) for k, (p, _) in enumerate(_ONE_HOT)}
_CODE_INDEX = {c: k for k, c in enumerate(_CODES)}
NAMES = FACT_NAMES + tuple(f"text:{n}" for n in _TEXT) + tuple(f"tok#{k}" for k in range(1 << HASH_BITS))


def tokens(code: str) -> list[str]:
    """The loop's tokens; numbers other than 0 and 1 become NUM (their values say little)."""
    # (a comprehension: this runs on every loop at inference, and an append loop costs twice as much)
    return ["NUM" if t[0].isdigit() and t != "0" and t != "1" else t for t in _TOKEN.findall(_strip_comments(code))]


def _strip_comments(code: str) -> str:
    if "/" not in code:
        return code
    return re.sub(r"//[^\n]*|/\*.*?\*/", " ", code, flags=re.S)


@functools.lru_cache(maxsize=1 << 16)
def bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "replace")) & ((1 << HASH_BITS) - 1)


class _Memo(dict):
    """bucket() of unigrams (keys: tokens) or bigrams (keys: token pairs, so that the per-loop path
    builds no bigram strings) as a dict: a lookup is cheaper than the lru_cache call."""

    def __init__(self, key):
        super().__init__()
        self.key = key

    def __missing__(self, gram):
        b = self[gram] = bucket(self.key(gram))
        return b


_UNIGRAMS = _Memo(lambda t: t)
_BIGRAMS = _Memo(lambda ab: ab[0] + " " + ab[1])
_MEMO_MAX = 1 << 16  # a training run over millions of loops must not keep every bigram it saw


def _bucket_counts(toks: list[str]) -> np.ndarray:
    """How many of the token list's unigrams and bigrams fall in each bucket."""
    if len(_BIGRAMS) > _MEMO_MAX or len(_UNIGRAMS) > _MEMO_MAX:
        _UNIGRAMS.clear()
        _BIGRAMS.clear()
    ids = itertools.chain(map(_UNIGRAMS.__getitem__, toks), map(_BIGRAMS.__getitem__, zip(["<s>"] + toks, toks)))
    return np.bincount(np.fromiter(ids, np.intp, 2 * len(toks)), minlength=1 << HASH_BITS)


def token_buckets(toks: list[str]) -> dict[int, int]:
    """Which hashed unigrams and bigrams a token list has, with counts."""
    counts = _bucket_counts(toks)
    return {int(b): int(counts[b]) for b in np.flatnonzero(counts)}


# log1p of small counts, computed by math.log1p as the features always were (numpy's own log1p
# may differ in the last bit); grown on demand
_LOG1P = np.array([math.log1p(c) for c in range(256)])


def _log1p_counts(counts: np.ndarray) -> np.ndarray:
    global _LOG1P
    top = int(counts.max()) if len(counts) else 0
    if top >= len(_LOG1P):
        _LOG1P = np.array([math.log1p(c) for c in range(2 * top)])
    return _LOG1P[counts]


_COMPOUND = frozenset(c + "=" for c in "+-*/%&|^")
_NOT_CALLS = frozenset(("for", "if", "while", "switch", "return", "sizeof"))


def _text_stats(toks: list[str]) -> list[float]:
    # (counted in one C-level pass: list.count compares every token once per call)
    c = Counter(toks)
    best = 0
    if "{" in c:
        depth = 0
        for t in [t for t in toks if t == "{" or t == "}"]:
            if t == "{":
                depth += 1
                best = max(best, depth)
            else:
                depth -= 1
    calls = 0  # '(' after a name that is not a keyword
    if "(" in c:
        k = 0  # (a '(' that is the first token follows nothing: the search starts at 1)
        try:
            while True:
                k = toks.index("(", k + 1)
                a = toks[k - 1]
                if (a[0].isalpha() or a[0] == "_") and a not in _NOT_CALLS:
                    calls += 1
        except ValueError:
            pass
    get = c.get
    return [float(len(toks)), float(get("[", 0)), float(get("=", 0)), float(sum(get(o, 0) for o in _COMPOUND)),
            float(get("if", 0)), float(calls), float(get("->", 0)), float(best)]


def featurize(rows: list[dict]) -> np.ndarray:
    """One row of features per loop row (float32, dense: a file's loops form one batch)."""
    nf = len(FACT_NAMES)
    nt = len(_TEXT)
    x = np.zeros((len(rows), len(NAMES)), dtype=np.float32)
    base = nf + nt
    for i, r in enumerate(rows):
        x[i, :len(_FACTS)] = [f(r) for _, f in _FACTS]
        for prefix, column in _ONE_HOT:
            v = r[column]
            for c in (v if isinstance(v, list) else (v,)):
                k = _CODE_INDEX.get(c)
                if k is not None:
                    x[i, _HOT_BASE[prefix] + k] = 1.0
        toks = tokens(r["code"])
        x[i, nf:base] = _text_stats(toks)
        # counts per bucket in one bincount, then one vectorized store (the values are float64
        # log1p cast to float32, as a store of each math.log1p was)
        counts = _bucket_counts(toks)
        hit = np.flatnonzero(counts)
        x[i, base + hit] = _log1p_counts(counts[hit])
    return x
