"""What a name means inside a function: local, parameter, global; pointer origins."""
from __future__ import annotations

import re

from dataclasses import dataclass, field, replace

from ..fastinit import fast_init
from .census import fits, unplain
from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, base_name, exprs, stmt_exprs, substmts

ALLOCATORS = {"malloc", "calloc", "realloc", "aligned_alloc", "valloc", "memalign", "new", "_mm_malloc", "strdup"}

# methods that return a pointer or iterator into their object's storage (std::vector, std::array,
# std::string, std::unique_ptr, std::span, ...)
_STORAGE_METHODS = frozenset({"data", "begin", "end", "cbegin", "cend", "rbegin", "rend", "c_str", "get"})


@fast_init
@dataclass(frozen=True)
class Origin:
    """``p`` points into ``base`` at ``offset`` (``p = base + offset``), after ``prefix`` rows."""
    base: str
    prefix: tuple[ir.Expr, ...]
    offset: ir.Expr | None
    fresh: bool = False  # p = malloc(...): a distinct object


@dataclass
class Scope:
    function: ir.Function | None
    globals: dict[str, ir.VarDecl]
    fields: dict[str, ir.VarDecl]
    locals: dict[str, ir.VarDecl] = field(default_factory=dict)
    params: dict[str, ir.VarDecl] = field(default_factory=dict)
    assign_count: dict[str, int] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    redeclared: set[str] = field(default_factory=set)  # locals declared by more than one statement

    @classmethod
    def of(cls, function: ir.Function | None, tu: ir.TranslationUnit, extra_globals: dict[str, ir.VarDecl] | None = None) -> "Scope":
        g = dict(extra_globals or {})
        g.update(tu.globals)
        s = cls(function, g, tu.fields)
        s._tu = tu
        if function is None:
            return s
        s.params = {p.name: p for p in function.params}
        for v, is_param in function.captures:
            # a lambda's capture: the enclosing function's object, taken as captured by reference (its
            # writes outlive the lambda): one of its locals is like a global (live after, its own
            # storage if an array), one of its parameters a reference parameter (two of those may
            # name one object)
            if v.name in s.params:
                continue
            if is_param:
                s.params[v.name] = replace(v, reference=True)
            else:
                g[v.name] = v
        assigned: dict[str, list[ir.Expr]] = {}
        locals_ = s.locals
        Decl, Name = ir.Decl, ir.Name
        inits: list[ir.VarDecl] = []
        for st in all_stmts(function.body):
            t = type(st)
            if t is Decl:
                for v in st.vars:
                    if v.name in locals_:
                        s.redeclared.add(v.name)
                    if locals_.setdefault(v.name, v).pointer < v.pointer:
                        # one name declared twice, a value in one scope and a pointer (or a local
                        # reference, lowered as one) in another: '*x' must not be read as the value's
                        # private storage
                        locals_[v.name] = v
                    if v.init is not None:
                        inits.append(v)
        for v in inits:
            if not v.pointer and locals_[v.name].pointer:
                continue  # (the value of that name's other declaration: it sets no pointer)
            assigned.setdefault(v.name, []).append(v.init)
        for n, v in list(locals_.items()):  # C++ 'auto p = g + i;', 'auto it = v.begin();': pointers
            if "auto" in v.type.split() and not v.pointer and not v.reference and v.init is not None \
                    and _pointerish(v.init, s):
                locals_[n] = ir.VarDecl(v.name, v.loc, v.type, v.init, pointer=True, pointers=1, const=v.const)
        if hasattr(s, "_decls"):
            del s._decls
        Assign, IncDec, Unary = ir.Assign, ir.IncDec, ir.Unary
        for e in all_exprs(function.body):
            t = type(e)
            if t is Assign:
                if type(e.target) is Name:
                    assigned.setdefault(e.target.id, []).append(e.value if e.op == "=" else e)
            elif t is IncDec:
                if type(e.target) is Name:
                    assigned.setdefault(e.target.id, []).append(e)
            elif t is Unary and e.op == "&" and type(e.operand) is Name:
                assigned.setdefault(e.operand.id, []).append(e)  # address taken: origin unknown
        s.assign_count = {k: len(v) for k, v in assigned.items()}
        for name, values in assigned.items():
            d = s.decl(name)
            if d is None or not (d.pointer or d.array) or len(values) != 1:
                continue
            o = _origin(values[0], s)
            if o is not None:
                s.origins[name] = o
        return s

    def constants(self) -> dict[str, int]:
        """Locals assigned once, by their declaration, an integer literal (``int m = 1;``)."""
        if hasattr(self, "_constants"):
            return self._constants
        out = {}
        for name, d in self.locals.items():
            if d.init is None or self.assign_count.get(name, 0) != 1 or d.pointer or d.array:
                continue
            v = d.init
            sign = 1
            if isinstance(v, ir.Unary) and v.op == "-":
                v, sign = v.operand, -1
            if isinstance(v, ir.Num) and isinstance(v.value, int) and fits(d.type, sign * v.value) \
                    and name not in self.unplain():
                out[name] = sign * v.value
        self._constants = out
        return out

    def unplain(self) -> frozenset[str]:
        """The function's names that are not plain values (analysis/census.py)."""
        if not hasattr(self, "_unplain"):
            tu = getattr(self, "_tu", None)
            self._unplain = unplain(self.function, tu) if self.function is not None and tu is not None else frozenset()
        return self._unplain

    def pointer_copies(self) -> dict[str, dict[str, ir.Loc]]:
        """p -> {q: where} for every ``p = q`` / ``p = q + k`` between pointers in this function (both ways)."""
        if hasattr(self, "_copies"):
            return self._copies
        out: dict[str, dict[str, ir.Loc]] = {}
        if self.function is not None:
            pairs = []
            Assign, Name, Decl = ir.Assign, ir.Name, ir.Decl
            for e in all_exprs(self.function.body):
                if type(e) is Assign and e.op == "=" and type(e.target) is Name:
                    pairs.append((e.target.id, e.value, e.loc))
                elif type(e) is Assign and e.op == "=" and type(e.target) is ir.Member and "(" not in e.target.text:
                    t = e.target  # 'gs.ptr = gs.arr + 1': a pointer field
                    fd = self.fields.get(t.field)
                    if fd is not None and fd.pointer:
                        pairs.append((re.sub(r"\s+", "", t.text), e.value, e.loc))
            for st in all_stmts(self.function.body):
                if type(st) is Decl:
                    pairs.extend((v.name, v.init, v.loc) for v in st.vars if v.init is not None)
            for n, v in self.globals.items():  # 'static unsigned *const pa = a;'
                if v.init is not None and v.pointer and n not in self.locals and n not in self.params:
                    pairs.append((n, v.init, v.loc))
            swaps = _swap_statements(self.function.body)
            for p, value, loc in pairs:
                if (loc.line, loc.column) in swaps:
                    continue
                v = value
                while isinstance(v, ir.Cast):
                    v = v.expr
                # 'd = v.data()', 'it = v.begin()', 'p = u.get()': into the object's own storage
                # (whatever d's declared type: 'auto' hides the pointer)
                storage = type(v) is ir.Call and type(v.func) is ir.Member and not v.args \
                    and v.func.field in _STORAGE_METHODS
                if storage:
                    v = v.func.base
                d = self.decl(p)
                if ("." not in p and "->" not in p) and (d is None or not (d.pointer or storage)):
                    continue
                if isinstance(v, ir.Binary) and v.op in ("+", "-"):
                    v = v.left
                if isinstance(v, ir.Unary) and v.op == "&":  # p = &a[k], p = &s.arr[0]
                    v = v.operand
                    while isinstance(v, ir.Index):
                        v = v.base
                if isinstance(v, ir.Member) and "(" not in v.text:  # p = gs.arr: the member's storage
                    # (accesses name 'gs.arr[i]' after gs, 'p->arr[i]' after p->arr)
                    fd = self.fields.get(v.field)
                    pointer_field = fd is not None and fd.pointer and not fd.array  # named on its own
                    m = re.sub(r"\s+", "", v.text) if "->" in v.text or pointer_field else base_name(v)
                    if m is None:
                        continue
                    out.setdefault(p, {})[m] = loc
                    out.setdefault(m, {})[p] = loc
                    continue
                if isinstance(v, ir.Name) and v.id != p:
                    q = self.decl(v.id)
                    if q is not None and (q.pointer or q.array or storage or value is not v):  # (or p = &object)
                        out.setdefault(p, {})[v.id] = loc
                        out.setdefault(v.id, {})[p] = loc
        # two pointers copied from the same third one also alias
        for p, qs in list(out.items()):
            for q in list(qs):
                for r, loc in out.get(q, {}).items():
                    if r != p:
                        out[p].setdefault(r, loc)
        self._copies = out
        return out

    def decl(self, name: str) -> ir.VarDecl | None:
        """Locals shadow parameters, which shadow globals: one lookup in the merged table,
        built on first use (``of`` has filled the three tables by then; none changes after)."""
        try:
            merged = self._decls
        except AttributeError:
            merged = self._decls = {**self.globals, **self.params, **self.locals}
        return merged.get(name)

    def kind(self, name: str) -> str:
        if name in self.locals:
            return "local"
        if name in self.params:
            return "param"
        if name in self.globals:
            return "global"
        return "unknown"

    def is_distinct_object(self, name: str) -> bool:
        """True when ``name`` names storage of its own (an array, restrict or fresh pointer)."""
        d = self.decl(name)
        if d is None:
            # a struct member: storage of its own only as an array field of a struct variable
            # ('gs.arr'); 'p->arr' (p may point at gs) and pointer fields ('gs.ptr') are not
            if "->" in name or "." not in name:
                return False
            base, _, fld = name.rpartition(".")
            bd = self.decl(base) if re.fullmatch(r"[A-Za-z_]\w*", base) else None
            fd = self.fields.get(fld)
            return bd is not None and not bd.pointer and not bd.reference and fd is not None \
                and fd.array and not fd.pointer
        if d.restrict:
            return True
        if d.reference and name in self.params:
            return False  # f(v, v) binds two reference parameters to one object
        if d.array and not d.pointer and not (name in self.params and not d.reference and "vector" not in d.type):
            return True
        o = self.origins.get(name)
        if o is not None and o.fresh:
            return True
        if "vector" in d.type or "array<" in d.type:
            # a container of its own, unless a reference parameter: f(v, v) binds two to one
            return not (d.reference and name in self.params)
        return False

    def is_local_storage(self, name: str) -> bool:
        """An array or container declared in the function itself: nothing from outside can alias it."""
        d = self.locals.get(name)
        return d is not None and not d.pointer and not d.reference and not d.static and (
            d.array or "vector" in d.type or "array<" in d.type)

    def resolve(self, name: str) -> tuple[str, Origin | None]:
        """Follow pointer origins to the underlying object, adding up offsets (p = q + 2; q = a + 10)."""
        origin: Origin | None = None
        seen = set()
        while name in self.origins and name not in seen:
            seen.add(name)
            o = self.origins[name]
            if o.fresh:
                break
            if origin is None:
                origin = o
            elif origin.prefix or o.prefix:
                break  # rows of rows: stop at the first hop
            else:
                off = _add(o.offset, origin.offset)
                origin = Origin(o.base, (), off)
            name = o.base
        return name, origin


