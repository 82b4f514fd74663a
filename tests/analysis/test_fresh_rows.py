"""Rows an iteration allocates itself (analysis/fresh.py): 'a[i] = new T; ... a[i][k]' touches
memory no other iteration can name. Variants where the row is not the iteration's own stay
blocked (or keep their stated assumption)."""
from tests.conftest import loops_of

# grappolo's buildNextPhase.cpp:120: one map per cluster, each with its self loop
MAPS = """
#include <map>
using namespace std;
void f(long n) {
    map<long,double>** cluPtrIn = (map<long,double>**) malloc (n*sizeof(map<long,double>*));
    for (long i=0; i<n; i++) {
        cluPtrIn[i] = new map<long,double>();
        (*(cluPtrIn[i]))[i] = 0;
    }
}
"""

ROWS = """
void f(long n, double **a, double **b) {
    for (long i=0; i<n; i++) {
        a[i] = new double[4];
        a[i][0] = 0; a[i][1] = a[i][0] + 1;
    }
}
"""


def _codes(loop):
    return [r.code for r in loop.reasons]


def test_map_allocated_by_the_iteration():
    a = loops_of(MAPS, "cpp")[0]
    assert a.parallelizable, a.reasons


def test_map_operator_index_on_an_own_row():
    code = MAPS.replace("(*(cluPtrIn[i]))[i] = 0;", "cluPtrIn[i][0][i] = 0;")
    assert loops_of(code, "cpp")[0].parallelizable


def test_rows_allocated_need_no_assumption():
    a = loops_of(ROWS, "cpp")[0]
    assert a.parallelizable and "ALIAS-ASSUMED" not in _codes(a)


def test_map_not_allocated_here():
    # the maps exist before the loop: operator[] on them is shared unless they differ
    code = MAPS.replace("cluPtrIn[i] = new map<long,double>();", "")
    assert not loops_of(code, "cpp")[0].parallelizable


def test_previous_iterations_row():
    # a[i-1] is the row the previous iteration allocated, which it is writing
    code = ROWS.replace("a[i][1] = a[i][0] + 1;", "if (i > 0) a[i-1][1] = 1;")
    a = loops_of(code, "cpp")[0]
    assert not a.parallelizable or "ALIAS-ASSUMED" in _codes(a)


def test_row_used_before_its_allocation():
    code = ROWS.replace("a[i] = new double[4];\n        a[i][0] = 0;", "a[i][0] = 0;\n        a[i] = new double[4];")
    a = loops_of(code, "cpp")[0]
    assert not a.parallelizable or "ALIAS-ASSUMED" in _codes(a)


def test_allocation_under_a_condition():
    code = ROWS.replace("a[i] = new double[4];", "if (n > 3) a[i] = new double[4];")
    a = loops_of(code, "cpp")[0]
    assert not a.parallelizable or "ALIAS-ASSUMED" in _codes(a)


def test_row_replaced_by_a_shared_one():
    # after 'a[i] = b[0]' every iteration writes the same row
    code = ROWS.replace("a[i][0] = 0;", "a[i] = b[0]; a[i][0] = 0;")
    a = loops_of(code, "cpp")[0]
    assert not a.parallelizable or "ALIAS-ASSUMED" in _codes(a)
    code = MAPS.replace("(*(cluPtrIn[i]))[i] = 0;", "cluPtrIn[i] = cluPtrIn[0]; (*(cluPtrIn[i]))[i] = 0;")
    assert not loops_of(code, "cpp")[0].parallelizable


def test_row_set_to_null():
    code = MAPS.replace("new map<long,double>()", "0")
    assert not loops_of(code, "cpp")[0].parallelizable
