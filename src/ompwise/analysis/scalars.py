"""Scalars of a loop body: upward-exposed reads, definite writes, reductions."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..frontend import ir
from ..frontend.walk import CHILDREN_OF, exprs, names, substmts, subtree_exprs

REDUCTION_OPS = {"+=": "+", "-=": "+", "*=": "*", "&=": "&", "|=": "|", "^=": "^"}
BIN_REDUCTION = {"+": "+", "-": "+", "*": "*", "&": "&", "|": "|", "^": "^", "&&": "&&", "||": "||"}
MINMAX_CALLS = {"fmax": "max", "fmaxf": "max", "fmaxl": "max", "max": "max", "MAX": "max", "Max": "max",
                "fmin": "min", "fminf": "min", "fminl": "min", "min": "min", "MIN": "min", "Min": "min"}


@dataclass
class Flow:
    """Result of walking a loop body once in program order."""
    exposed: dict[str, ir.Loc] = field(default_factory=dict)  # name -> first upward-exposed read
    writes: dict[str, list[ir.Loc]] = field(default_factory=dict)
    reads: dict[str, list[ir.Loc]] = field(default_factory=dict)
    definite_end: set[str] = field(default_factory=set)  # written on every path through the body
    address_taken: dict[str, ir.Loc] = field(default_factory=dict)
    # '&x' where x is not yet written on every path of this iteration: a callee may read
    # the value of an earlier iteration through it
    address_undefined: dict[str, ir.Loc] = field(default_factory=dict)


class _Walker:
    def __init__(self, scalar: callable):
        self.is_scalar = scalar
        self.flow = Flow()
        self._scalar_memo: dict[str, bool] = {}
        self._reads = self.flow.reads
        self._exposed = self.flow.exposed
        # what 'break' and 'continue' leave: the enclosing inner loops and switches, innermost
        # last; a jump out of the walked body ends its iteration with what is defined so far
        self._targets: list[list] = []  # [kind, jumped out?]
        self.exits: list[set[str]] = []

    def _scalar(self, n: str) -> bool:
        r = self._scalar_memo.get(n)
        if r is None:
            r = self._scalar_memo[n] = self.is_scalar(n)
        return r

    # expressions: `defined` is mutated only for unconditional writes
    def expr(self, e: ir.Expr, defined: set[str], cond: bool = False) -> None:
        t = type(e)
        if t is _Name:  # the most common node: _scalar and _read inlined
            n = e.id
            r = self._scalar_memo.get(n)
            if r is None:
                r = self._scalar_memo[n] = self.is_scalar(n)
            if r:
                reads = self._reads.get(n)
                if reads is None:
                    self._reads[n] = [e.loc]
                else:
                    reads.append(e.loc)
                if n not in defined and n not in self._exposed:
                    self._exposed[n] = e.loc
            return
        if t is _Num:
            return
        if t is _Assign:
            tg = e.target
            self.expr(e.value, defined, cond)
            if type(tg) is _Name and self._scalar(tg.id):
                if e.op != "=":
                    self._read(tg.id, tg.loc, defined)
                self._write(tg.id, tg.loc, defined, cond)
            else:
                self.lvalue(tg, defined, cond)
            return
        if t is _IncDec:
            tg = e.target
            if type(tg) is _Name and self._scalar(tg.id):
                self._read(tg.id, tg.loc, defined)
                self._write(tg.id, tg.loc, defined, cond)
            else:
                self.lvalue(tg, defined, cond)
            return
        if t is _Binary:
            if e.op == "&&" or e.op == "||":
                self.expr(e.left, defined, cond)
                self.expr(e.right, set(defined), True)
            else:  # literal operands touch no scalar: skipped without a call
                if type(e.left) is not _Num:
                    self.expr(e.left, defined, cond)
                if type(e.right) is not _Num:
                    self.expr(e.right, defined, cond)
            return
        if t is _Cond:
            self.expr(e.cond, defined, cond)
            self.expr(e.then, set(defined), True)
            self.expr(e.other, set(defined), True)
            return
        if t is _Unary and e.op == "&" and type(e.operand) is _Name:
            self.flow.address_taken.setdefault(e.operand.id, e.loc)
            if e.operand.id not in defined:
                self.flow.address_undefined.setdefault(e.operand.id, e.loc)
            return
        if t is _Call:
            for a in e.args:
                self.expr(a, defined, cond)
            if type(e.func) is not _Name:
                self.expr(e.func, defined, cond)
            return
        if t is _Member:
            self.expr(e.base, defined, cond)
            return
        g = CHILDREN_OF.get(t)
        if g is not None:
            for c in g(e):
                self.expr(c, defined, cond)

    def lvalue(self, t: ir.Expr, defined: set[str], cond: bool) -> None:
        """Reads inside an lvalue that is not a plain scalar (subscripts, pointers)."""
        k = type(t)
        if k is _Index:
            self.lvalue(t.base, defined, cond)
            self.expr(t.index, defined, cond)
        elif k is _Member:
            self.lvalue(t.base, defined, cond)
        elif k is _Unary:
            self.expr(t.operand, defined, cond)
        elif k is _Name:
            if self._scalar(t.id):
                self._read(t.id, t.loc, defined)
        else:
            self.expr(t, defined, cond)

    def _read(self, n: str, loc: ir.Loc, defined: set[str]) -> None:
        r = self._reads.get(n)
        if r is None:
            self._reads[n] = [loc]
        else:
            r.append(loc)
        if n not in defined and n not in self._exposed:
            self._exposed[n] = loc

    def _write(self, n: str, loc: ir.Loc, defined: set[str], cond: bool) -> None:
        self.flow.writes.setdefault(n, []).append(loc)
        if not cond:
            defined.add(n)

    # statements
    def stmts(self, body: tuple[ir.Stmt, ...], defined: set[str]) -> None:
        for s in body:
            self.stmt(s, defined)

    def stmt(self, s: ir.Stmt, defined: set[str]) -> None:
        t = type(s)
        if t is ir.ExprStmt:
            self.expr(s.expr, defined)
        elif t is ir.Decl:
            for v in s.vars:
                if v.init is not None:
                    self.expr(v.init, defined)
                defined.add(v.name)
        elif t is ir.If:
            self.expr(s.cond, defined)
            a, b = set(defined), set(defined)
            self.stmts(s.then, a)
            self.stmts(s.orelse, b)
            defined |= (a & b)
        elif t is ir.While:
            self._targets.append(["loop", False])
            if s.do:
                inner = set(defined)
                self.stmts(s.body, inner)
                self.expr(s.cond, inner)
                if not self._targets[-1][1]:
                    defined |= inner  # a do body runs at least once
            else:
                self.expr(s.cond, defined)
                self.stmts(s.body, set(defined))
            self._targets.pop()
        elif t is ir.Switch:
            self.expr(s.cond, defined)
            self._targets.append(["switch", False])
            for case in s.body:  # entered at any case: none sees what an earlier one wrote
                self.stmt(case, set(defined))
            self._targets.pop()
        elif t is ir.Block or t is ir.Sync or t is ir.Region:
            self.stmts(s.body, defined)
        elif t is ir.ForStmt:
            lp = s.loop
            self.stmts(lp.init, defined)
            inner = set(defined)
            if lp.cond is not None:
                self.expr(lp.cond, inner)
            self._targets.append(["loop", False])
            self.stmts(lp.body, inner)
            jumped = self._targets.pop()[1]
            if lp.update is not None:
                self.expr(lp.update, inner)
            if _runs_at_least_once(lp) and not jumped:  # (a 'break' may skip the writes)
                defined |= inner
        elif t is ir.Jump:
            if s.value is not None:
                self.expr(s.value, defined)
            if s.kind in ("break", "continue"):
                # the innermost loop (or, for 'break', switch) it leaves
                for k in range(len(self._targets) - 1, -1, -1):
                    if s.kind == "break" or self._targets[k][0] == "loop":
                        self._targets[k][1] = True
                        return
            for tgt in self._targets:
                tgt[1] = True  # return, goto, throw: out of everything
            self.exits.append(set(defined))  # this iteration ends here


_Name, _Num, _Assign, _IncDec, _Binary, _Cond, _Unary, _Call, _Member, _Index = (
    ir.Name, ir.Num, ir.Assign, ir.IncDec, ir.Binary, ir.Cond, ir.Unary, ir.Call, ir.Member, ir.Index)


# the operator an update adds by ('-' adds the negation): of 'x op= e' and of 'x = x op e'
UPDATE_OPS = {"+=": "+", "-=": "+", "*=": "*", "|=": "|", "&=": "&", "^=": "^"}
BINARY_OPS = {"+": "+", "-": "+", "*": "*", "|": "|", "&": "&", "^": "^"}


def atomic_update(s: ir.Sync) -> tuple[ir.Expr, str, int, ir.Expr | None] | None:
    """(target, lock and operator, uses of the target, the value added) of an update the author synchronized, its
    value unused: '#pragma omp atomic' over 'x[k] += e;' or 'x[k]++;' ('atomic:+'), or the one
    statement of a critical section, 'x = x + e;' too ('critical(name):+'). Updates with one key
    exclude each other and commute. None for anything else ('atomic read', 'write', 'capture')."""
    if s.kind not in ("atomic", "critical"):
        return None
    body = s.body
    while len(body) == 1 and type(body[0]) is ir.Block:
        body = body[0].body
    if len(body) != 1 or type(body[0]) is not ir.ExprStmt:
        return None
    lock = "atomic" if s.kind == "atomic" else f"critical({s.name})"
    e = body[0].expr
    if type(e) is ir.IncDec:
        return e.target, f"{lock}:+", 1, ir.Num(e.loc, "1", 1)
    if type(e) is not ir.Assign:
        return None
    if e.op in UPDATE_OPS and e.target.text not in e.value.text:
        return e.target, f"{lock}:{UPDATE_OPS[e.op]}", 1, e.value
    v = e.value
    if s.kind == "critical" and e.op == "=" and type(v) is ir.Binary and v.op in BINARY_OPS \
            and v.left.text == e.target.text and e.target.text not in v.right.text:
        return e.target, f"{lock}:{BINARY_OPS[v.op]}", 2, v.right
    return None


def _runs_at_least_once(lp: ir.Loop) -> bool:
    c = lp.canonical
    if c is None or c.lower is None or c.upper is None:
        return False
    lo, hi = c.lower, c.upper
    lv = lo.value if isinstance(lo, ir.Num) else None
    if isinstance(hi, ir.Num) and isinstance(hi.value, int) and isinstance(lv, int):
        return hi.value > lv
    if isinstance(hi, ir.Binary) and isinstance(hi.right, ir.Num) and isinstance(hi.left, ir.Num):
        return isinstance(hi.left.value, int) and isinstance(lv, int) and hi.left.value + hi.right.value > lv
    return False


def flow(body: tuple[ir.Stmt, ...], is_scalar) -> Flow:
    w = _Walker(is_scalar)
    defined: set[str] = set()
    w.stmts(body, defined)
    for e in w.exits:  # 'continue' (or a jump out) ends an iteration with less written
        defined &= e
    w.flow.definite_end = defined
    return w.flow


# ---------------------------------------------------------------- reductions
def reduction_op(name: str, body: tuple[ir.Stmt, ...], minmax: dict[str, str] = MINMAX_CALLS) -> str | None:
    """The OpenMP reduction operator if every use of ``name`` is a reduction update.
    ``minmax``: the calls that compute a maximum or minimum of their two arguments."""
    ops: set[str] = set()
    uses = 0

    def count(e: ir.Expr | None) -> int:
        if e is None or name not in names(e):
            return 0  # most expressions do not mention it: answered by the memoised name set
        return sum(1 for x in exprs(e) if type(x) is _Name and x.id == name)

    def update(e: ir.Expr) -> str | None:
        if isinstance(e, ir.IncDec) and isinstance(e.target, ir.Name) and e.target.id == name:
            return "+"
        if not (isinstance(e, ir.Assign) and isinstance(e.target, ir.Name) and e.target.id == name):
            return None
        v = e.value
        if e.op in REDUCTION_OPS:
            return REDUCTION_OPS[e.op] if count(v) == 0 else None
        if e.op != "=":
            return None
        if isinstance(v, ir.Cond) and isinstance(v.cond, ir.Binary) and v.cond.op in ("<", "<=", ">", ">="):
            return _minmax_from(v.cond, v.then, v.other, name) or _flip(_minmax_from(v.cond, v.other, v.then, name))
        if count(v) != 1:
            return None
        if isinstance(v, ir.Binary) and v.op in BIN_REDUCTION:
            terms = _chain(v, v.op if v.op not in "+-" else "+-")
            if v.op in ("&&", "||") and any(type(x) in (ir.Assign, ir.IncDec, ir.Call)
                                            for _, t in terms for x in exprs(t)):
                return None  # 'ok = ok && (c[i] = a[i])': whether the write runs depends on ok itself
            for sign, term in terms:
                if isinstance(term, ir.Name) and term.id == name:
                    if sign == "-":
                        return None
                    return BIN_REDUCTION[v.op]
            return None
        if isinstance(v, ir.Call) and v.name in minmax and len(v.args) == 2:
            if any(isinstance(a, ir.Name) and a.id == name for a in v.args):
                return minmax[v.name]
            return None
        if isinstance(v, ir.Cond) and isinstance(v.cond, ir.Binary) and v.cond.op in ("<", "<=", ">", ">="):
            return _minmax_from(v.cond, v.then, v.other, name)
        return None

    def visit_stmt(s: ir.Stmt) -> bool:
        nonlocal uses
        if isinstance(s, ir.ExprStmt):
            items = s.expr.exprs if isinstance(s.expr, ir.Comma) else (s.expr,)
            for it in items:
                op = update(it)
                if op is not None:
                    ops.add(op)
                    uses += 1
                elif count(it):
                    return False
            return True
        if isinstance(s, ir.If) and not s.orelse and len(s.then) == 1 and isinstance(s.then[0], (ir.ExprStmt, ir.Block)):
            st = s.then[0]
            while isinstance(st, ir.Block) and len(st.body) == 1:
                st = st.body[0]
            if isinstance(st, ir.ExprStmt) and isinstance(st.expr, ir.Assign) and st.expr.op == "=" \
                    and isinstance(st.expr.target, ir.Name) and st.expr.target.id == name \
                    and isinstance(s.cond, ir.Binary) and s.cond.op in ("<", "<=", ">", ">="):
                op = _minmax_from(s.cond, st.expr.value, st.expr.target, name)
                if op is not None:
                    ops.add(op)
                    uses += 1
                    return True
        if isinstance(s, ir.If):
            if count(s.cond):
                return False
            return all(visit_stmt(x) for x in s.then + s.orelse)
        if isinstance(s, (ir.Block,)):
            return all(visit_stmt(x) for x in s.body)
        if isinstance(s, (ir.While, ir.Switch)):
            if count(s.cond):
                return False
            return all(visit_stmt(x) for x in s.body)
        if isinstance(s, ir.ForStmt):
            lp = s.loop
            if count(lp.cond) or count(lp.update) or any(not visit_stmt(x) for x in lp.init):
                return False
            return all(visit_stmt(x) for x in lp.body)
        if isinstance(s, ir.Decl):
            return all(count(v.init) == 0 for v in s.vars)
        if isinstance(s, ir.Jump):
            return count(s.value) == 0
        return True

    ok = all(visit_stmt(s) for s in body)
    visit_stmt = None  # break the closure's cycle: it is freed now, not by the cyclic collector
    if not ok or uses == 0:
        return None
    if len(ops) == 1:
        return ops.pop()
    return None


def _flip(op: str | None) -> str | None:
    return {"max": "min", "min": "max"}.get(op) if op else None


def _chain(e: ir.Expr, ops: str) -> list[tuple[str, ir.Expr]]:
    """Flatten a left-associated chain ``a + b - c`` into signed terms."""
    if isinstance(e, ir.Binary) and e.op in ops and (e.op in ("+", "-") or e.op == ops):
        left = _chain(e.left, ops)
        right = _chain(e.right, ops) if e.op != "-" else [("-" if s == "+" else "+", t) for s, t in _chain(e.right, ops)]
        if e.op == "-" and not isinstance(e.right, ir.Binary):
            right = [("-", e.right)]
        return left + right
    return [("+", e)]


def _minmax_from(cond: ir.Binary, new: ir.Expr, old: ir.Expr, name: str) -> str | None:
    """``(a > m) ? a : m`` / ``if (a > m) m = a``: max; the mirrored forms give min."""
    def is_var(x):
        return isinstance(x, ir.Name) and x.id == name

    if not is_var(old) or is_var(new) or name in names(new):
        return None
    l, r = cond.left, cond.right
    same = lambda a, b: a.text.replace(" ", "") == b.text.replace(" ", "")
    if same(l, new) and is_var(r):
        bigger = cond.op in (">", ">=")
    elif same(r, new) and is_var(l):
        bigger = cond.op in ("<", "<=")
    else:
        return None
    return "max" if bigger else "min"


def linear_step(name: str, body: tuple[ir.Stmt, ...]) -> tuple[int, int | ir.Expr] | None:
    """``(statement index, step)`` when ``name`` changes only by one top-level ``name += c``
    (or ``name = name + c``) that no jump can skip. ``c`` is an integer, or a variable's name
    ('ix += incx'; the caller checks that it is loop-invariant), then given as an expression
    ('-incx' for 'ix -= incx')."""
    if any(type(st) is ir.Jump for st in _outside_inner_loops(body)):
        return None  # 'continue' (or an exit) may skip the step
    found = None
    for idx, st in enumerate(body):
        if isinstance(st, ir.ExprStmt):
            e = st.expr
            step = None
            if isinstance(e, ir.IncDec) and isinstance(e.target, ir.Name) and e.target.id == name:
                step = 1 if e.op == "++" else -1
            elif isinstance(e, ir.Assign) and isinstance(e.target, ir.Name) and e.target.id == name:
                v = e.value
                if e.op in ("+=", "-=") and isinstance(v, ir.Num) and isinstance(v.value, int):
                    step = v.value if e.op == "+=" else -v.value
                elif e.op in ("+=", "-=") and type(v) is ir.Name and v.id != name:
                    step = v if e.op == "+=" else ir.Unary(v.loc, f"-{v.id}", "-", v)
                elif e.op == "=" and type(v) is ir.Binary and v.op in ("+", "-") and type(v.left) is ir.Name \
                        and v.left.id == name and type(v.right) is ir.Num and isinstance(v.right.value, int):
                    step = v.right.value if v.op == "+" else -v.right.value  # 'k = k + 2'
                else:
                    return None
            if step is not None:
                if found is not None:
                    return None
                found = (idx, step)
                continue
        for x in subtree_exprs(st):
            if isinstance(x, (ir.Assign, ir.IncDec)) and isinstance(x.target, ir.Name) and x.target.id == name:
                return None
            if isinstance(x, ir.Unary) and x.op == "&" and isinstance(x.operand, ir.Name) and x.operand.id == name:
                return None
    return found


def _outside_inner_loops(body: tuple[ir.Stmt, ...]):
    """The statements of ``body`` not inside a loop nested in it (the jumps there leave
    that loop, not this one's iteration; 'break' in a switch is still reported)."""
    for st in body:
        yield st
        if type(st) is ir.ForStmt or type(st) is ir.While:
            continue
        yield from _outside_inner_loops(substmts(st))


def defined_minmax(f: ir.Function) -> str | None:
    """'max' or 'min' when a user's two-parameter function (or lowered macro) returns the
    larger or the smaller argument: 'return x > y ? x : y;' (a function named max need not)."""
    if len(f.params) != 2 or len(f.body) != 1:
        return None
    st = f.body[0]
    v = st.expr if type(st) is ir.ExprStmt else st.value if type(st) is ir.Jump and st.kind == "return" else None
    while type(v) is ir.Cast:
        v = v.expr
    if type(v) is not ir.Cond or type(v.cond) is not ir.Binary or v.cond.op not in ("<", "<=", ">", ">="):
        return None
    p = [x.name for x in f.params]
    ids = []
    for x in (v.cond.left, v.cond.right, v.then, v.other):
        while type(x) is ir.Cast:
            x = x.expr
        if type(x) is not ir.Name or x.id not in p:
            return None
        ids.append(x.id)
    l, r, t, o = ids
    if l == r or {t, o} != {l, r}:
        return None
    bigger = v.cond.op in (">", ">=")
    return ("max" if bigger else "min") if t == l else ("min" if bigger else "max")
