"""Effects of calls: known library functions and summaries of functions in the TU."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..frontend import ir
from ..frontend.walk import all_exprs, all_stmts, base_name, exprs
from .stdlib import BY_NAME, CONST_METHODS, arity, entry, method_writes, names_of, reads_args, writes_args  # noqa: F401 (CONST_METHODS: a view)

# views of the one table of library calls (stdlib.py), by kind
PURE = names_of("pure")
IO = names_of("io")
RNG = names_of("rng")
ALLOC = names_of("alloc")
EXIT = names_of("exit")
WRITES_ARGS = writes_args()
# allocation is thread-safe: what can race is where its pointer goes (checked as any write) and
# releasing memory another iteration (or another call) may still use
_PLACEMENT = re.compile(r"new\s*\(")
FRESH_ALLOCATORS = {"malloc", "calloc", "aligned_alloc", "valloc", "memalign", "_mm_malloc", "strdup", "new"}
RELEASERS = {"free", "delete", "_mm_free", "realloc"}  # the pointer released: the first argument  # name -> the arguments it writes through
READS_ARGS = reads_args()


@dataclass
class Summary:
    """What a function does to memory it can reach from its parameters and globals."""
    name: str
    writes_params: set[int] = field(default_factory=set)
    reads_params: set[int] = field(default_factory=set)
    writes_globals: set[str] = field(default_factory=set)
    reads_globals: set[str] = field(default_factory=set)  # globals it names, itself or through its calls
    writes_this: bool = False  # a method that changes a member of its object
    io: str | None = None  # first I/O call seen, with its path
    rng: str | None = None
    alloc: str | None = None
    exits: str | None = None
    unknown: str | None = None  # first unknown callee
    # parameter -> the elements it is written at, when every write through it is an
    # unconditional 'p[c]' or 'p[m]' over a constant range (exact_solution's dtemp[0..4])
    exact_writes: dict[int, frozenset[int]] = field(default_factory=dict)

    def key(self) -> tuple:
        return (frozenset(self.writes_params), frozenset(self.reads_params), frozenset(self.writes_globals),
                frozenset(self.reads_globals), self.writes_this, self.io, self.rng, self.alloc, self.exits, self.unknown)


MAX_EXACT_ELEMENTS = 16


def exact_writes(f: ir.Function) -> dict[int, frozenset[int]]:
    """Parameters written only at constant elements, each of them on every call: statements
    at the top of the body, 'p[c] = ...' or a loop over a constant range 'p[m] = ...'."""
    params = {p.name: i for i, p in enumerate(f.params) if p.pointer or p.array}
    if not params:
        return {}
    jumps = [st for st in all_stmts(f.body) if type(st) is ir.Jump and st.kind in ("return", "goto", "throw")]
    if jumps and not (len(jumps) == 1 and f.body and jumps[0] is f.body[-1]):
        return {}  # an early return may skip the writes
    hits: dict[int, set[int]] = {}
    counted: set[int] = set()  # ids of the recognised targets

    def take(target: ir.Expr, values) -> None:
        if isinstance(target, ir.Index) and isinstance(target.base, ir.Name) and target.base.id in params:
            hits.setdefault(params[target.base.id], set()).update(values)
            counted.add(id(target))
        elif type(target) is ir.Unary and target.op == "*" and type(target.operand) is ir.Name \
                and target.operand.id in params:  # '*p = v' is p[0]
            hits.setdefault(params[target.operand.id], set()).add(0)
            counted.add(id(target))

    for st in f.body:  # top level only: statements that run on every call
        if type(st) is ir.ExprStmt and type(st.expr) is ir.Assign and st.expr.op == "=":
            idx = getattr(st.expr.target, "index", None)
            if isinstance(idx, ir.Num) and isinstance(idx.value, int):
                take(st.expr.target, (idx.value,))
            elif type(st.expr.target) is ir.Unary:
                take(st.expr.target, ())
        elif type(st) is ir.ForStmt and st.loop.canonical is not None:
            c = st.loop.canonical
            lo, hi = c.lower, c.upper
            if not (c.step == 1 and isinstance(lo, ir.Num) and isinstance(hi, ir.Num) and isinstance(lo.value, int)
                    and isinstance(hi.value, int) and 0 < hi.value - lo.value <= MAX_EXACT_ELEMENTS):
                continue
            body = st.loop.body
            while len(body) == 1 and type(body[0]) is ir.Block:
                body = body[0].body
            for x in body:
                if type(x) is ir.ExprStmt and type(x.expr) is ir.Assign and x.expr.op == "=":
                    idx = getattr(x.expr.target, "index", None)
                    if isinstance(idx, ir.Name) and idx.id == c.var:
                        take(x.expr.target, range(lo.value, hi.value))
    # the parameter is used only as those targets: never read, passed on or written otherwise
    bases = {id(t.base if type(t) is ir.Index else t.operand) for t in _targets(f.body) if id(t) in counted}
    for e in all_exprs(f.body):
        if type(e) is ir.Name and e.id in params and id(e) not in bases:
            hits.pop(params[e.id], None)
    return {p: frozenset(v) for p, v in hits.items() if len(v) <= MAX_EXACT_ELEMENTS}


def _targets(stmts):
    for e in all_exprs(stmts):
        if type(e) is ir.Assign:
            yield e.target


# words that may stand before '(' in a macro body without being a call
_NOT_CALLS = {"sizeof", "if", "while", "for", "switch", "return", "do", "defined", "alignof", "_Alignof",
              "decltype", "static_cast", "const_cast", "reinterpret_cast", "int", "long", "short", "char",
              "float", "double", "unsigned", "signed", "bool", "size_t", "void", "const"}


def pure_macro(body: str, tu: ir.TranslationUnit | None = None, depth: int = 0) -> bool:
    """A macro body that neither assigns nor calls anything but the math library or, given
    ``tu``, macros that are pure in turn (a macro that calls a function is lowered and
    summarized instead)."""
    b = re.sub(r"==|<=|>=|!=", "", body)
    if re.search(r"(?<![=!<>])=(?!=)|\+\+|--", b):
        return False
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", b):
        n = m.group(1)
        if n in _NOT_CALLS or n in PURE:
            continue
        if tu is not None and n in tu.fmacros and depth < 8 and pure_macro(tu.fmacros[n], tu, depth + 1):
            continue
        return False
    if tu is not None and depth < 8:  # object-like macros it names ('#define A B', '#define B w()')
        for n in set(re.findall(r"[A-Za-z_]\w*", b)):
            if n in tu.macros and n not in tu.fmacros and tu.macros[n] != body \
                    and not pure_macro(tu.macros[n], tu, depth + 1):
                return False
    return True


STREAMS = {"cout", "cerr", "clog", "cin", "std::cout", "std::cerr", "std::clog", "std::cin"}


def stream_io(st: ir.Stmt) -> str | None:
    """The stream of a C++ insertion or extraction statement ('file << x;', 'std::cin >> n;').

    A shift whose value is thrown away does nothing in C, so a '<<' or '>>' used as a
    statement is a stream operation, whatever the stream's declared type."""
    if type(st) is not ir.ExprStmt:
        return None
    e = st.expr
    if type(e) is not ir.Binary or e.op not in ("<<", ">>"):
        return None
    while type(e) is ir.Binary and e.op in ("<<", ">>"):
        e = e.left
    return e.text