def _terms(e: ir.Expr, sign: int) -> list[tuple[int, ir.Expr]]:
    """The operands of a chain of '+' and '-', left to right, with their signs."""
    if isinstance(e, ir.Binary) and e.op in ("+", "-"):
        return _terms(e.left, sign) + _terms(e.right, sign if e.op == "+" else -sign)
    return [(sign, e)]


def _add(a: ir.Expr | None, b: ir.Expr | None) -> ir.Expr | None:
    if a is None:
        return b
    if b is None:
        return a
    return ir.Binary(a.loc, f"{a.text} + {b.text}", "+", a, b)


ITERATORS = {"begin", "end", "cbegin", "cend", "rbegin", "rend", "data"}  # container methods giving a pointer or iterator into it


def _pointerish(e: ir.Expr, scope: "Scope") -> bool:
    """An initializer whose value is a pointer or iterator into something (not a copy)."""
    while type(e) is ir.Cast:
        e = e.expr
    t = type(e)
    if t is ir.Unary and e.op == "&":
        return True
    if t is ir.Call:
        return isinstance(e.func, ir.Member) and e.name in ITERATORS
    if t is ir.Binary and e.op in ("+", "-"):
        return _pointerish(e.left, scope) or _pointerish(e.right, scope)
    if t is ir.Name:
        d = scope.decl(e.id)
        return d is not None and (d.pointer or (d.array and not re.search(r"vector|array<|valarray", d.type)))
    return False


