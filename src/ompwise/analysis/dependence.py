"""Exact integer dependence tests between two array accesses of a loop nest.

Fast paths (ZIV and strong SIV with constant distance) answer the common
cases; everything else is decided by isl, with symbolic bounds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from . import affine as A
from .affine import Aff


@dataclass(frozen=True)
class Space:
    """Iteration space of one access: its loop variables and their bounds."""
    ivs: tuple[str, ...]  # outermost first; ivs[0] is the loop under test
    bounds: tuple[tuple[Aff | None, Aff | None, int | Aff | None], ...]  # (lower, upper exclusive, step)
    # (a step that is an Aff is symbolic, its magnitude: iterations are at least that far apart;
    # None: any distance, a superset of the iterations)
    extra: tuple[tuple[str | None, str, Aff], ...] = ()  # (iv, '>=' or '<', bound): min/max bounds, one per
    # operand; (None, op, aff) is a guard 'aff op 0' from an enclosing if

    def bounded(self, iv: str) -> bool:
        """Does the space give ``iv`` both a lower and an upper bound?"""
        i = self.ivs.index(iv)
        lo, hi, _ = self.bounds[i]
        has_lo = lo is not None or any(v == iv and op == ">=" for v, op, _ in self.extra)
        has_hi = hi is not None or any(v == iv and op == "<" for v, op, _ in self.extra)
        if any(v is None and op == "==" and iv in aff for v, op, aff in self.extra):
            return True  # fixed by an equality guard (if (i == 1) ...)
        return has_lo and has_hi


@dataclass(frozen=True)
class DepResult:
    dependent: bool
    distance: int | None = None  # |t2 - t1| when constant
    test: str = "isl"


INDEPENDENT_SAME_ITERATION = DepResult(False, None, "siv")


def test(sub1: list[Aff], sp1: Space, sub2: list[Aff], sp2: Space, flat: bool = False) -> DepResult:
    """Is there a pair of *different* iterations of ``ivs[0]`` touching the same element?
    ``flat``: the caller knows neither side has a bilinear term (nothing to delinearize)."""
    t = sp1.ivs[0]
    if not flat:
        sub1, sub2 = _delinearize(sub1, sp1, sub2, sp2)
        if sub1 is None:
            return DepResult(True, None, "nonlinear")
    # (sets: one C-level disjointness test per subscript; most pairs are decided by a
    # dimension or two, so this test runs once per pair and must cost little)
    inner1 = frozenset(sp1.ivs[1:]) if len(sp1.ivs) > 1 else None
    inner2 = frozenset(sp2.ivs[1:]) if len(sp2.ivs) > 1 else None
    # ---- fast paths: any dimension may disprove; a dependence needs every dimension to agree
    dist = None
    undecided = False
    same_element = True
    apart = False  # some dimension keeps the two iterations further apart than the loop runs
    for a, b in zip(sub1, sub2):
        if a is None or b is None:
            same_element = False  # "any element" along this dimension constrains nothing
            continue
        # (_delinearize leaves no bilinear terms)
        if (inner1 is not None and not inner1.isdisjoint(a)) or (inner2 is not None and not inner2.isdisjoint(b)):
            undecided = True
            continue
        diff = {} if a == b else A.add(a, b, -1)  # (equal forms, the usual case, differ by nothing)
        ca, cb = a.get(t, 0), b.get(t, 0)
        if not diff:
            if ca:
                return INDEPENDENT_SAME_ITERATION  # only t1 == t2 conflicts
            continue  # the same element whatever the iteration
        if A.is_const(diff) and not ca and not cb:
            return DepResult(False, None, "ziv")  # e.g. a[0] vs a[1]
        if ca == cb and ca != 0:
            rest = {k: v for k, v in diff.items() if k != t}
            if A.is_const(rest):
                k = A.const_value(rest)
                if k % ca:
                    return DepResult(False, None, "gcd")
                d = abs(k // ca)
                trip = _const_trip(sp1.bounds[0])
                step = sp1.bounds[0][2] or 1
                if type(step) is dict:  # a symbolic step: whether d is a multiple of it is isl's question
                    undecided = True
                    continue
                if (trip is not None and d >= trip) or d % abs(step):
                    return DepResult(False, None, "siv")
                if dist is not None and dist != d // abs(step):
                    return DepResult(False, None, "siv")
                dist = d // abs(step)
                same_element = False
                continue
            apart = apart or _apart(rest, abs(ca), sp1.bounds[0], sp2.bounds[0])
        undecided = True
    guarded = any(v is None for v, _, _ in sp1.extra + sp2.extra)
    if not undecided and not guarded:
        if dist is not None:
            return DepResult(True, dist, "siv")
        if same_element and not sp1.extra and _const_trip(sp1.bounds[0]) not in (0, 1):
            return DepResult(True, None, "ziv")  # the same element in every iteration
    if apart and all(v.isascii() and not v.startswith("k_") for v in sp1.ivs + sp2.ivs):
        # isl's answer, known without building the set (its names are ones isl reads, and
        # none can be taken for a stride witness k_<iv>_<n>)
        return DepResult(False, None, "isl")
    return _isl_test(sub1, sp1, sub2, sp2)


def _apart(rest: Aff, c: int, b1, b2) -> bool:
    """Strong SIV with a symbolic distance: c*(t1 - t2) = -rest has no solution with t1, t2 in
    [lo, hi), because rest or -rest is c*(hi - lo) + m*(hi - lo) + k with m, k >= 0 (a[i] vs
    a[i + n] for 0 <= i < n): t1 and t2 are at most hi - lo - 1 apart. Exact: a proof of
    independence for every value of the parameters."""
    lo, hi, _ = b1
    if lo is None or hi is None or lo != b2[0] or hi != b2[1]:
        return False
    trip = A.add(hi, lo, -1)
    q = next((k for k in trip if k != A.ONE), None)
    if q is None:
        return False  # a constant trip count against a symbolic distance: not for all parameters
    for sign in (1, -1):
        r = A.add(A.scale(rest, sign), trip, -c)
        m, left = divmod(r.get(q, 0), trip[q])
        if left or m < 0:
            continue
        r = A.add(r, trip, -m)
        if A.is_const(r) and A.const_value(r) >= 0:
            return True
    return False


def _const_trip(b: tuple[Aff | None, Aff | None, int | None]) -> int | None:
    lo, hi, step = b
    if lo is None or hi is None or not A.is_const(lo) or not A.is_const(hi):
        return None
    return max(0, A.const_value(hi) - A.const_value(lo))


def _renamers(sp1: Space, sp2: Space):
    """isl names for the pair test: each side's loop variables suffixed _1 and _2, every other
    atom a parameter p0, p1, ... (the dict, filled as the renamers meet them)."""
    params: dict[A.Atom, str] = {}

    def ren(suffix: str, ivs: set[str]):
        def r(k: A.Atom) -> str:
            if isinstance(k, str) and k in ivs:
                return f"{_ident(k)}_{suffix}"
            if k not in params:
                params[k] = f"p{len(params)}"
            return params[k]
        return r

    return params, ren("1", set(sp1.ivs)), ren("2", set(sp2.ivs))


def _isl_test(sub1, sp1, sub2, sp2) -> DepResult:
    params, r1, r2 = _renamers(sp1, sp2)
    t1, t2 = r1(sp1.ivs[0]), r2(sp2.ivs[0])
    vars_ = [r1(v) for v in sp1.ivs] + [r2(v) for v in sp2.ivs]
    # An access tested against itself is symmetric under swapping the two iterations, so
    # t1 < t2 decides it alone; otherwise t1 != t2 asks for both orders.
    mirrored = sub1 == sub2 and sp1 == sp2
    rows = _pair_rows(sub1, sp1, r1, sub2, sp2, r2)
    if rows is not None and len(set(vars_ + rows[1])) == len(vars_) + len(rows[1]):  # (a reused loop variable: text)
        try:
            dep = not _empty_rows(tuple(params.values()), tuple(vars_) + tuple(rows[1]), rows[0], t1, t2, mirrored,
                                  _gap(sp1, r1))
        except Exception:  # isl refuses something exotic: stay safe
            return DepResult(True, None, "isl-error")
        return DepResult(dep, None, "isl")
    cons: list[str] = []
    exists: list[str] = []
    for sp, r, sfx in ((sp1, r1, "1"), (sp2, r2, "2")):
        _space_constraints(sp, r, sfx, cons, exists)
    for a, b in zip(sub1, sub2):
        if a is not None and b is not None:
            cons.append(f"{A.to_isl(a, r1)} = {A.to_isl(b, r2)}")
    body = " and ".join(cons) if cons else "true"
    base = f"[{', '.join(params.values())}] -> {{ [{', '.join(vars_)}] : "
    ex_open = f"exists ({', '.join(exists)} : " if exists else ""
    ex_close = ")" if exists else ""
    step = sp1.bounds[0][2] if sp1.bounds else None
    if type(step) is dict:  # iterations at least a symbolic step apart
        g = A.to_isl(step, r1)
        apart = f"{t2} >= {t1} + {g}" if mirrored else f"({t2} >= {t1} + {g} or {t1} >= {t2} + {g})"
    else:
        apart = f"{t1} {'<' if mirrored else '!='} {t2}"
    s = f"{base}{ex_open}{body} and {apart}{ex_close} }}"
    try:
        dep = not _empty(s)
    except Exception:  # isl refuses something exotic: stay safe
        return DepResult(True, None, "isl-error")
    return DepResult(dep, None, "isl")


def definite(sub1, sp1: Space, sub2, sp2: Space) -> tuple[bool, str | None]:
    """Does a dependence the tests found hold for every value of the loop-invariant names for
    which two different iterations reach both accesses? ``a[i+1] = a[i]`` does (n >= 2 is all
    it needs); ``a[i+k] = a[i]`` does not (only for 0 < |k| < n), nor does a subscript with a
    product of names, whose values the test took as unrelated. False when it cannot tell: a
    dependence that is not definite is not a proof that the loop is illegal. The second value:
    when not definite, the condition on those names under which the iterations are independent
    (isl's own words, the names as the source writes them), or None."""
    sub1, sub2 = _delinearize(sub1, sp1, sub2, sp2)
    if sub1 is None:
        return False, None
    params, r1, r2 = _renamers(sp1, sp2)
    t1, t2 = r1(sp1.ivs[0]), r2(sp2.ivs[0])
    vars_ = [r1(v) for v in sp1.ivs] + [r2(v) for v in sp2.ivs]
    pr = _pair_rows(sub1, sp1, r1, sub2, sp2, r2)
    if not params:
        return True, None  # nothing left to vary: the dependence the tests found is the only answer
    if pr is None or len(set(vars_ + pr[1])) != len(vars_) + len(pr[1]):
        return False, None  # (a '!=' guard, a reused loop variable: not known to be definite)
    rows, witnesses = pr
    n_eq = sum(1 for a, b in zip(sub1, sub2) if a is not None and b is not None)
    gap = _gap(sp1, r1)
    try:
        ok, when = _definite_rows(tuple(params.values()), tuple(vars_) + tuple(witnesses), rows, n_eq, t1, t2,
                                  sub1 == sub2 and sp1 == sp2, gap)
    except Exception:  # isl refuses something exotic: not known to be definite
        return False, None
    if ok and _strided_in(rows[len(rows) - n_eq:], (sp1, r1), (sp2, r2)):
        # with a symbolic step the test took every value in the bounds as an iteration: a
        # dependence on that loop variable's value may fall between the iterations that run
        return False, None
    return ok, (_condition(when, params) if when is not None else None)


@lru_cache(maxsize=4096)
def _definite_rows(params: tuple[str, ...], dims: tuple[str, ...], rows: tuple[Row, ...], n_eq: int,
                   t1: str, t2: str, mirrored: bool, gap: tuple = ((1, 1),)) -> tuple[bool, str | None]:
    """``definite`` on the pair test's rows (the last ``n_eq`` are the subscripts' equalities):
    the parameters for which two different iterations run, a subset of those for which they
    also meet? If not, isl's text of the parameters for which they do not meet."""
    import islpy as isl
    space = isl.Space.create_from_names(isl.DEFAULT_CONTEXT, set=list(dims), params=list(params))
    n2d = isl.Constraint.inequality_alloc(space).get_var_dict()
    ineq_alloc, eq_alloc = isl.Constraint.inequality_alloc, isl.Constraint.equality_alloc

    def with_rows(bset, rs):
        for is_eq, terms in rs:
            bset = bset.add_constraint((eq_alloc(space) if is_eq else ineq_alloc(space)).set_coefficients_by_name(terms, n2d))
        return bset

    def apart(bset):  # t1 != t2 (t1 < t2 alone when the pair is its own mirror image)
        lt = bset.add_constraint(ineq_alloc(space).set_coefficients_by_name(_apart_terms(t2, t1, gap), n2d))
        s = isl.Set.from_basic_set(lt)
        if not mirrored:
            s = s.union(isl.Set.from_basic_set(bset.add_constraint(
                ineq_alloc(space).set_coefficients_by_name(_apart_terms(t1, t2, gap), n2d))))
        return s.params()

    cut = len(rows) - n_eq
    runs = with_rows(isl.BasicSet.universe(space), rows[:cut])
    run, dep = apart(runs), apart(with_rows(runs, rows[cut:]))
    if run.is_subset(dep):
        return True, None
    return False, str(run.subtract(dep).gist(run).coalesce())


def _condition(text: str, params: dict) -> str | None:
    """``[p0, p1] -> { : p1 >= 1 + p0 }`` as ``n >= 1 + k``; None when isl's text is long."""
    import re
    m = re.search(r"\{\s*:\s*(.*?)\s*\}$", text)
    if m is None or len(m.group(1)) > 160:
        return None
    names = {v: A.show({k: 1}) for k, v in params.items()}
    def name(x) -> str:  # isl writes '2p1' for 2*p1
        n = names.get("p" + x.group(2), "p" + x.group(2))
        return f"{x.group(1)}*{n}" if x.group(1) else n
    return re.sub(r"(?<![A-Za-z_])(\d*)p(\d+)\b", name, m.group(1))


# ---- the pair test's set built through isl's API: parsing the same set from text is
# about twice as slow, and the pair test is most of the isl work
Row = tuple[bool, tuple[tuple[object, int], ...]]  # (is equality, ((name or 1, coefficient), ...)): expr >= 0 or = 0


def _row(terms: dict, eq: bool = False) -> Row:
    return eq, tuple(sorted(((k, v) for k, v in terms.items() if v), key=lambda kv: str(kv[0])))


def _lin(a: Aff, r, scale: int = 1, out: dict | None = None) -> dict:
    out = {} if out is None else out
    for k, v in a.items():
        key = 1 if k == A.ONE else r(k)
        out[key] = out.get(key, 0) + scale * v
    return out


def _pair_rows(sub1, sp1, r1, sub2, sp2, r2) -> tuple[tuple[Row, ...], list[str]] | None:
    """The pair test's constraints as rows, and the stride witnesses (extra dimensions);
    None when a constraint has no row form (a '!=' guard)."""
    rows: list[Row] = []
    witnesses: list[str] = []
    for sp, r, sfx in ((sp1, r1, "1"), (sp2, r2, "2")):
        for iv, (lo, hi, step) in zip(sp.ivs, sp.bounds):
            v = r(iv)
            if lo is not None:
                rows.append(_row(_lin(lo, r, -1, {v: 1})))
            if hi is not None:
                rows.append(_row(_lin(hi, r, 1, {v: -1, 1: -1})))
            if type(step) is dict:
                rows.append(_row(_lin(step, r, 1, {1: -1})))  # the step moves towards the bound
            elif step is not None and abs(step) > 1:
                anchor = lo if step > 0 else hi
                if anchor is not None:
                    k = f"k_{_ident(iv)}_{sfx}"
                    witnesses.append(k)
                    if step > 0:  # v = anchor + step*k, k >= 0
                        rows.append(_row(_lin(anchor, r, -1, {v: 1, k: -step}), eq=True))
                    else:  # v = anchor - 1 - |step|*k
                        rows.append(_row(_lin(anchor, r, -1, {v: 1, 1: 1, k: -step}), eq=True))
                    rows.append(_row({k: 1}))
        for iv, op, b in sp.extra:
            if iv is None:
                e = _lin(b, r)
            else:
                e = _lin(b, r, -1, {r(iv): 1})  # iv - b  op  0
            if op == ">=":
                rows.append(_row(e))
            elif op == ">":
                rows.append(_row({**e, 1: e.get(1, 0) - 1}))
            elif op == "<=":
                rows.append(_row({k: -v for k, v in e.items()}))
            elif op == "<":
                neg = {k: -v for k, v in e.items()}
                rows.append(_row({**neg, 1: neg.get(1, 0) - 1}))
            elif op in ("==", "="):
                rows.append(_row(e, eq=True))
            else:
                return None
    for a, b in zip(sub1, sub2):
        if a is not None and b is not None:
            rows.append(_row(_lin(b, r2, -1, _lin(a, r1)), eq=True))
    return tuple(rows), witnesses


@lru_cache(maxsize=20000)
def _empty_rows(params: tuple[str, ...], dims: tuple[str, ...], rows: tuple[Row, ...],
                t1: str, t2: str, ordered: bool, gap: tuple = ((1, 1),)) -> bool:
    """Is the set of ``rows`` with t1 < t2 (and, unless ``ordered``, with t1 > t2) empty? Two
    iterations are at least ``gap`` apart (terms: 1, or a symbolic step)."""
    import islpy as isl
    space = isl.Space.create_from_names(isl.DEFAULT_CONTEXT, set=list(dims), params=list(params))
    bset = isl.BasicSet.universe(space)
    # islpy's *_from_names rebuild the name -> dimension map for every constraint; build it once
    n2d = isl.Constraint.inequality_alloc(space).get_var_dict()
    ineq_alloc, eq_alloc = isl.Constraint.inequality_alloc, isl.Constraint.equality_alloc

    def ineq(terms):
        return ineq_alloc(space).set_coefficients_by_name(terms, n2d)

    for is_eq, terms in rows:
        bset = bset.add_constraint((eq_alloc(space) if is_eq else ineq_alloc(space)).set_coefficients_by_name(terms, n2d))
    if not bset.add_constraint(ineq(_apart_terms(t2, t1, gap))).is_empty():
        return False
    return ordered or bset.add_constraint(ineq(_apart_terms(t1, t2, gap))).is_empty()


def _apart_terms(later: str, earlier: str, gap: tuple) -> dict:
    """later - earlier - gap >= 0"""
    out = {later: 1, earlier: -1}
    for k, v in gap:
        out[k] = out.get(k, 0) - v
    return out


def _strided_in(rows, *sides) -> bool:
    """Do these rows involve a loop variable whose step is symbolic (iterations over-approximated)?"""
    named = {r(iv) for sp, r in sides for iv, (_, _, step) in zip(sp.ivs, sp.bounds) if type(step) is dict}
    return bool(named) and any(k in named for _, terms in rows for k, _ in terms)


def _gap(sp: Space, r) -> tuple:
    """How far apart two iterations of the loop under test are at least: 1, or its symbolic
    step (renamed by ``r``), as terms."""
    step = sp.bounds[0][2] if sp.bounds else None
    if type(step) is dict:
        return tuple(sorted(_lin(step, r).items(), key=lambda kv: str(kv[0])))
    return ((1, 1),)


def _space_constraints(sp: Space, r, sfx: str, cons: list[str], exists: list[str]) -> None:
    """isl constraints of an iteration space (bounds, strides, min/max bounds and guards),
    its variables renamed by ``r``; stride witnesses are added to ``exists``."""
    for iv, (lo, hi, step) in zip(sp.ivs, sp.bounds):
        v = r(iv)
        if lo is not None:
            cons.append(f"{v} >= {A.to_isl(lo, r)}")
        if hi is not None:
            cons.append(f"{v} < {A.to_isl(hi, r)}")
        if type(step) is dict:
            cons.append(f"{A.to_isl(step, r)} >= 1")
        elif step is not None and abs(step) > 1:
            anchor = lo if step > 0 else hi
            if anchor is not None:
                k = f"k_{_ident(iv)}_{sfx}"
                exists.append(k)
                if step > 0:
                    cons.append(f"{v} = {A.to_isl(anchor, r)} + {step}*{k} and {k} >= 0")
                else:
                    cons.append(f"{v} = {A.to_isl(anchor, r)} - 1 - {-step}*{k} and {k} >= 0")
    for iv, op, b in sp.extra:
        cons.append(_extra(iv, op, b, r))


def _ident(k: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in k)


@lru_cache(maxsize=20000)
def _empty(s: str) -> bool:
    import islpy as isl
    return isl.Set(s).is_empty()


def _delinearize(sub1, sp1, sub2, sp2):
    """Split a linearized subscript ``p*A + B`` into ``[A, B]`` when ``0 <= B < p`` on both
    sides, peeling factors one at a time: ``x + y*nx + z*nx*ny`` gives ``[z, y, x]`` when
    ``0 <= x < nx`` and ``0 <= y < ny``. None, None if impossible."""
    bil = {k[1] for s in (sub1, sub2) for a in s if a is not None for k in a if type(k) is tuple}
    if not bil:
        return sub1, sub2
    if len(sub1) != len(sub2):
        return None, None
    if len(sub1) > 1:  # a struct field or outer dimension next to a linearized one: split that one
        out1: list = []
        out2: list = []
        for a, b in zip(sub1, sub2):
            if a is None or b is None or not any(isinstance(k, tuple) for k in (*a, *b)):
                out1.append(a)
                out2.append(b)
                continue
            r1, r2 = _delinearize([a], sp1, [b], sp2)
            if r1 is None:
                return None, None
            out1 += r1
            out2 += r2
        return out1, out2
    if sub1[0] is None or sub2[0] is None:
        return None, None
    common = set.intersection(*(set(A.factors(p)) for p in bil))
    for f in sorted(common, key=str):
        parts = []
        for s, sp in ((sub1[0], sp1), (sub2[0], sp2)):
            hi, lo = _split(s, f)
            if any(isinstance(k, tuple) for k in lo) or not _in_range(lo, f, sp):
                break
            parts.append((hi, lo))
        else:
            (h1, l1), (h2, l2) = parts
            r1, r2 = _delinearize([h1], sp1, [h2], sp2)
            if r1 is not None:
                return r1 + [l1], r2 + [l2]
    return None, None


def split_rows_assumed(sub1: list[Aff], sub2: list[Aff], assumed: list, depth_of=None,
                       strides: dict | None = None, larger=None) -> tuple[list, list] | None:
    """Split linearized subscripts (``i + j*ld``, ``(i-a) + ni*(j-b) + nij*(k-c)``) by their
    strides, largest part first, without proof that each remaining part stays below its stride:
    the condition of each split, (part of sub1, part of sub2, stride, its multiplier), is appended to ``assumed``.
    The dimensions so found are what a multi-dimensional layout would have; None if the
    subscripts are not of that shape. ``depth_of(iv)`` orders the strides: the one multiplying
    the outermost loop's variable is the largest, peeled first. ``strides`` (stride -> depth)
    are the strides other accesses of the array show (a loop variable times them), also split
    by where a term of these subscripts has them as a factor ('u[ind - nij]' beside
    'u[ind + nij*w]'); ``larger(f, g)`` says f is known to be a multiple of g ('nij = ni*nj'):
    the larger is peeled first whatever the depths."""
    if len(sub1) != len(sub2):
        return None
    out1: list = []
    out2: list = []
    for a, b in zip(sub1, sub2):
        if a is None or b is None:
            return None
        if not any(isinstance(k, tuple) for k in (*a, *b)):
            out1.append(a)
            out2.append(b)
            continue
        r = _split_assumed(a, b, assumed, 0, depth_of or (lambda v: 0), strides or {}, larger)
        if r is None:
            return None
        out1 += r[0]
        out2 += r[1]
    return out1, out2


def _has_factor(k: A.Atom, f: A.Atom) -> bool:
    """Does the term's parameter (a bilinear term's, or the term itself) have ``f``'s factors?"""
    if k == A.ONE:
        return False
    p = k[1] if type(k) is tuple else k
    have = A.factors(p)
    return all(have.count(x) >= n for x, n in _counts(A.factors(f)).items())


def _counts(fs: list) -> dict:
    out: dict = {}
    for x in fs:
        out[x] = out.get(x, 0) + 1
    return out


def _split_assumed(a: Aff, b: Aff, assumed: list, depth: int, depth_of, strides: dict, larger):
    outer: dict = {}
    for s in (a, b):
        for k in s:
            if type(k) is tuple:
                outer[k[1]] = min(outer.get(k[1], 1 << 30), depth_of(k[0]))
    if not outer:
        return [a], [b]
    for f, d in strides.items():
        if f not in outer and any(_has_factor(k, f) for s in (a, b) for k in s):
            outer[f] = d
    if depth > 4:
        return None

    def known_smaller(p) -> bool:
        return larger is not None and any(q != p and larger(q, p) for q in outer)

    f = min(outer, key=lambda p: (known_smaller(p), outer[p], str(p)))
    if sum(1 for p in outer if (known_smaller(p), outer[p]) == (known_smaller(f), outer[f])) > 1:
        return None  # two strides on the same loop's variable: no order to assume
    h1, l1 = _split(a, f)
    h2, l2 = _split(b, f)
    if any(isinstance(k, tuple) for k in (*h1, *h2)):
        return None
    # 'u[3*ind + c]' with ind = i + ni*j + nij*k: every part above the stride a multiple of 3,
    # so the stride is 3*nij (three values per cell) and the condition is the one the layout keeps
    g = math.gcd(*h1.values(), *h2.values())
    if g > 1:
        h1, h2 = {k: v // g for k, v in h1.items()}, {k: v // g for k, v in h2.items()}
    assumed.append((l1, l2, f, max(g, 1)))
    r = _split_assumed(l1, l2, assumed, depth + 1, depth_of, strides, larger)
    if r is None:
        return None
    return [h1] + r[0], [h2] + r[1]


def _split(s: Aff, f: A.Atom) -> tuple[Aff, Aff]:
    """``s = f*hi + lo``: the terms whose parameter has the factor ``f`` (all of its factors,
    when ``f`` is a product) go to ``hi``."""
    hi: Aff = {}
    lo: Aff = {}
    need = A.factors(f)
    for k, v in s.items():
        if k != A.ONE and _has_factor(k, f):
            fs = A.factors(k[1] if isinstance(k, tuple) else k)
            for x in need:
                fs.remove(x)
            if isinstance(k, tuple):
                hi = A.add(hi, {(k[0], A.product(fs)) if fs else k[0]: v})
            else:
                hi = A.add(hi, {A.product(fs): v} if fs else A.const(v))
            continue
        lo = A.add(lo, {k: v})
    return hi, lo


def _domain(sp: Space, assume_nonneg: bool):
    """isl renamer, domain constraints and parameter table of one access's iteration space."""
    params: dict[A.Atom, str] = {}

    def r(k):
        if isinstance(k, str) and k in sp.ivs:
            return _ident(k)
        if k not in params:
            params[k] = f"p{len(params)}"
        return params[k]

    cons = []
    for iv, (lo, hi, _) in zip(sp.ivs, sp.bounds):
        if lo is not None and not any(isinstance(k, tuple) for k in lo):
            cons.append(f"{r(iv)} >= {A.to_isl(lo, r)}")
        elif assume_nonneg:
            cons.append(f"{r(iv)} >= 0")
        if hi is not None and not any(isinstance(k, tuple) for k in hi):
            cons.append(f"{r(iv)} < {A.to_isl(hi, r)}")
    for iv, op, b in sp.extra:
        cons.append(_extra(iv, op, b, r))
    return r, cons, params


def _extra(iv, op, b, r) -> str:
    if iv is None:
        return f"{A.to_isl(b, r)} {'=' if op == '==' else op} 0"
    return f"{r(iv)} {op} {A.to_isl(b, r)}"


def _set(sp: Space, params: dict, cons: list[str]) -> str:
    return f"[{', '.join(params.values())}] -> {{ [{', '.join(_ident(v) for v in sp.ivs)}] : {' and '.join(cons) or 'true'} }}"


def _in_range(lo: Aff, p: str, sp: Space) -> bool:
    """0 <= lo < p for every iteration in the space (p >= 1)?"""
    r, cons, params = _domain(sp, assume_nonneg=False)
    pn = r(p)
    e = A.to_isl(lo, r)
    try:  # one set for both sides: isl's parser is most of the cost
        return _empty(_set(sp, params, cons + [f"{pn} >= 1", f"({e} < 0 or {e} >= {pn})"]))
    except Exception:
        return False


def may_be_negative(a: Aff, sp: Space) -> str | None:
    """Can this subscript be < 0 in the space? 'always': for every value of the symbolic
    bounds under which the loop runs; 'some': only for some values (jst = 0 in
    'for (j = jst; ...) a[i][j-1]'); None: never. Unknown lower bounds count as >= 0."""
    if all(v >= 0 for v in a.values()) and all(
            (lo is not None and all(x >= 0 for x in lo.values())) or lo is None
            for lo, _, _ in sp.bounds):
        return None  # quick: non-negative coefficients over non-negative ranges
    if any(isinstance(k, tuple) or (k != A.ONE and k not in sp.ivs) for k in a):
        return None  # only judged when the subscript depends on this nest's own variables
    r, cons, params = _domain(sp, assume_nonneg=True)
    e = A.to_isl(a, r)
    cons += [f"{v} >= 0" for v in params.values()]  # sizes and offsets are taken as non-negative
    try:
        import islpy as isl
        neg = isl.Set(_set(sp, params, cons + [f"{e} < 0"]))
        if neg.is_empty():
            return None
        runs = isl.Set(_set(sp, params, cons)).params()
        return "always" if runs.is_subset(neg.params()) else "some"
    except Exception:
        return None


def covers(reads: list[tuple[list[Aff], Space]], writes: list[tuple[list[Aff], Space]], fixed: int) -> bool:
    """Is every element read also written, in the same iteration of the first ``fixed`` loops?

    Each access is (subscripts, space); the spaces share their first ``fixed`` loop variables
    (the iteration whose private copy is in question); deeper loop variables range over
    their bounds. Used for array privatization: reads that only see this iteration's writes.
    """
    if not writes:
        return False
    if any(not sp.bounded(v) for _, sp in writes for v in sp.ivs[fixed:]):
        return False  # a bound that is not affine was dropped: the writes' range is a guess
    if any(type(step) is dict for _, sp in writes for _, _, step in sp.bounds[fixed:]):
        return False  # a symbolic step: the writes skip values between their iterations
    dims = {len(s) for s, _ in reads + writes}
    if len(dims) != 1 or any(a is None or any(isinstance(k, tuple) for k in a)
                             for s, _ in reads + writes for a in s):
        return False
    chain = reads[0][1].ivs[:fixed] if reads else writes[0][1].ivs[:fixed]
    if any(sp.ivs[:fixed] != chain for _, sp in reads + writes):
        return False
    params: dict[A.Atom, str] = {}
    texts = []
    for n, (subs, sp) in enumerate(reads + writes):
        local = {iv: f"{_ident(iv)}_x{n}" for iv in sp.ivs[fixed:]}

        def r(k, local=local):
            if isinstance(k, str) and k in local:
                return local[k]
            if isinstance(k, str) and k in chain:
                return _ident(k)
            if k not in params:
                params[k] = f"p{len(params)}"
            return params[k]

        cons: list[str] = []
        exists = list(local.values())
        _space_constraints(sp, r, str(n), cons, exists)
        cons += [f"e{d} = {A.to_isl(a, r)}" for d, a in enumerate(subs)]
        body = " and ".join(cons)
        texts.append(f"exists ({', '.join(exists)} : {body})" if exists else body)
    tup = ", ".join([_ident(c) for c in chain] + [f"e{d}" for d in range(dims.pop())])
    head = f"[{', '.join(params.values())}] -> {{ [{tup}] : "
    try:
        import islpy as isl
        read = isl.Set(head + " or ".join(f"({t})" for t in texts[:len(reads)]) + " }") if reads else None
        written = isl.Set(head + " or ".join(f"({t})" for t in texts[len(reads):]) + " }")
        return read is None or read.is_subset(written)
    except Exception:  # isl refuses something exotic: not privatizable
        return False