def classify_callee(name: str, tu: ir.TranslationUnit) -> str:
    """'pure', 'io', 'rng', 'alloc', 'exit', 'writes-args', 'defined', 'unknown'."""
    if "<" in name and name.split("<", 1)[0] in _FUNCTORS:
        return "pure"  # 'std::greater<double>()': a comparator object built
    if name in tu.macros:
        return "pure"
    if name in BY_NAME and entry(name, tu.language) is None and name not in tu.fmacros:
        return "unknown"  # ('sort' in C: a function of the program)
    if name in PURE:
        return "pure"
    if name in tu.fmacros:
        return "pure" if pure_macro(tu.fmacros[name], tu) else "unknown"  # (else lowered and summarized)
    if name in IO:
        return "io"
    if name in RNG:
        return "rng"
    if name in ALLOC:
        return "alloc"
    if name in EXIT or name.startswith("__builtin_trap"):
        return "exit"
    if name in WRITES_ARGS:
        return "writes-args"
    if name.startswith("__builtin_") or name.startswith("_mm") or name in ("assert", "static_cast", "reinterpret_cast"):
        return "pure"
    return "unknown"


def summarize(functions: list[ir.Function], tu: ir.TranslationUnit, global_names: set[str],
              known: dict[str, Summary] | None = None) -> dict[str, Summary]:
    """Summaries for all functions, transitively through calls among them (fixpoint); ``known``
    holds final summaries of functions they may call (a closed set computed before)."""
    # Calls are bound by name: overloads and same-named methods of different classes
    # share one summary, the union of their effects (the call may reach any of them).
    by_name: dict[str, list[ir.Function]] = {}
    for f in functions:
        by_name.setdefault(f.name.rsplit("::", 1)[-1], []).append(f)
    sums = dict(known or {})
    sums.update((n, Summary(n, exact_writes=exact_writes(fs[0]) if len(fs) == 1 else {})) for n, fs in by_name.items())
    for _ in range(10):
        changed = False
        for n, fs in by_name.items():
            s = sums[n]
            before = s.key()
            for f in fs:
                _summarize_one(f, s, sums, tu, global_names)
            changed |= s.key() != before
        if not changed:
            break
    return sums


