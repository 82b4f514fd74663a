"""Types the build chooses (issue 11): a reduction over a variable whose type is a macro or
typedef defined in a header only -I reaches ('float_sw4', 'MINIFE_SCALAR') is legal when every
candidate definition in the project is a built-in arithmetic type, and stays blocked otherwise."""
import pytest

from ompwise import analyze_paths
from ompwise.frontend import buildtypes

SUM = ('#include "cfg.h"\n'
       "real sum(const real* a, int n) {\n  real s = 0;\n  for (int i = 0; i < n; i++)\n    s += a[i];\n  return s;\n}\n"
       "real mx(const real* a, int n) {\n  real m = a[0];\n  for (int i = 0; i < n; i++)\n    m = m > a[i] ? m : a[i];\n  return m;\n}\n")


def _check(tmp_path, headers: dict[str, str]):
    (tmp_path / "a.cpp").write_text(SUM)
    for rel, text in headers.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    files, errors = analyze_paths([str(tmp_path)])
    assert not errors
    (fa,) = [f for f in files if f.path.endswith("a.cpp")]
    return fa.loops


def test_every_candidate_arithmetic(tmp_path):
    # sw4lite: src/double/sw4.h and src/float/sw4.h, one chosen by -I
    loops = _check(tmp_path, {"double/sw4.h": "#define real double\n", "float/sw4.h": "#define real float\n"})
    assert [l.pragma for l in loops] == ["#pragma omp parallel for reduction(+:s)",
                                         "#pragma omp parallel for reduction(max:m)"]


def test_typedef_chain_and_ifndef_fallback(tmp_path):
    # miniFE: '#ifndef MINIFE_SCALAR / #define MINIFE_SCALAR double' and a typedef of it
    loops = _check(tmp_path, {"main.h": "#ifndef S\n#define S double\n#endif\ntypedef S real;\n"})
    assert all(l.parallelizable for l in loops)


def test_a_definition_that_cannot_declare_is_not_a_candidate(tmp_path):
    # miniFE's fem/: '#define MINIFE_SCALAR double;' ('real s = 0;' would not compile with it)
    loops = _check(tmp_path, {"x/cfg.h": "#define real double\n", "y/cfg.h": "#define real double;\n"})
    assert all(l.parallelizable for l in loops)


@pytest.mark.parametrize("other", [
    "#ifdef CPLX\n#define real std::complex<double>\n#endif\n",  # a branch the build may take
    "struct V { double x; };\n#define real V\n",
    "typedef struct { double re, im; } real;\n",
    "typedef double *real;\n",
    "class real { public: double v; };\n",
    "#define real(x) (x)\n",
    "using real = std::string;\n",
    "// only a comment names it: #define real double\n#define real2 double\n",
])
def test_one_non_arithmetic_candidate_blocks(tmp_path, other):
    headers = {"double/cfg.h": "#define real double\n", "other/cfg.h": other}
    if other.startswith("//"):
        headers = {"other/cfg.h": other}  # (no definition at all: unknown)
    loops = _check(tmp_path, headers)
    assert [l.reasons[0].code for l in loops] == ["SCALAR-CARRIED", "SCALAR-CARRIED"]


def test_no_definition_in_view_blocks(tmp_path):
    loops = _check(tmp_path, {})
    assert not any(l.parallelizable for l in loops)


def test_candidates_and_names():
    defs = buildtypes.merge([
        buildtypes.candidates(b"#define A double\n#define B unsigned long\ntypedef A C;\nusing D = const float;\n"),
        buildtypes.candidates(b"#define A float\n#define E A*\ntypedef int F[3];\n#define G\n"),
    ])
    assert buildtypes.arithmetic_names(defs) == {"A", "B", "C", "D"}
    # a cycle is not a type
    assert buildtypes.arithmetic_names(buildtypes.candidates(b"#define X Y\n#define Y X\n")) == set()
