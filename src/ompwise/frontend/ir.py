"""A small typed IR of C/C++ statements and expressions.

The analyses work on this IR, never on tree-sitter nodes, so the parser can be
swapped (clang, Fortran) without touching them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fastinit import fast_init


@dataclass(frozen=True, slots=True)
class Loc:
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


# ---------------------------------------------------------------- expressions
@dataclass(frozen=True, slots=True)
class Expr:
    loc: Loc
    text: str


@dataclass(frozen=True, slots=True)
class Num(Expr):
    value: int | float | None


@dataclass(frozen=True, slots=True)
class Name(Expr):
    id: str


@dataclass(frozen=True, slots=True)
class Index(Expr):
    base: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Member(Expr):
    base: Expr
    field: str
    arrow: bool


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Assign(Expr):
    op: str  # '=', '+=', '-=', ...
    target: Expr
    value: Expr


@dataclass(frozen=True, slots=True)
class IncDec(Expr):
    op: str  # '++' or '--'
    target: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    func: Expr
    args: tuple[Expr, ...]

    @property
    def name(self) -> str:
        """Callee name without namespace (``std::max`` -> ``max``); '' if indirect."""
        f = self.func
        t = type(f)  # (asked for every call by every concern: exact types, as Name and Member have no subclasses)
        if t is Name:
            i = f.id
            return i.rsplit("::", 1)[-1] if "::" in i else i
        if t is Member:
            return f.field
        return ""

    @property
    def qualified(self) -> str:
        f = self.func
        return f.id if isinstance(f, Name) else (f.field if isinstance(f, Member) else "")


@dataclass(frozen=True, slots=True)
class Cond(Expr):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(frozen=True, slots=True)
class Cast(Expr):
    type: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Comma(Expr):
    exprs: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Opaque(Expr):
    """Something we do not model (lambda, sizeof(type), initializer list, ...)."""
    children: tuple[Expr, ...] = ()


# ---------------------------------------------------------------- declarations
@dataclass(frozen=True, slots=True)
class VarDecl:
    name: str
    loc: Loc
    type: str
    init: Expr | None = None
    pointer: bool = False
    array: bool = False
    restrict: bool = False
    reference: bool = False
    static: bool = False
    const: bool = False
    dims: int = 0  # array dimensions declared
    pointers: int = 0  # levels of '*' in the declarator
    pointer_to_array: bool = False  # double (*u)[n2][n1]: the pointer adds a dimension
    # the first dimension's declared size ('idx_t dims[MAX_NMODES]'), for an array that is storage
    # of its own: not a parameter (a pointer), nor a pointer's, nor a struct's trailing member
    # (the 'data[1]' of a variable-length record)
    extent: "Expr | None" = None


# ---------------------------------------------------------------- statements
@dataclass(frozen=True, slots=True)
class Stmt:
    loc: Loc


@dataclass(frozen=True, slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(frozen=True, slots=True)
class Decl(Stmt):
    vars: tuple[VarDecl, ...]


@dataclass(frozen=True, slots=True)
class If(Stmt):
    cond: Expr
    then: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class While(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]
    do: bool


@dataclass(frozen=True, slots=True)
class Switch(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Jump(Stmt):
    kind: str  # break, continue, return, goto, throw
    value: Expr | None = None


@dataclass(frozen=True, slots=True)
class Block(Stmt):
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Sync(Block):
    """A statement under '#pragma omp critical|atomic|ordered|single|master|masked'."""
    kind: str
    name: str = ""  # a critical section's name ('critical(update)'); unnamed ones share one lock


@dataclass(frozen=True, slots=True)
class Region(Block):
    """A statement under '#pragma omp parallel ...' (or 'sections', 'section'), kept for race checks."""
    directive: str
    clauses: str


@dataclass(frozen=True, slots=True)
class OpaqueStmt(Stmt):
    text: str
    reason: str  # 'asm', 'syntax-error', ...


@dataclass(frozen=True, slots=True)
class ForStmt(Stmt):
    loop: "Loop"


# ---------------------------------------------------------------- loops
@dataclass(frozen=True, slots=True)
class Canonical:
    """``for (var = start; var <cmp> bound; var += step)`` normalised.

    The iteration space is ``lower <= var < upper`` (both affine-able Exprs or
    None when unknown) with ``step`` (positive or negative int, None if symbolic).
    A symbolic step (``i += bs``) is ``step_expr``, its magnitude: the variable moves towards the
    bound (up for ``+=`` with ``<``/``<=``, down for ``-=`` with ``>``/``>=``) by a loop-invariant
    amount, as OpenMP's canonical form allows.
    """
    var: str
    declared_in_header: bool
    start: Expr
    lower: Expr | None
    upper: Expr | None
    step: int | None
    bound_names: tuple[str, ...]  # names the bounds (and a symbolic step) depend on
    step_expr: Expr | None = None  # a symbolic step's amount (what is added, or subtracted when descending)
    descending: bool = False  # a symbolic step that moves the variable down ('i -= bs' with '>' or '>=')


@dataclass(frozen=True, slots=True)
class OmpPragma:
    text: str  # full text after '#pragma'
    line: int
    directive: str  # e.g. 'parallel for', 'for', 'simd', 'parallel for simd'
    clauses: str


@dataclass(frozen=True, eq=False)
class Loop:
    id: int
    loc: Loc
    function: str
    depth: int
    header_text: str
    canonical: Canonical | None
    noncanonical: str | None  # reason text when canonical is None
    init: tuple[Stmt, ...]
    cond: Expr | None
    update: Expr | None
    body: tuple[Stmt, ...]
    pragma: OmpPragma | None
    start_byte: int
    end: Loc
    line_start_byte: int
    indent: str
    first_on_line: bool
    in_macro: bool
    has_error: bool
    range_for: bool = False
    in_region: bool = False  # inside an existing '#pragma omp parallel' region
    kind: str = "for"  # for, range-for, while, do
    braced: bool = True  # the body is a compound statement '{ ... }'
    parent: int | None = None
    children: list[int] = field(default_factory=list)

    @property
    def var(self) -> str | None:
        return self.canonical.var if self.canonical else None

    def contains(self, loc: Loc) -> bool:
        """Is ``loc`` within the loop's text, header to closing brace?"""
        return (self.loc.line, self.loc.column) <= (loc.line, loc.column) <= (self.end.line, self.end.column)


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    loc: Loc
    params: tuple[VarDecl, ...]
    body: tuple[Stmt, ...]
    returns_reference: bool = False
    class_name: str | None = None
    static: bool = False  # internal linkage: invisible to the program's other files
    # parameters declared through a function-like macro, 'DATA_TYPE POLYBENCH_2D(A, N, M, n, m)':
    # (position among the parameters, macro, type, the macro's arguments, location),
    # resolved by frontend/macrodecl.py once the headers' macros are known
    macro_params: tuple[tuple[int, str, str, tuple[str, ...], Loc], ...] = ()
    labels: tuple[Loc, ...] = ()  # where its labeled statements are (goto targets)
    constexpr: bool = False  # C++ constexpr/consteval: no OpenMP directive may appear in it
    unnameable: tuple[str, ...] = ()  # declared under #if/#ifdef, or structured bindings: not for clauses
    # a lambda's body: the enclosing function's variables it may capture, each with whether it is a
    # parameter there (analysis/scope.py: by reference, and live after the lambda returns)
    captures: tuple[tuple[VarDecl, bool], ...] = ()
    returns: str = ""  # the type it returns by value ('unsigned'); "" for a pointer, a reference, or unknown