def _summarize_one(f: ir.Function, s: Summary, sums: dict[str, Summary], tu: ir.TranslationUnit, global_names: set[str]) -> None:
    params = {p.name: i for i, p in enumerate(f.params)}
    if s.io is None:
        s.io = next((f"{x} <<" for x in map(stream_io, all_stmts(f.body)) if x), None)
    local = set()
    static_local = set()  # 'static' locals keep their value between calls: shared state
    for st in _decls(f.body):
        for v in st.vars:
            (static_local if v.static else local).add(v.name)
    origins = _pointer_origins(f, local, params)
    fresh = None  # the function's own pointers to memory it allocates (computed when first needed)
    method = f.class_name is not None or "::" in f.name
    for e in all_exprs(f.body):
        if type(e) is ir.Name and e.id not in local and e.id not in params and e.id not in static_local \
                and (e.id in global_names or e.id in tu.globals):
            s.reads_globals.add(e.id)
        if isinstance(e, (ir.Assign, ir.IncDec)):
            t = e.target
            root = base_name(t)
            indirect = not isinstance(t, ir.Name)
            if root is None:
                if indirect and s.unknown is None:  # 'get()[0] = v': through a pointer a call returned
                    call = next((x for x in exprs(t) if type(x) is ir.Call), None)
                    if call is not None:
                        s.unknown = f"{call.name or call.func.text}() (a write through the pointer it returns)"
                continue
            if method and (root == "this" or (root in tu.fields and root not in params)):
                s.writes_this = True  # 'n += v' in a method: a member of *this
            elif root in origins and (indirect or origins[root][1]):
                # a local pointer (or reference) into what it was set from: 'int *q = gp; q[k] = v'
                for o in origins[root][0]:
                    if o in params:
                        s.writes_params.add(params[o])
                    elif o.endswith("()"):
                        if s.unknown is None and classify_callee(o[:-2], tu) != "alloc":  # (fresh memory is the call's own)
                            s.unknown = f"{o} (a write through the pointer it returns)"
                    elif o in static_local:
                        s.writes_globals.add(f"{f.name}::{o}")
                    elif o not in local and (o in global_names or o in tu.globals):
                        s.writes_globals.add(o)
            elif root in params and (indirect or f.params[params[root]].reference):
                s.writes_params.add(params[root])
            elif root in static_local:
                s.writes_globals.add(f"{f.name}::{root}")
            elif root not in local and root not in params and (root in global_names or root in tu.globals):
                s.writes_globals.add(root)
        elif isinstance(e, ir.Index) or (type(e) is ir.Unary and e.op == "*"):  # x[k], *x, *(x + k)
            root = base_name(e)
            if root in params:
                s.reads_params.add(params[root])
            elif root in origins:
                s.reads_params.update(params[o] for o in origins[root][0] if o in params)
        elif isinstance(e, ir.Call):
            name = e.name
            if name in sums:
                callee = sums[name]
                for i, a in enumerate(e.args):
                    root = base_name(a)
                    if root in params:
                        if i in callee.writes_params:
                            s.writes_params.add(params[root])
                        if i in callee.reads_params:
                            s.reads_params.add(params[root])
                    elif root is not None and root not in local and root in tu.globals and i in callee.writes_params:
                        s.writes_globals.add(root)
                s.writes_globals |= callee.writes_globals
                s.reads_globals |= callee.reads_globals
                if callee.writes_this and method:
                    base = base_name(e.func.base) if isinstance(e.func, ir.Member) else "this"
                    if base == "this" or (base in tu.fields and base not in params):
                        s.writes_this = True  # 'bump()' or 'm_child.bump()' on this object
                for attr in ("io", "rng", "alloc", "exits", "unknown"):
                    if getattr(s, attr) is None and getattr(callee, attr) is not None:
                        setattr(s, attr, f"{name} -> {getattr(callee, attr)}")
                continue
            kind = classify_callee(name, tu)
            if kind == "io" and s.io is None:
                s.io = name
            elif kind == "rng" and s.rng is None:
                s.rng = name
            elif kind == "alloc" and s.alloc is None:
                # allocating is thread-safe; releasing memory is safe only where the call itself
                # allocated it (a local pointer of its own, every value of it fresh memory)
                if name == "new":  # (a constructor of the program's own may run: not analyzed here)
                    hit = next((w for w in re.findall(r"[A-Za-z_]\w*", e.text[3:]) if w in tu.records), None)
                    if hit:
                        s.alloc = f"new {hit}"
                elif name not in FRESH_ALLOCATORS:
                    if fresh is None:
                        fresh = fresh_pointers(f.body, local)
                    p = released(e)
                    if not (type(p) is ir.Name and p.id in fresh):
                        s.alloc = f"{name}({p.text if p is not None else ''})"
            elif kind == "exit" and s.exits is None:
                s.exits = name
            member = isinstance(e.func, ir.Member)
            lib = entry(name, tu.language) if not member else None
            if lib is not None and len(e.args) < arity(lib):
                if s.unknown is None:  # ('copy(v)': a function of the program not seen, not std::copy)
                    s.unknown = f"{name} (with {len(e.args)} arguments)"
            elif lib is not None:
                _library_call(e, lib, s, sums, params, local, tu)
            elif member and method_writes(name, len(e.args)):  # 'z.real(v)', 'arr.fill(0)': the object
                root = base_name(e.func.base)
                if method and (root == "this" or (root in tu.fields and root not in params)):
                    s.writes_this = True
                elif root in params:
                    s.writes_params.add(params[root])
                elif root in static_local:
                    s.writes_globals.add(f"{f.name}::{root}")
                elif root is None or (root not in local and (root in global_names or root in tu.globals)):
                    s.writes_globals.add(root or e.func.base.text)
            elif member and kind == "writes-args" and name not in CONST_METHODS and s.unknown is None:
                s.unknown = e.func.text  # ('l.sort()' is no std::sort: a method of unknown effects)
            elif kind == "unknown" and s.unknown is None and not (isinstance(e.func, ir.Member) and name in CONST_METHODS):
                s.unknown = name or e.func.text


