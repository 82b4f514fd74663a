"""The walk over a loop body that collects its element accesses (arrays, pointers, struct
fields, container elements) and the names they are recorded under."""
from __future__ import annotations

import re
import zlib

from ..frontend import ir
from .objects import accessor_access, macro_access, member_key
from ..frontend.walk import all_exprs as all_exprs_of, all_stmts, base_name, children, exprs, names, stmt_exprs, substmts
from .cxx import _ELEMENT_METHODS, _container_hazard
from .facts import Access, _reason
from .fresh import FreshRowsMixin
from .scope import written_names


_LEAVES = frozenset({ir.Name, ir.Num})


def _array_key(e: ir.Expr) -> str | None:
    """What an element access reads or writes, as a name: 'a' for a[i][j], 'p->m.col' for
    p->m.col[j] (fields of one struct told apart), the pointer for *p."""
    x = e
    while type(x) is ir.Index:
        x = x.base
    if type(x) is ir.Unary and x.op == "*":
        return base_name(x.operand)
    if type(x) is ir.Member:
        return _norm(x.text)
    return base_name(x) if x is not None else None


def _field_sub(name: str, loc: ir.Loc) -> ir.Num:
    """A struct field as a constant subscript: distinct fields never overlap."""
    v = zlib.crc32(name.encode()) % 1000003 + 1000
    return ir.Num(loc, f".{name}", v)


def _is_field_sub(e: ir.Expr) -> bool:
    return isinstance(e, ir.Num) and e.text.startswith(".")


def _hidden_writes(xs, tu: ir.TranslationUnit) -> set[str]:
    """Names that expressions may change with no assignment in sight: through '&x', a C++
    reference parameter or a function-like macro ('bump(k)')."""
    out: set[str] = set()
    cpp = tu.language != "c"
    for x in xs:
        t = type(x)
        if t is ir.Unary and x.op == "&" and type(x.operand) is ir.Name:
            out.add(x.operand.id)
        elif t is ir.Call and (cpp or not x.name or x.name in tu.fmacros):
            out.update(a.id for a in x.args if type(a) is ir.Name)
    return out


def _direct_dims(d: ir.VarDecl) -> int:
    """Subscripts that index this variable's own storage (later ones go through loaded pointers)."""
    if "vector" in d.type or "array<" in d.type:
        return 99  # nested containers own their rows
    if d.pointer_to_array:
        return d.dims + 1
    if d.array:
        return d.dims or 1
    if d.pointer:
        return 1
    return 99  # a typedef'd or unknown type: no pointer indirection visible


def _has_index(e: ir.Expr) -> bool:
    while isinstance(e, ir.Member) and not e.arrow:
        e = e.base
        if isinstance(e, ir.Index):
            return True
    return False


def _element_of(b: ir.Expr, is_pointer) -> ir.Expr | None:
    """The element a pointer expression designates, as an index: 'a[i]' (a pointer held in an
    array) is 'a[i][0]', 'p + i + 1' is 'p[i + 1]' (p declared a pointer or array); None for
    anything else."""
    if type(b) is ir.Index:
        return ir.Index(b.loc, b.text + "[0]", b, ir.Num(b.loc, "0", 0))
    terms = []
    while type(b) is ir.Binary and b.op == "+":
        terms.insert(0, b.right)
        b = b.left
    if type(b) is not ir.Name or not terms or not is_pointer(b.id):
        return None  # ('k + p' with the integer first: not followed)
    off = terms[0]
    for t in terms[1:]:
        off = ir.Binary(t.loc, f"{off.text} + {t.text}", "+", off, t)
    return ir.Index(b.loc, f"{b.text}[{off.text}]", b, off)


_BLANKS = re.compile(r"\s+")  # (compiled once: asked for every member and opaque atom)


def _norm(text: str) -> str:
    return _BLANKS.sub("", text)


def _may_jump(st: ir.Stmt) -> bool:
    """Can control leave the rest of the enclosing statement list from inside ``st``
    ('continue', 'break', 'return', 'goto', 'throw', here or nested)? A jump inside an
    inner loop is counted too: which loop it leaves is not worth telling apart here."""
    return type(st) is ir.Jump or any(type(x) is ir.Jump for x in all_stmts(substmts(st)))