@dataclass(frozen=True, slots=True)
class SourceError:
    line: int
    column: int
    message: str


@dataclass
class TranslationUnit:
    path: str
    language: str
    source: bytes
    functions: list[Function]
    globals: dict[str, VarDecl]
    loops: list[Loop]  # preorder, nested loops included
    errors: list[SourceError]
    fields: dict[str, VarDecl] = field(default_factory=dict)  # struct/class members
    # unscoped enumerations: per enum, (constant, value's text or None: one more than the last)
    enums: list[tuple[tuple[str, str | None], ...]] = field(default_factory=list)
    # records by tag or typedef name: their members (None: defined twice, differently)
    record_members: dict[str, "dict[str, VarDecl] | None"] = field(default_factory=dict)
    macro_redefined: set[str] = field(default_factory=set)  # object-like macros of two values (#undef, #if branches)
    accessors: dict[str, str] = field(default_factory=dict)  # method -> member array
    non_accessors: set[str] = field(default_factory=set)  # methods also defined otherwise
    # (class, method) -> (member array, parameters, subscript): 'return data[i + j * sizeX];'
    accessor_exprs: dict[tuple[str, str], tuple[str, tuple[str, ...], "Expr"]] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    fmacros: dict[str, str] = field(default_factory=dict)  # function-like macros
    fmacro_params: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fmacro_redefined: set[str] = field(default_factory=set)  # defined more than once, differently
    fmacro_defs: dict[str, list] = field(default_factory=dict)  # name -> [(line, body, params)] in order
    origins: dict[str, str] = field(default_factory=dict)  # function -> its file (program units)
    records: set[str] = field(default_factory=set)  # struct, class and union names (and typedefs of them)
    union_fields: set[str] = field(default_factory=set)  # members of unions: they share storage
    arith_typedefs: set[str] = field(default_factory=set)  # 'typedef double Real_t;', 'using R = float;'
    # the program unit: every definition of each macro/typedef name in the program's files
    # (frontend/buildtypes.py: a type the build chooses is arithmetic if every candidate is)
    type_defs: dict = field(default_factory=dict)
    inactive_loops: int = 0  # loops in #if branches the analyzed configuration leaves out
    activating: tuple[str, ...] = ()  # the macros whose definition would bring them in
    inactive_lines: tuple[tuple[int, int], ...] = ()  # line ranges of those branches
    original: bytes | None = None  # the bytes as given when ``source`` differs (lone CRs made LFs)
    # a loop cut out of its file (the OMPify and HPCorpus records): a name it does not declare is
    # a local of the function around it, dead after the loop, not a global
    snippet: bool = False

    def raw(self) -> bytes:
        """The file's bytes as given: what a rewrite starts from (``source`` is the LF view
        the analyses read, at the same offsets)."""
        return self.source if self.original is None else self.original


# Building the IR is a large share of the run time: store fields without object.__setattr__.
for _cls in list(globals().values()):
    if isinstance(_cls, type) and _cls.__module__ == __name__:
        fast_init(_cls)
del _cls
