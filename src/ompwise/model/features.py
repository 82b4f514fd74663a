"""Loop rows -> the model's feature matrix. One function for training and inference, so a loop
is described the same way in the dataset and in `check`.

Features are the analysis' facts (the dataset's ``f_`` columns) and hashed token n-grams of the
loop's code. Column ``f_in_region`` is not a feature: it comes from the pragmas the dataset strips,
so it would leak the label."""
from __future__ import annotations

import functools
import math
import re
import zlib

import numpy as np

from ..reasons import CODES

VERSION = 2
HASH_BITS = 11  # 2,048 buckets: unigrams and bigrams of the loop's tokens
KINDS = ("for", "range-for", "while", "do")
RED_OPS = ("+", "*", "-", "max", "min", "&", "|", "^", "&&", "||")
_CODES = tuple(sorted(CODES))
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|->|\+\+|--|<<=?|>>=?|[-+*/%&|^!=<>]=|&&|\|\||::|\S")

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
    out = []
    for t in _TOKEN.findall(_strip_comments(code)):
        if t[0].isdigit() and t not in ("0", "1"):
            t = "NUM"
        out.append(t)
    return out


def _strip_comments(code: str) -> str:
    if "/" not in code:
        return code
    return re.sub(r"//[^\n]*|/\*.*?\*/", " ", code, flags=re.S)


@functools.lru_cache(maxsize=1 << 16)
def bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8", "replace")) & ((1 << HASH_BITS) - 1)


def token_buckets(toks: list[str]) -> dict[int, int]:
    """Which hashed unigrams and bigrams a token list has, with counts."""
    out: dict[int, int] = {}
    prev = "<s>"
    for t in toks:
        for g in (t, prev + " " + t):
            b = bucket(g)
            out[b] = out.get(b, 0) + 1
        prev = t
    return out


def _text_stats(toks: list[str]) -> list[float]:
    depth = best = 0
    calls = 0
    for k, t in enumerate(toks):
        if t == "{":
            depth += 1
            best = max(best, depth)
        elif t == "}":
            depth -= 1
        elif t == "(" and k and (toks[k - 1][0].isalpha() or toks[k - 1][0] == "_") and toks[k - 1] not in ("for", "if", "while", "switch", "return", "sizeof"):
            calls += 1
    return [float(len(toks)), float(toks.count("[")), float(toks.count("=")),
            float(sum(1 for t in toks if len(t) == 2 and t[1] == "=" and t[0] in "+-*/%&|^")),
            float(toks.count("if")), float(calls), float(toks.count("->")), float(best)]


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
        for b, c in token_buckets(toks).items():
            x[i, base + b] = math.log1p(c)
    return x