class AccessesMixin(FreshRowsMixin):
    """The memory accesses of the loop body, each with the loops around it and the straight-line
    definitions that reach it."""

    def _pointer_name(self, n: str) -> bool:
        d = self.scope.decl(n)
        return d is not None and (d.pointer or d.array)

    def _slots_written(self, name: str, depth: int) -> bool:
        """May the loop write a pointer held in ``name``? Unless ``name`` appears in the loop only
        as the base of subscripts ('A[i][j]', 'A[i]' read), with no slot written ('A[i] = p'),
        and the function makes no copy or reference of it ('B = A', '*&slot = A[i]'), it may."""
        memo = getattr(self, "_slots_memo", None)
        if memo is None:
            memo = self._slots_memo = {}
        if name in memo:
            return memo[name]
        memo[name] = True
        copies = self.scope.pointer_copies()
        if name in copies or any(name in v for v in copies.values()):
            return True
        body = self.fn.body if self.fn is not None else self.loop.body
        for st in all_stmts(body):
            if type(st) is ir.Decl and any(v.reference and v.init is not None and base_name(v.init) == name for v in st.vars):
                return True
        # in the whole function: 'A' only as the base of subscripts, never a slot's address
        # ('&A[i]', 'A + i', 'f(A)' may hand a slot to a write); in the loop: no slot written
        bases = set()  # (ids of the names allowed: subscript bases, and 'A = malloc(...)' targets)
        everywhere = all_exprs_of(body) + (all_exprs_of(self.loop.body) if self.fn is None else [])
        for e in everywhere:
            t = type(e)
            if t is ir.Assign and e.op == "=" and type(e.target) is ir.Name and e.target.id == name:
                bases.add(id(e.target))
            elif t is ir.Index:
                x = e
                while type(x) is ir.Index:
                    x = x.base
                bases.add(id(x))
            elif t is ir.Unary and e.op == "&":
                x, n = e.operand, 0
                while type(x) is ir.Index:
                    x, n = x.base, n + 1
                if type(x) is ir.Name and x.id == name and n < depth:
                    return True
        if any(type(e) is ir.Name and e.id == name and id(e) not in bases for e in everywhere):
            return True
        for e in all_exprs_of(self.loop.body):
            if type(e) is ir.Assign or type(e) is ir.IncDec:
                x, n = e.target, 0
                while type(x) is ir.Index:
                    x, n = x.base, n + 1
                if type(x) is ir.Name and x.id == name and n < depth:
                    return True
        memo[name] = False
        return False

    def _elements_only(self) -> bool:
        """Does every '->' in the loop start from a pointer name or an element ('a[i]->m',
        '(p + i)->m')? Only then is a member written through an element tested as that element:
        a chain ('a[i]->next->m') may reach any element, and is read without being recorded."""
        hit = getattr(self, "_elements_only_memo", None)
        if hit is None:
            hit = all(type(x.base) is ir.Name or _element_of(x.base, self._pointer_name) is not None
                      for x in all_exprs_of(self.loop.body) if type(x) is ir.Member and x.arrow)
            self._elements_only_memo = hit
        return hit

    def _pointer_field(self, name: str) -> bool:
        """A struct field that is a pointer: 's.ptr[i]' is memory it points to, not part of s."""
        fd = self.tu.fields.get(name)
        return fd is not None and fd.pointer and not fd.array

    def _local_is_storage(self, n: str) -> bool:
        d = self.scope.locals.get(n)
        if d is None:
            return True
        if not d.pointer:
            return True
        o = self.scope.origins.get(n)
        return o is not None and o.fresh

    def _accesses(self) -> list[Access]:
        out: list[Access] = []

        env: dict[str, ir.Expr] = {n: v[2] for n, v in self.linear.items()}
        env_names: dict[str, set[str]] = {n: names(v) for n, v in env.items()}
        increments = {id(v[0]): (n, v[3]) for n, v in self.linear.items()}
        snap: list = [None]  # the current snapshot of env, shared by accesses until env changes
        in_sync = [0]
        atomic_at: list = [None]  # (text, lock:operator) of the target of the synchronized update being read
        guard = [0]
        conds: list = []

        def define(n: str, value: ir.Expr):
            value = self._typed(n, value)
            env[n] = value
            env_names[n] = names(value)
            snap[0] = None

        def kill(written):
            if not env or not written:
                return
            gone = [k for k in env if k in written or env_names[k] & written]
            for k in gone:
                del env[k]
                del env_names[k]
            if gone:
                snap[0] = None

        tu = self.tu

        def hidden(e) -> set[str]:
            return _hidden_writes(exprs(e), tu)

        def stmts(body, nest):
            guard0, prev = guard[0], None
            for s in body:
                if prev is not None and guard[0] == guard0 and _may_jump(prev):
                    guard[0] += 1  # a 'continue' or 'break' before may skip the rest of the list
                prev = s
                if id(s) in increments:
                    n, after = increments[id(s)]
                    define(n, after)
                    continue
                if isinstance(s, ir.ForStmt):
                    lp = s.loop
                    inner = nest + ((lp.id,) if lp.canonical else ())
                    kill(written_names(s))
                    for d in lp.init:
                        stmts((d,), nest)
                    kill(written_names(s))
                    for e in (lp.cond, lp.update):
                        if e is not None:
                            expr(e, inner, False, True)
                    # a 'break' (or an exit) may end the inner loop before its last iteration
                    cut = any(type(x) is ir.Jump and x.kind != "continue" for x in all_stmts(lp.body))
                    guard[0] += cut
                    stmts(lp.body, inner)
                    guard[0] -= cut
                    kill(written_names(s))
                    continue
                if isinstance(s, ir.ExprStmt) and isinstance(s.expr, ir.Assign) and s.expr.op == "=" \
                        and isinstance(s.expr.target, ir.Name):
                    expr(s.expr, nest, False, True)
                    t = s.expr.target.id
                    kill({t} | hidden(s.expr.value))
                    if t not in names(s.expr.value):
                        define(t, s.expr.value)
                    continue
                if isinstance(s, ir.Decl):
                    for v in s.vars:
                        if v.init is not None:
                            expr(v.init, nest, False, True)
                        kill({v.name} | (hidden(v.init) if v.init is not None else set()))
                        if v.init is not None and not v.array:
                            define(v.name, v.init)
                    continue
                for e in stmt_exprs(s):
                    expr(e, nest, False, True)
                    kill(hidden(e))
                subs = substmts(s)
                if isinstance(s, ir.Sync):
                    in_sync[0] += 1
                    target = self._sync_update(s)
                    atomic_at[0] = (target[0].text, target[1], target[3]) if target is not None else None
                    stmts(subs, nest)
                    atomic_at[0] = None
                    in_sync[0] -= 1
                    kill(written_names(s))
                    continue
                if subs:
                    if isinstance(s, ir.While):
                        kill(written_names(subs))
                    saved, saved_names = dict(env), dict(env_names)
                    if isinstance(s, ir.If):
                        conds.append((s.cond, True))
                        stmts(s.then, nest)
                        conds[-1] = (s.cond, False)
                        stmts(s.orelse, nest)
                        conds.pop()
                    else:
                        guarding = isinstance(s, (ir.While, ir.Switch))
                        guard[0] += guarding
                        stmts(subs, nest)
                        guard[0] -= guarding
                    if env != saved:
                        env.clear()
                        env.update(saved)
                        env_names.clear()
                        env_names.update(saved_names)
                        snap[0] = None
                kill(written_names(s))
            guard[0] = guard0

        def record(array: str, text: str, subs, write, read, loc, nest, via="", atomic=""):
            root = array.split("->")[0].split(".")[0]
            if root in self.local_arrays and root == array:
                return
            if root in self.local_arrays and root != array and root in self.scope.locals and not self.scope.locals[root].pointer:
                return  # member of a struct declared in the loop
            if snap[0] is None:
                snap[0] = dict(env)
            if not atomic and atomic_at[0] is not None and atomic_at[0][0] == text \
                    and self._adds_exactly(array, atomic_at[0][2]):
                atomic = atomic_at[0][1]  # (the target, and its read in a critical 'x = x + e')
            out.append(Access(array, text, subs, write, read, loc, nest, via, sync=in_sync[0] > 0,
                              guarded=guard[0] > 0, conds=tuple(conds), env=snap[0], atomic=atomic))

        # Expression classes have no subclasses, so exact type tests stand for isinstance.
        Binary, Assign, IncDec, Index, Member, Num, Name = ir.Binary, ir.Assign, ir.IncDec, ir.Index, ir.Member, ir.Num, ir.Name
        Cond = ir.Cond
        leaves = _LEAVES

        def expr(e: ir.Expr, nest, write: bool, read: bool):
            t = type(e)
            if t in leaves:
                return  # a name or a literal: no access (every branch below skips them)
            if t is Binary:  # no access of its own: its operands, as the fall-through below
                x = e.left
                if type(x) not in leaves:  # (the leaf test inlined: most operands are leaves)
                    expr(x, nest, False, True)
                x = e.right
                if type(x) not in leaves:
                    short = e.op == "&&" or e.op == "||"  # the right operand may not run
                    guard[0] += short
                    expr(x, nest, False, True)
                    guard[0] -= short
                return
            if t is Cond:  # either branch may not run
                expr(e.cond, nest, False, True)
                guard[0] += 1
                expr(e.then, nest, False, True)
                expr(e.other, nest, False, True)
                guard[0] -= 1
                return
            if t is Assign:
                if type(e.value) not in leaves:
                    expr(e.value, nest, False, True)
                expr(e.target, nest, True, e.op != "=")
                return
            if t is IncDec:
                expr(e.target, nest, True, True)
                return
            if t is Member and e.arrow:
                element = _element_of(e.base, self._pointer_name)
                if element is not None and self._elements_only():
                    # 'a[i]->m' is 'a[i][0].m', '(p + i)->m' is 'p[i].m': a member of the element
                    # the pointer designates (rows of an array of pointers, on the rows' assumption)
                    root = base_name(e.base) if type(e.base) is Index else None
                    if write and root is not None and self.scope.decl(root) is None:
                        self._rows_assumed.setdefault(root, e.loc)  # (undeclared: its rows are pointers)
                    expr(Member(e.loc, e.text, element, e.field, False), nest, write, read)
                    return
            if t is Index or (t is Member and _has_index(e)):
                subs = []
                x = e
                while True:
                    tx = type(x)
                    if tx is Index:
                        subs.insert(0, x.index)
                    elif tx is Member and not x.arrow and not (subs and self._pointer_field(x.field)):
                        # (a pointer field indexed, 's.ptr[k]', is memory it points to; 's.ptr' itself is s's)
                        subs.insert(0, _field_sub(x.field if x.field not in self.tu.union_fields else "<union>", x.loc))
                    else:
                        break  # p->x: the object behind a pointer (or the base is reached)
                    x = x.base
                for sub in subs:
                    if type(sub) not in leaves:  # (a Name is no access either)
                        expr(sub, nest, False, True)
                if type(x) is Name:
                    d = self.scope.decl(x.id)
                    # (only a subscript past the declared pointers and dimensions reaches the
                    # container's operator[]: 'map<K,V>** rows; rows[i]' loads a pointer)
                    # (a container this iteration allocated, 'a[i] = new map<..>', is its own: fresh.py)
                    hazard = _container_hazard(d.type, write) if d is not None and x.id not in self.local \
                        and x.id not in self._own_rows() \
                        and sum(not (type(s) is Num and s.text.startswith(".")) for s in subs) > d.pointers + d.dims \
                        else None
                    if hazard:
                        self.blockers.append(_reason(*hazard, e.loc, variable=x.id, access=e.text))
                        return
                    # struct fields are offsets inside an element, not dimensions
                    n_idx = len(subs)
                    for s in subs:
                        if type(s) is Num and s.text.startswith("."):  # _is_field_sub, inlined
                            n_idx -= 1
                    if d is not None and d.dims > n_idx and not write:
                        return  # a row of a multi-dimensional array: an address, not an access
                    if d is not None and n_idx > _direct_dims(d):
                        # a[i][j] through an array of pointers (or double **): tested as a true
                        # multi-dimensional array, on the stated assumption that rows do not
                        # overlap, unless the function visibly points two rows into one object
                        if self._rows_shared(x.id, d):
                            self._rows_overlap.add(x.id)
                            record(x.id, e.text, None, write, read, e.loc, nest)
                            return
                        if write and x.id not in self._own_rows():  # (rows it allocated are apart)
                            self._rows_assumed.setdefault(x.id, e.loc)
                    elif (d is not None and not write and d.pointer and not d.array and 0 < n_idx < d.pointers
                          and not self._slots_written(x.id, d.pointers)):
                        # loading a row pointer ('double *row = A[i]'): the pointer array's slots,
                        # which no write of the loop reaches (rows apart from each other and from
                        # the slots, as stated where rows are written)
                        record(x.id + "[*]", e.text, tuple(subs), write, read, e.loc, nest)
                        return
                    record(x.id, e.text, tuple(subs), write, read, e.loc, nest)
                elif type(x) is Member:
                    expr(x.base, nest, False, True)
                    n_idx = sum(1 for s_ in subs if not (type(s_) is Num and s_.text.startswith(".")))
                    fd = self.tu.fields.get(x.field)
                    if write and n_idx >= 2 and not (fd is not None and not fd.pointer and fd.dims >= n_idx):
                        # 'g->rows[i][k]' through a member array of pointers: rows apart only on the
                        # stated assumption, as for a local 'double **rows'
                        self._rows_assumed.setdefault(_norm(x.text), e.loc)
                    record(_norm(x.text), e.text, tuple(subs), write, read, e.loc, nest)
                elif isinstance(x, ir.Call) and x.name in self.tu.accessors and isinstance(x.func, ir.Member):
                    record(member_key(_norm(x.func.base.text), self.tu.accessors[x.name], self.tu), e.text, None, write, read, e.loc, nest)
                else:
                    expr(x, nest, False, True)
                    root = base_name(x)
                    record(root or _norm(x.text), e.text, None, write, read, e.loc, nest)
                return
            if t is ir.Unary and e.op == "*":
                o = e.operand
                while isinstance(o, ir.Cast):
                    o = o.expr
                if isinstance(o, ir.Name):
                    record(o.id, e.text, (ir.Num(e.loc, "0", 0),), write, read, e.loc, nest)
                elif isinstance(o, ir.Binary) and o.op == "+" and isinstance(o.left, ir.Name):
                    expr(o.right, nest, False, True)
                    record(o.left.id, e.text, (o.right,), write, read, e.loc, nest)
                else:
                    expr(o, nest, False, True)
                    record(base_name(o) or _norm(o.text), e.text, None, write, read, e.loc, nest)
                return
            if t is ir.Call:
                acc = accessor_access(e, self.tu, self.scope.decl) if self.tu.accessor_exprs else None
                if acc is not None:  # 'density(i, j)', 'domain.x(i)': an element of a member array
                    key, sub, obj = acc
                    for a in e.args:
                        expr(a, nest, False, True)
                    expr(obj, nest, False, True)
                    record(key, e.text, (sub,), write, read, e.loc, nest)
                    return
                macc = macro_access(e, self.tu) if e.name in self.tu.fmacros else None
                if macc is not None:  # 'rho(i, j, k)' defined as 'a_rho[...]'
                    for a in e.args:
                        expr(a, nest, False, True)
                    record(macc[0], e.text, (macc[1],), write, read, e.loc, nest)
                    return
                if isinstance(e.func, ir.Member) and e.name in _ELEMENT_METHODS and self.az.summary(e.name) is None \
                        and len(e.args) == (1 if e.name == "at" else 0) and base_name(e.func.base) is not None:
                    # v.at(k), v.front(), v.back(): a reference to an element, written through or read
                    for a in e.args:
                        expr(a, nest, False, True)
                    root = base_name(e.func.base)
                    sub = (e.args[0],) if e.name == "at" else (ir.Num(e.loc, "0", 0),) if e.name == "front" else None
                    record(root, e.text, sub, write, read, e.loc, nest)
                    return
                if isinstance(e.func, ir.Member) and e.name in self.tu.accessors and len(e.args) == 1:
                    expr(e.args[0], nest, False, True)
                    expr(e.func.base, nest, False, True)
                    record(member_key(_norm(e.func.base.text), self.tu.accessors[e.name], self.tu), e.text, (e.args[0],), write, read, e.loc, nest)
                    return
                if isinstance(e.func, ir.Name) and e.name in self.tu.accessors and len(e.args) == 1 and self.fn is not None and self.fn.class_name:
                    expr(e.args[0], nest, False, True)
                    record(self.tu.accessors[e.name], e.text, (e.args[0],), write, read, e.loc, nest)
                    return
                self._call_accesses(e, nest, record)
                for a in e.args:
                    expr(a, nest, False, True)
                if isinstance(e.func, ir.Member):
                    expr(e.func.base, nest, False, True)
                return
            if t is Member:
                b = e.base
                if e.arrow and type(b) is Name:
                    d = self.scope.decl(b.id)
                    if d is not None and d.pointer and not d.array and d.pointers == 1:
                        # 'p->x' is 'p[0].x': an element of what p points into
                        fld = e.field if e.field not in self.tu.union_fields else "<union>"  # members share storage
                        record(b.id, e.text, (ir.Num(e.loc, "0", 0), _field_sub(fld, e.loc)), write, read, e.loc, nest)
                        return
                expr(b, nest, False, True)
                if write:
                    root = base_name(e)
                    # ('(k + p)->m': the leftmost name need not be the pointer; what an expression
                    # points to is no local storage)
                    if not e.arrow and type(b) is Name and self._struct_candidate(b.id):
                        self._struct_writes.setdefault(b.id, e.loc)  # (private or shared: structs.py)
                    elif root not in self.local_arrays or (e.arrow and type(b) is not Name):
                        self.blockers.append(_reason("SHARED-WRITE", f"not parallelized: every iteration writes '{e.text}', which is shared", e.loc, variable=e.text))
                return
            if isinstance(e, ir.Unary) and e.op == "&":
                expr(e.operand, nest, False, False)
                return
            for c in children(e):
                expr(c, nest, False, True)

        stmts(self.loop.body, (self.loop.id,))
        stmts = expr = record = define = kill = None  # break the closures' cycles (freed now, not by gc)
        return self._private_rows(out)