def _library_call(e: ir.Call, entry, s: Summary, sums: dict[str, Summary], params: dict[str, int],
                  local: set[str], tu: ir.TranslationUnit) -> None:
    """A library call's effects through its arguments, and those of the function it calls back
    (qsort's comparator is called: a comparator that writes a global makes the caller write it)."""
    for i, _ in entry.writes:
        root = base_name(e.args[i]) if i < len(e.args) else None
        if root in params:
            s.writes_params.add(params[root])
        elif root in tu.globals and root not in local:
            s.writes_globals.add(root)
    for i, _ in entry.reads:
        root = base_name(e.args[i]) if i < len(e.args) else None
        if root in params:
            s.reads_params.add(params[root])
    if entry.calls is not None and entry.calls < len(e.args):
        cb = e.args[entry.calls]
        callee = sums.get(cb.id.rsplit("::", 1)[-1]) if type(cb) is ir.Name else None
        if callee is not None:
            s.writes_globals |= callee.writes_globals
            s.reads_globals |= callee.reads_globals
            for attr in ("io", "rng", "alloc", "exits", "unknown"):
                if getattr(s, attr) is None and getattr(callee, attr) is not None:
                    setattr(s, attr, f"{callee.name} -> {getattr(callee, attr)}")
            if callee.writes_params and s.unknown is None:
                s.unknown = f"{callee.name} (a comparator that writes through its arguments)"
        elif not pure_functor(cb) and s.unknown is None:
            s.unknown = f"{cb.text} (called by {e.name})"


_FUNCTORS = {"less", "greater", "less_equal", "greater_equal"}


def pure_functor(e: ir.Expr) -> bool:
    """'std::less<double>()', 'std::greater<>()': comparators of the library, without effects."""
    return type(e) is ir.Call and not e.args and type(e.func) is ir.Name and \
        re.fullmatch(r"(std::)?(less|greater|less_equal|greater_equal)\s*(<.*>)?", e.func.id) is not None


def call_targets(c: ir.Call):
    """The functions a call runs: its callee, and one it passes to the library to call back
    (qsort's comparator), whose summary the call's needs."""
    yield c.name
    x = BY_NAME.get(c.name)
    if x is not None and x.calls is not None and x.calls < len(c.args) and type(c.args[x.calls]) is ir.Name:
        yield c.args[x.calls].id.rsplit("::", 1)[-1]


