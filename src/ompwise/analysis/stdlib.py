"""One table of what the C and C++ standard library calls of HPC loops do.

System headers are never read, so a library call's effects cannot be summarized from its
body: each entry says what kind of call it is and, for calls that reach memory through
their arguments, which arguments are written or read and how far (its *reach*). The
sets that effects.py exported before (PURE, IO, WRITES_ARGS, ...) are views of it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reach:
    """How many elements a call reaches from a pointer or iterator argument.

    bytes: arg[size] is a byte count, ``n*sizeof(T)`` with T the pointee's type (memset)
    count: arg[size] elements, each of the size in arg[elem] (qsort's 'n, sizeof *base')
    upto:  from this argument up to the iterator arg[size] (std::sort(first, last))
    span:  as many as arg[elem]..arg[size] holds (std::copy's output: last - first)
    one:   the one element the argument points to (omp_init_lock(&locks[i]))"""
    how: str
    size: int
    elem: int | None = None


@dataclass(frozen=True)
class Entry:
    names: tuple[str, ...]
    kind: str  # pure, io, rng, alloc, exit, writes-args
    writes: tuple[tuple[int, Reach | None], ...] = ()  # (argument, reach); None: unknown reach
    reads: tuple[tuple[int, Reach | None], ...] = ()
    calls: int | None = None  # an argument the callee calls back (a comparator)
    returns: int | None = None  # the argument it hands back a pointer into (memcpy: its destination;
    # std::copy: the end of what it wrote)
    cpp: bool = False  # C++ only: in C, 'clamp', 'sort' or 'copy' is a function of the program
    atomic: str = ""  # an atomic read-modify-write of what argument 0 points to: its operator


def arity(x: Entry) -> int:
    """The fewest arguments a call of the library's function has: a call with fewer is to
    another function of the same name ('copy(v)' of the program, not std::copy)."""
    idx = [i for i, _ in x.writes + x.reads]
    idx += [k for _, r in x.writes + x.reads if r is not None for k in (r.size, r.elem) if k is not None]
    return max(idx) + 1 if idx else 0


def _e(names: str, kind: str, **kw) -> Entry:
    return Entry(tuple(names.split()), kind, **kw)


_BYTES2 = Reach("bytes", 2)
_MATH = """sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp exp2 expm1 log log2 log10
log1p logb pow sqrt cbrt hypot fabs abs labs llabs floor ceil round lround llround trunc rint lrint nearbyint
fmod remainder fmax fmin fdim fma copysign erf erfc tgamma ldexp scalbn ilogb isnan isinf
isfinite signbit nan max min fmaxf fminf sqrtf expf logf powf fabsf sinf cosf tanf floorf ceilf
sqrtl expl logl powl fabsl creal cimag cabs conj carg cexp clog cpow csqrt"""
# (lgamma sets the global 'signgam': not pure, and not thread-safe; lgamma_r is)

TABLE: tuple[Entry, ...] = (
    _e(_MATH, "pure"),  # the float and long double forms ('sinf', 'sinl') are added below
    _e("""toupper tolower isdigit isalpha isspace isupper islower isalnum isxdigit ispunct isprint iscntrl
          isgraph strlen strnlen strcmp strncmp strcasecmp strncasecmp strchr strrchr strstr strspn strcspn
          strpbrk memchr memcmp atoi atof atol atoll omp_get_wtime sizeof swap_bytes""", "pure"),
    # C++: std::min/max/abs above; std::complex's free functions (its operators are arithmetic)
    _e("clamp real imag norm arg polar proj", "pure", cpp=True),
    # <stdint.h> function-like macros: integer constants of a given width, no call at all
    _e("INT8_C INT16_C INT32_C INT64_C UINT8_C UINT16_C UINT32_C UINT64_C INTMAX_C UINTMAX_C", "pure"),
    _e("""printf fprintf sprintf snprintf puts fputs putchar putc fputc scanf fscanf sscanf fopen fclose fread
          fwrite fgets getc fgetc getchar fflush perror write read open close vprintf vfprintf cout cerr getline
          fseek ftell rewind remove rename system sleep usleep print""", "io"),
    _e("rand random srand srandom drand48 erand48 lrand48 mrand48 srand48", "rng"),
    _e("""malloc calloc realloc free new delete aligned_alloc posix_memalign valloc memalign _mm_malloc _mm_free
          strdup""", "alloc"),
    _e("exit abort _exit quick_exit longjmp assert_fail __assert_fail", "exit"),
    # writes through arguments, with the reach when the library defines it
    _e("memcpy memmove", "writes-args", writes=((0, _BYTES2),), reads=((1, _BYTES2),), returns=0),
    _e("memset", "writes-args", writes=((0, _BYTES2),), returns=0),
    _e("strncpy", "writes-args", writes=((0, _BYTES2),), reads=((1, None),), returns=0),
    _e("strcpy strcat", "writes-args", writes=((0, None),), reads=((1, None),), returns=0),
    _e("rand_r", "writes-args", writes=((0, None),)),  # (its seed: one element)
    # OpenMP's lock set-up touches only the lock it is given ('omp_init_lock(&locks[i])')
    _e("omp_init_lock omp_destroy_lock omp_init_nest_lock omp_destroy_nest_lock", "writes-args",
       writes=((0, Reach("one", 0)),)),
    # GCC's atomic builtins: one read-modify-write of the element argument 0 points to. Updates
    # by one operator commute, so iterations that only update an element this way do not depend
    # on each other (accesses.py marks them when the call's value is thrown away).
    *(_e(" ".join(f"__sync_fetch_and_{w} __sync_{w}_and_fetch __atomic_fetch_{w} __atomic_{w}_fetch" for w in ws),
         "writes-args", writes=((0, Reach("one", 0)),), reads=((0, Reach("one", 0)),), atomic=op)
      for ws, op in ((("add", "sub"), "+"), (("or",), "|"), (("and",), "&"), (("xor",), "^"))),
    _e("swap", "writes-args", writes=((0, None), (1, None)), cpp=True),  # std::swap(a[i], b[i]): two references
    _e("frexp modf", "writes-args", writes=((1, None),)),
    _e("sincos", "writes-args", writes=((1, None), (2, None))),
    _e("strtod strtof strtol strtoul strtoll strtoull", "writes-args", writes=((1, None),)),
    # <algorithm>: ranges [first, last); a comparator is called back
    _e("fill iota", "writes-args", writes=((0, Reach("upto", 1)),), cpp=True),
    _e("fill_n", "writes-args", writes=((0, Reach("count", 1)),), returns=0, cpp=True),
    _e("copy", "writes-args", writes=((2, Reach("span", 1, 0)),), reads=((0, Reach("upto", 1)),), returns=2, cpp=True),
    _e("copy_n", "writes-args", writes=((2, Reach("count", 1)),), reads=((0, Reach("count", 1)),), returns=2, cpp=True),
    _e("sort stable_sort", "writes-args", writes=((0, Reach("upto", 1)),), reads=((0, Reach("upto", 1)),), calls=2, cpp=True),
    _e("reverse", "writes-args", writes=((0, Reach("upto", 1)),), reads=((0, Reach("upto", 1)),), cpp=True),
    _e("accumulate", "pure", reads=((0, Reach("upto", 1)),), cpp=True),
    _e("inner_product", "pure", reads=((0, Reach("upto", 1)), (2, Reach("span", 1, 0))), cpp=True),
    _e("qsort", "writes-args", writes=((0, Reach("count", 1, 2)),), reads=((0, Reach("count", 1, 2)),), calls=3),
)
for _x in TABLE:  # (sort and friends take their comparator third; qsort fourth)
    assert _x.calls is None or all(_x.calls != i for i, _ in _x.writes + _x.reads)

BY_NAME: dict[str, Entry] = {}
for _x in TABLE:
    for _n in _x.names:
        BY_NAME.setdefault(_n, _x)
for _f in _MATH.split() + ["frexp", "modf", "sincos"]:  # the float and long double forms
    for _suffix in "fl":
        BY_NAME.setdefault(_f + _suffix, BY_NAME[_f])

# Objects of standard classes are subscripted, measured and handed out without a call of
# the program: methods that only read the object they are called on (std::vector, std::array,
# std::string, std::complex's 'z.real()'), and those that set it when given a value.
CONST_METHODS = {"size", "length", "empty", "begin", "end", "cbegin", "cend", "rbegin", "rend", "data",
                 "at", "front", "back", "find", "count", "get", "c_str", "capacity", "real", "imag", "norm",
                 "max_size"}
SETTER_METHODS = {"real": 1, "imag": 1, "fill": 1}  # method -> arguments it takes when it writes


def method_writes(name: str, nargs: int) -> bool:
    """'z.real(v)', 'arr.fill(0)': a library method that writes the object it is called on."""
    return SETTER_METHODS.get(name) == nargs


def entry(name: str, language: str) -> Entry | None:
    """The library function a call of ``name`` runs in a unit of ``language``."""
    x = BY_NAME.get(name)
    return None if x is None or (x.cpp and language == "c") else x


def names_of(kind: str) -> set[str]:
    return {n for n, x in BY_NAME.items() if x.kind == kind}


def writes_args() -> dict[str, tuple[int, ...]]:
    return {n: tuple(i for i, _ in x.writes) for n, x in BY_NAME.items() if x.writes}


def reads_args() -> dict[str, tuple[int, ...]]:
    return {n: tuple(i for i, _ in x.reads) for n, x in BY_NAME.items() if x.reads}


def reach(name: str, index: int) -> Reach | None:
    """How far a library call reaches from its argument ``index`` (written or read)."""
    x = BY_NAME.get(name)
    if x is None:
        return None
    return next((r for i, r in x.writes + x.reads if i == index), None)
