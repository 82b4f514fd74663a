"""Annotated loops: clauses against the re-analysed loop and its context."""
import pytest

from ompwise import analyze_source
from ompwise.races import check_races, static_findings


def findings(code: str):
    return [(f.code, f.variable) for f in static_findings(analyze_source(code.encode(), "t.c", "c"))]


HEAD = "double a[1000], b[1000];\nint main(void) {\n  int i, j; double t = 0, s = 0;\n"


@pytest.mark.parametrize("body,expected", [
    ("#pragma omp parallel for\n  for (i = 0; i < 999; i++) a[i] = a[i + 1];\n", [("RACE-DEPENDENCE", "a")]),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) { t = a[i]; b[i] = t * 2; }\n", [("RACE-MISSING-PRIVATE", "t")]),
    ("#pragma omp parallel for private(t)\n  for (i = 0; i < 1000; i++) { t = a[i]; b[i] = t * 2; }\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) s += a[i];\n", [("RACE-MISSING-REDUCTION", "s")]),
    ("#pragma omp parallel for reduction(+:s)\n  for (i = 0; i < 1000; i++) s += a[i];\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 30; i++) for (j = 0; j < 30; j++) a[i * 30 + j] = 0;\n", [("RACE-MISSING-PRIVATE", "j")]),
    ("#pragma omp parallel for collapse(2)\n  for (i = 0; i < 30; i++) for (j = 0; j < 30; j++) a[i * 30 + j] = 0;\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) {\n#pragma omp critical\n    s += a[i];\n  }\n", []),
    ("#pragma omp simd safelen(4)\n  for (i = 4; i < 1000; i++) a[i] = a[i - 4] + 1;\n", []),
    ("#pragma omp simd\n  for (i = 1; i < 1000; i++) a[i] = a[i - 1] + 1;\n", [("RACE-DEPENDENCE", "a")]),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) a[i] = b[i] + 1;\n", []),
])
def test_static_check(body, expected):
    assert findings(HEAD + body + "  return (int)(s + t);\n}\n") == expected


def test_unannotated_loops_are_not_checked():
    assert findings(HEAD + "  for (i = 0; i < 999; i++) a[i] = a[i + 1];\n  return 0;\n}\n") == []


def test_critical_does_not_protect_across_teams():
    code = ("int var = 0;\nint main(void) {\n#pragma omp target teams distribute parallel for\n  for (int i = 0; i < 100; i++) {\n"
            "#pragma omp critical\n    var++;\n  }\n  return var;\n}\n")
    assert findings(code) == [("RACE-SCALAR", "var")]
    atomic = code.replace("critical", "atomic")
    assert findings(atomic) == []


def test_affine_guard_makes_dependence_exact():
    code = HEAD + "#pragma omp parallel for\n  for (i = 0; i < 100; i++) {\n    a[i] = i;\n    if (i == 1) a[0] = 1;\n  }\n  return 0;\n}\n"
    assert findings(code) == [("RACE-DEPENDENCE", "a")]
    disjoint = code.replace("if (i == 1) a[0] = 1;", "if (i == 1) b[0] = 1;")
    assert findings(disjoint) == []


def test_lock_does_not_span_teams():
    body = ("#include <omp.h>\nint main(void) {\n  omp_lock_t l; int var = 0;\n  omp_init_lock(&l);\n"
            "#pragma omp target teams distribute parallel for\n  for (int i = 0; i < 100; i++) {\n"
            "    omp_set_lock(&l);\n    var++;\n    omp_unset_lock(&l);\n  }\n  return var;\n}\n")
    assert findings(body) == [("RACE-SCALAR", "var")]
    one_team = body.replace("#pragma omp target teams distribute parallel for",
                            "#pragma omp teams num_teams(1)\n#pragma omp distribute parallel for")
    assert findings(one_team) == []


@pytest.mark.parametrize("code,expected", [
    # the enclosing region's clauses cover the inner 'omp for'
    ("double a[100],b[100];void f(int n){int i;double t;\n#pragma omp parallel private(i,t)\n{\n#pragma omp for\n"
     "for(i=0;i<n;i++){t=a[i];b[i]=t*2;}}}", []),
    ("double a[100];double f(int n){int i;double s=0;\n#pragma omp parallel private(i) reduction(+:s)\n{\n"
     "#pragma omp for nowait\nfor(i=0;i<n;i++) s=s+a[i];}\nreturn s;}", []),
    # names declared in the region are private to each thread, unless static
    ("double a[100],b[100];void f(int n){\n#pragma omp parallel\n{int i;double t;\n#pragma omp for\n"
     "for(i=0;i<n;i++){t=a[i];b[i]=t*2;}}}", []),
    ("double a[100],b[100];void f(int n){\n#pragma omp parallel\n{int i;static double t;\n#pragma omp for\n"
     "for(i=0;i<n;i++){t=a[i];b[i]=t*2;}}}", [("RACE-MISSING-PRIVATE", "t")]),
    # an orphaned 'omp for': the function's locals live on each thread's stack
    ("double a[100],b[100];void g(int n){int i;double t;\n#pragma omp for\nfor(i=0;i<n;i++){t=a[i];b[i]=t*2;}}\n"
     "void f(int n){\n#pragma omp parallel\ng(n);}", []),
    # ... but simd lanes share them
    ("void g(int n){int i;int a[100];\n#pragma omp simd\nfor(i=0;i<99;i++) a[i+1]=a[i]+1;}", [("RACE-DEPENDENCE", "a")]),
    # a clause list continued over two lines
    ("double a[100],b[100];void f(int n){int i;double t,u;\n#pragma omp parallel for private(i, \\\n t,u)\n"
     "for(i=0;i<n;i++){t=a[i];u=t;b[i]=u*2;}}", []),
    # an integer constant macro built from others
    ("#define NDIM 3\n#define NVAR (NDIM+2)\nvoid f(int n,double*out,const double*in){\n#pragma omp parallel for\n"
     "for(int i=0;i<n;i++){out[i*NVAR+0]=in[i];out[i*NVAR+(1+0)]=in[i];}}", []),
])
def test_static_check_respects_the_context_of_the_loop(code, expected):
    assert [(c, v) for c, v in findings(code)] == expected


def test_threadprivate_in_a_local_header(tmp_path):
    (tmp_path / "h.h").write_text("extern double ts;\n#pragma omp threadprivate(ts)\n")
    src = tmp_path / "t.c"
    src.write_text('#include "h.h"\ndouble ts;double a[100];\nvoid f(int n){int i;\n#pragma omp parallel for private(i)\n'
                   "for(i=0;i<n;i++){ts=i;a[i]=ts;}}\n")
    rep = check_races(str(src), False)
    assert rep.findings == []