def _elem(t: str) -> str:
    return re.sub(r"\b(const|volatile|restrict|__restrict|__restrict__)\b|[\s*&]", "", t)


def _origin(value: ir.Expr, scope: Scope) -> Origin | None:
    v = value
    casts = []
    while isinstance(v, ir.Cast):
        casts.append(v.type)
        v = v.expr
    if isinstance(v, ir.Call) and v.name in ALLOCATORS:
        return Origin("", (), None, fresh=True)
    root = base_name(v)
    d0 = scope.decl(root) if root else None
    if casts and d0 is not None and any(_elem(c) != _elem(d0.type) for c in casts if "*" in c):
        return None  # '(char *)d' onto doubles: its subscripts count other units (aliasing still holds)
    if isinstance(v, ir.Call) and v.name in ALLOCATORS:
        return Origin("", (), None, fresh=True)
    if isinstance(v, ir.Name) and scope.decl(v.id) is not None and (scope.decl(v.id).pointer or scope.decl(v.id).array):
        return Origin(v.id, (), None)
    if isinstance(v, ir.Call) and isinstance(v.func, ir.Member) and v.name in ("begin", "cbegin", "data") \
            and not v.args and isinstance(v.func.base, ir.Name) and scope.decl(v.func.base.id) is not None:
        return Origin(v.func.base.id, (), None)  # 'it = w.begin()': w's first element
    if isinstance(v, ir.Binary) and v.op in ("+", "-"):
        # 'a + k', 'a + N - 1 - i': the pointer first, then integer terms added or subtracted
        terms = _terms(v, 1)
        first = terms[0]
        if first[0] == 1 and isinstance(first[1], ir.Name) and len(terms) > 1:
            d = scope.decl(first[1].id)
            if d is not None and (d.pointer or d.array):
                off = None
                for sign, t in terms[1:]:
                    if off is None:
                        off = t if sign > 0 else ir.Unary(t.loc, f"-({t.text})", "-", t)
                    else:
                        off = ir.Binary(t.loc, f"{off.text} {'+' if sign > 0 else '-'} ({t.text})", "+" if sign > 0 else "-", off, t)
                return Origin(first[1].id, (), off)
    if isinstance(v, ir.Unary) and v.op == "&" and isinstance(v.operand, ir.Index) and isinstance(v.operand.base, ir.Name):
        return Origin(v.operand.base.id, (), v.operand.index)
    if isinstance(v, ir.Index) and isinstance(v.base, ir.Name):
        d = scope.decl(v.base.id)
        # (a row of an array, or of an array of pointers: 'double *row = A[i]' with 'double **A',
        # whose rows the accesses take as apart on the stated assumption)
        if d is not None and (d.array or (d.pointer and d.pointers >= 2)):
            return Origin(v.base.id, (v.index,), None)
    return None


