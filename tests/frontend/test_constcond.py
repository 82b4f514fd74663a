"""`if` conditions the preprocessor decides (frontend/constcond.py): the branch ruled out is no
code of the loop around it, and its loops are still reported."""
from ompwise.api import Options, analyze_source
from tests.conftest import loops_of

DEBUG = """#include <stdio.h>
#define DEBUG %s
#define LEVEL (DEBUG)
void f(double *restrict a, int n) {
  for (int i = 0; i < n; i++) {
    a[i] = i;
    if (LEVEL > 1) printf("%%d\\n", i);
  }
}
"""


def test_debug_print_under_a_false_macro_is_dead():
    a = loops_of(DEBUG % "0")[0]
    assert a.pragma is not None, a.reasons


def test_debug_print_under_a_true_macro_is_io():
    a = loops_of(DEBUG % "2")[0]
    assert a.pragma is None and "IO" in [r.code for r in a.reasons]


def test_a_macro_the_file_does_not_define_is_not_decided():
    a = loops_of(DEBUG.replace("#define DEBUG %s\n", ""))[0]
    assert a.pragma is None


def test_a_guarded_default_is_decided_by_dash_d_only():
    # '#ifndef DEBUG / #define DEBUG 0': a header or the build may define it first
    src = DEBUG.replace("#define DEBUG %s\n", "#ifndef DEBUG\n#define DEBUG 0\n#endif\n").encode()
    assert analyze_source(src, "t.c", "c", Options(model=None)).loops[0].pragma is None
    off = analyze_source(src, "t.c", "c", Options(model=None, defines=("DEBUG=0",)))
    assert off.loops[0].pragma is not None
    on = analyze_source(src, "t.c", "c", Options(model=None, defines=("DEBUG=3",)))
    assert on.loops[0].pragma is None


def test_else_branch_of_a_true_condition_is_dead_and_loops_inside_dead_code_are_reported():
    code = """#include <stdio.h>
void f(double *restrict a, int n) {
  for (int i = 0; i < n; i++) {
    if (1) a[i] = i;
    else { printf("x"); for (int j = 0; j < n; j++) a[j] = 0; }
  }
}
"""
    loops = loops_of(code)
    assert len(loops) == 2
    assert loops[0].pragma is not None, loops[0].reasons
