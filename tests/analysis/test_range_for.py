"""Range-based 'for' over arrays and random-access containers as a work-sharing loop (OpenMP 5)."""
import subprocess

import pytest

from ompwise import analyze_source
from ompwise.rewrite import insert_pragmas
from tests.conftest import has_compiler, loops_of

PF = "#pragma omp parallel for"
VEC = "#include <vector>\n#include <array>\n#include <list>\n"

# (id, code, loop index in preorder, expected pragma or None, expected first reason code)
CASES = [
    ("vector-by-reference", VEC + "void f(std::vector<double>&v){for(double&x:v) x*=2;}", 0, PF, "OMP-PARALLEL"),
    ("vector-by-value-reduction", VEC + "double f(const std::vector<double>&v){double s=0;for(double x:v) s+=x;return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("by-value-copy-written", VEC + "void f(std::vector<double>&v){for(double x:v){x=2*x;}}", 0, PF, "OMP-PARALLEL"),
    ("std-array-private-temporary", VEC + "void f(std::array<double,8>&v){double t;for(auto&x:v){t=x*2;x=t;}}", 0, PF + " private(t)", "OMP-PARALLEL"),
    ("c-array", "void f(double*a){double c[100];for(double&x:c) x=a[0];}", 0, PF, "OMP-PARALLEL"),
    ("last-value-live-after", VEC + "void f(std::vector<double>&v){double last=0;for(double x:v){last=x;}v[0]=last;}", 0, PF + " lastprivate(last)", "OMP-PARALLEL"),
    ("other-element-written", VEC + "void f(std::vector<double>&v){for(double&x:v){x=1;v[0]=2;}}", 0, None, "DEP-CARRIED"),
    ("other-element-read", VEC + "void f(std::vector<double>&c){for(double&x:c) x=c[0]+1;}", 0, None, "DEP-CARRIED"),
    ("container-grown", VEC + "void f(std::vector<double>&v){for(double&x:v) v.push_back(x);}", 0, None, "SHARED-WRITE"),
    ("break", VEC + "void f(std::vector<double>&v){for(double&x:v){if(x>1) break;x=0;}}", 0, None, "EXIT-EARLY"),
    ("aliasing-containers-said", VEC + "void f(std::vector<double>&v,std::vector<double>&w){for(double&x:v) x+=w[0];}", 0, PF, "OMP-PARALLEL"),
    # gcc 12 and clang-14 reject the pragma over a container without random-access iterators
    ("list-rejected", VEC + "void f(std::list<double>&l){for(double&x:l) x*=2;}", 0, None, "NONCANONICAL"),
    # vector<bool>'s elements share words: writing neighbours races
    ("vector-bool", VEC + "void f(std::vector<bool>&v){for(auto&&x:v) x=true;}", 0, None, "NONCANONICAL"),
    # (adversarial review) elements that refer to other storage may name one object twice
    ("vector-of-pointers-by-value", VEC + "void f(std::vector<double*>&ps){for(auto p:ps) *p+=1;}", 0, None, "NONCANONICAL"),
    ("vector-of-reference-wrappers", VEC + "#include <functional>\nvoid f(std::vector<std::reference_wrapper<double>>&r){for(double&x:r) x+=1;}", 0, None, "NONCANONICAL"),
    ("c-array-of-pointers", "void f(double*ps[100]){double*qs[100];for(auto p:qs) *p+=1;}", 0, None, "NONCANONICAL"),
    # an inner range-for that is not canonical writes the range's elements, not a variable of its own
    ("inner-noncanonical-writes-row", VEC + "void f(std::vector<std::vector<double>>&m){for(auto&row:m) for(double&x:m[0]) x+=row[1];}", 0, None, "DEP-CARRIED"),
    ("inner-noncanonical-own-row", VEC + "void f(std::vector<std::vector<double>>&m){for(long i=0;i<100;i++) for(double&x:m[i]) x=1;}", 0, None, "DEP-UNKNOWN"),  # (conservative: the element is not followed)
    ("type-not-known", "void f(Foo&v){for(auto&x:v) x=0;}", 0, None, "NONCANONICAL"),
    # one element name in two loops of a function (by value, then by reference): neither is the other
    ("same-name-value-then-reference", VEC + "void f(std::vector<double>&c,double*a){for(double x:c) a[1]+=x;for(double&x:c) x=c[0]+1;}", 1, None, "DEP-CARRIED"),
    ("same-name-two-references", VEC + "void f(std::vector<double>&c,std::vector<double>&d){for(double&x:d) x=1;for(double&x:c) x=2;}", 1, PF, "OMP-PARALLEL"),
    # the same with local references in canonical loops: the value declaration must not hide the pointer
    ("same-name-local-reference", "void f(double*a,double*c){for(long k=0;k<100;k++){double x=c[k];a[1]+=x;}for(long k=0;k<100;k++){double&x=c[0];x=a[k];}}", 1, None, "DEP-CARRIED"),
]


@pytest.mark.parametrize("case_id,code,index,pragma,code_id", CASES, ids=[c[0] for c in CASES])
def test_range_for_case(case_id, code, index, pragma, code_id):
    a = loops_of(code, "cpp")[index]
    assert a.pragma == pragma, [r.message for r in a.reasons]
    assert a.reasons[0].code == code_id, [r.message for r in a.reasons]


def test_list_reason_names_the_compilers():
    a = loops_of(VEC + "void f(std::list<double>&l){for(double&x:l) x*=2;}", "cpp")[0]
    assert "gcc 12 and clang-14 reject" in a.reasons[0].message


PROGRAM = VEC + """#include <cstdio>
static double c[20000];
double work(std::vector<double>& v, std::array<double, 1000>& ar) {
  for (double &x : v)
    x = 2 * x + 1;
  for (auto &x : ar)
    x += 1;
  double s = 0;
  for (const auto &x : v)
    s += x;
  for (double x : c)
    s += x;
  double last = 0;
  for (double x : v)
    last = x * 0.5;
  return s + last + ar[3];
}
int main() {
  std::vector<double> v(20000);
  for (size_t i = 0; i < v.size(); i++) v[i] = i % 17;
  std::array<double, 1000> ar{};
  for (int i = 0; i < 20000; i++) c[i] = i % 5;
  printf("%.6f\\n", work(v, ar));
}
"""


@pytest.mark.parametrize("cxx", ["g++", "clang++-14"])
def test_rewritten_range_for_compiles_and_agrees(tmp_path, cxx):
    if not has_compiler(cxx):
        pytest.skip(f"{cxx} not installed")
    fa = analyze_source(PROGRAM.encode(), "p.cpp", "cpp")
    pragmas = [a.pragma for a in fa.loops if a.loop.range_for]
    assert pragmas == [PF, PF, PF + " reduction(+:s)", PF + " reduction(+:s)", PF + " lastprivate(last)"]
    out = insert_pragmas(PROGRAM.encode(), fa.loops).text
    (tmp_path / "s.cpp").write_text(PROGRAM)
    (tmp_path / "p.cpp").write_bytes(out)
    runs = []
    for name, flags in (("s", []), ("p", ["-fopenmp"])):
        subprocess.run([cxx, "-O1", *flags, str(tmp_path / f"{name}.cpp"), "-o", str(tmp_path / name)],
                       check=True, capture_output=True, timeout=120)
        runs.append(subprocess.run([str(tmp_path / name)], capture_output=True, text=True, timeout=60,
                                   env={"OMP_NUM_THREADS": "3"}, check=True).stdout)
    assert runs[0] == runs[1]


# (adversarial review) known unsound, not fixed yet: pointers whose origin is visible in the function
@pytest.mark.parametrize("capture, pragma", [("p=b+1", None), ("p=&b[1]", None), ("&p=b", PF), ("p=b", PF)])
def test_lambda_init_capture_is_an_origin(capture, pragma):
    # p[i] = b[i] + 1 through p = b touches one element per iteration; through p = b + 1 two
    code = "double b[1000];\nvoid f(){auto g=[" + capture + "](){\n for(int i=0;i<999;i++) p[i]=b[i]+1;\n};g();}"
    assert loops_of(code, "cpp")[0].pragma == pragma


def test_lambda_init_capture_of_its_own_buffer_is_parallel():
    code = "#include <stdlib.h>\ndouble b[1000];\nvoid f(){auto g=[p=(double*)malloc(8000)](){\n for(int i=0;i<999;i++) p[i]=b[i]+1;\n};g();}"
    assert loops_of(code, "cpp")[0].pragma == PF


@pytest.mark.parametrize("decl", ["double*d=v.data();", "auto d=v.data();", "auto d=v.begin();"])
def test_vector_data_is_an_origin(decl):
    code = VEC + "void f(std::vector<double>&v){" + decl + "for(long i=0;i<(long)v.size();i++) v[i]=d[0]+1;}"
    assert loops_of(code, "cpp")[0].pragma is None