def _strip(e: ir.Expr) -> ir.Expr:
    while type(e) is ir.Cast:
        e = e.expr
    return e


def fresh_value(e: ir.Expr, fresh: set[str] = frozenset()) -> bool:
    """A pointer to memory allocated right here ('(T*) malloc(n)', 'new T[n]'), a null pointer, or
    'realloc(p, n)' of a pointer in ``fresh``."""
    e = _strip(e)
    if type(e) is ir.Num and e.value == 0 or type(e) is ir.Name and e.id in ("NULL", "nullptr"):
        return True
    if type(e) is not ir.Call or type(e.func) is not ir.Name:
        return False
    if e.name in FRESH_ALLOCATORS:
        return not (e.name == "new" and _PLACEMENT.match(e.text))  # ('new (pool) T': pool's memory)
    return e.name == "realloc" and len(e.args) == 2 and type(_strip(e.args[0])) is ir.Name \
        and _strip(e.args[0]).id in fresh


def fresh_pointers(stmts, names: set[str]) -> set[str]:
    """Those of ``names`` (pointers of one iteration, or of one call) whose every value set in
    ``stmts`` is memory allocated there (or null), set at least once, and whose address is
    never taken: what they point to is no other iteration's (call's) memory."""
    defs: dict[str, list[ir.Expr]] = {}
    taken = set()
    for st in all_stmts(stmts):
        if type(st) is ir.Decl:
            for v in st.vars:
                if v.name in names and v.init is not None:
                    defs.setdefault(v.name, []).append(v.init)
    for e in all_exprs(stmts):
        if type(e) is ir.Assign and type(e.target) is ir.Name and e.target.id in names:
            defs.setdefault(e.target.id, []).append(e.value if e.op == "=" else e)
        elif type(e) is ir.IncDec and type(e.target) is ir.Name and e.target.id in names:
            defs.setdefault(e.target.id, []).append(e)
        elif type(e) is ir.Unary and e.op == "&" and type(_strip(e.operand)) is ir.Name:
            taken.add(_strip(e.operand).id)
    fresh = {n for n, vs in defs.items() if n not in taken}
    while True:  # (realloc of a fresh pointer is fresh)
        keep = {n for n in fresh if all(fresh_value(v, fresh) for v in defs[n])}
        if keep == fresh:
            return fresh
        fresh = keep


def released(c: ir.Call) -> ir.Expr | None:
    """The pointer a 'free', 'delete', 'delete[]' or 'realloc' call releases."""
    if c.name in RELEASERS and c.args:
        return _strip(c.args[0])
    return None


def _pointer_origins(f: ir.Function, local: set[str], params: dict[str, int]) -> dict[str, tuple[set[str], bool]]:
    """Local pointers and references -> (the parameters, globals and locals they are set from,
    'g()' for a pointer a call returned; whether it is a reference), followed through
    other local pointers: a write through one is a write to what it points into."""
    decls = {v.name: v for st in _decls(f.body) for v in st.vars if v.name in local and (v.pointer or v.reference)}
    if not decls:
        return {}
    direct: dict[str, set[str]] = {n: set() for n in decls}

    def add(n: str, value: ir.Expr) -> None:
        # (the arguments of an allocator, 'malloc(n * sizeof(double))', are no origin: its memory is new)
        sizes = {id(y) for x in exprs(value) if type(x) is ir.Call and x.name in FRESH_ALLOCATORS
                 for y in exprs(x) if y is not x}
        for x in exprs(value):
            if id(x) in sizes:
                continue
            if type(x) is ir.Name:
                direct[n].add(x.id)
            elif type(x) is ir.Call:
                direct[n].add(f"{x.name or x.func.text}()")

    for v in decls.values():
        if v.init is not None:
            add(v.name, v.init)
    for e in all_exprs(f.body):
        if type(e) is ir.Assign and type(e.target) is ir.Name and e.target.id in direct:
            add(e.target.id, e.value)
    out = {}
    for n in direct:
        seen, todo = set(), [n]
        while todo:  # through copies between local pointers
            for o in direct.get(todo.pop(), ()):
                if o not in seen:
                    seen.add(o)
                    if o in direct:
                        todo.append(o)
        out[n] = ({o for o in seen if o not in direct}, decls[n].reference)
    return out


def _decls(stmts):
    for st in all_stmts(stmts):
        if isinstance(st, ir.Decl):
            yield st