_WRITTEN: dict[int, tuple[object, frozenset[str]]] = {}


def written_names(stmts: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Scalars (and pointers) assigned anywhere in the statements, loop headers included (memoised)."""
    hit = _WRITTEN.get(id(stmts))
    if hit is not None and hit[0] is stmts:
        return hit[1]
    if isinstance(stmts, ir.Stmt):
        return _written_stmt(stmts)
    out = frozenset(_written(stmts))
    _WRITTEN[id(stmts)] = (stmts, out)
    return out


def reset_caches() -> None:
    _WRITTEN.clear()


def _written(stmts: tuple[ir.Stmt, ...]) -> set[str]:
    out: set[str] = set()
    for st in stmts:
        out |= _written_stmt(st)
    return out


def _expr_writes(e: ir.Expr, out: set[str]) -> None:
    for x in exprs(e):
        t = type(x)
        if (t is ir.Assign or t is ir.IncDec) and type(x.target) is ir.Name:
            out.add(x.target.id)
        elif t is ir.Unary and x.op == "&" and type(x.operand) is ir.Name:
            out.add(x.operand.id)  # may be written through the pointer


def direct_writes(st: ir.Stmt) -> set[str]:
    """Names a statement writes itself (its own expressions and declarations, a loop's header)."""
    out: set[str] = set()
    for e in stmt_exprs(st):
        _expr_writes(e, out)
    if isinstance(st, ir.Decl):
        out.update(v.name for v in st.vars)
    elif isinstance(st, ir.ForStmt):
        for e in (st.loop.cond, st.loop.update):
            if e is not None:
                _expr_writes(e, out)
    return out


def _written_stmt(st: ir.Stmt) -> frozenset[str]:
    """Bottom-up, memoised per statement: each subtree is walked once per translation unit."""
    hit = _WRITTEN.get(id(st))
    if hit is not None and hit[0] is st:
        return hit[1]
    out = direct_writes(st)
    for sub in substmts(st):
        out |= _written_stmt(sub)
    res = frozenset(out)
    _WRITTEN[id(st)] = (st, res)
    return res


def lvalue_root(e: ir.Expr) -> str | None:
    return base_name(e)


def _swap_statements(body: tuple[ir.Stmt, ...]) -> set[tuple[int, int]]:
    """Locations of assignments that only rotate pointers (t = a; a = b; b = t): distinctness is kept."""
    out: set[tuple[int, int]] = set()

    def simple(st):
        if isinstance(st, ir.ExprStmt) and isinstance(st.expr, ir.Assign) and st.expr.op == "=" \
                and isinstance(st.expr.target, ir.Name) and isinstance(st.expr.value, ir.Name):
            return st.expr.target.id, st.expr.value.id, st.expr.loc
        if isinstance(st, ir.Decl) and len(st.vars) == 1 and isinstance(st.vars[0].init, ir.Name):
            v = st.vars[0]
            return v.name, v.init.id, v.loc
        return None

    blocks = [body] + [sub for st in all_stmts(body) for sub in _bodies(st)]
    rotations = []
    for blk in blocks:
        if len(blk) < 3:
            continue  # a rotation takes three statements
        items = [simple(st) for st in blk]
        for i in range(len(items) - 2):
            a, b, c = items[i], items[i + 1], items[i + 2]
            if a and b and c and b[0] == a[1] and c[0] == b[1] and c[1] == a[0]:
                rotations.append((a, b, c, blk[i]))
    for a, b, c, first in rotations:
        locs = {(x[2].line, x[2].column) for x in (a, b, c)}
        # a swapped pointer assigned anything else as well ('p = a;' after the swap) may
        # end up where the other one points: then the rotation is copies like any other
        # (fresh memory, 'p = malloc(...)', cannot be the other one's; an assignment before
        # the rotation and outside every loop around it runs before any swap)
        swapped = {a[1], b[1]}
        start = (a[2].line, a[2].column)
        loops_around = [st for st in all_stmts(body) if type(st) in (ir.ForStmt, ir.While)
                        and any(x is first for x in all_stmts((st,)))]
        in_loop = {(e.loc.line, e.loc.column) for st in loops_around for e in all_exprs((st,))}
        others = [e for e in all_exprs(body) if type(e) is ir.Assign and type(e.target) is ir.Name
                  and e.target.id in swapped and (e.loc.line, e.loc.column) not in locs
                  and not _is_allocation(e.value)
                  and ((e.loc.line, e.loc.column) > start or (e.loc.line, e.loc.column) in in_loop)]
        if not others:
            out.update(locs)
    return out


def _is_allocation(v: ir.Expr) -> bool:
    while isinstance(v, ir.Cast):
        v = v.expr
    return isinstance(v, ir.Call) and v.name in ALLOCATORS


def _bodies(st: ir.Stmt):
    t = type(st)
    if t is ir.If:
        return [st.then, st.orelse]
    if t in _BODY_TYPES:
        return [st.body]
    if t is ir.ForStmt:
        return [st.loop.body]
    return []


_BODY_TYPES = frozenset({ir.While, ir.Switch, ir.Block, ir.Sync, ir.Region})
