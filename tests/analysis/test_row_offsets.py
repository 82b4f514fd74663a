"""Row loops of CSR-like offset arrays (analysis/csr.py): rows counted from a start
('start = b > 0 ? P[b-1] : 0; for (k = 0; k < P[b] - start; k++) a[start + k]'), several
elements per position, and the variants that are not rows and must stay blocked."""
from tests.conftest import loops_of

# miniMD's sort (atom.cpp:391): each bin's atoms copied to positions [binpos[b-1], binpos[b])
BINS = """
#define PAD 4
void f(double *new_x, const double *old_x, int *new_type, const int *old_type, const int *binpos,
       const int *bins, int mbins, int atoms_per_bin)
{
  for(int mybin = 0; mybin<mbins; mybin++) {
    const int start = mybin>0?binpos[mybin-1]:0;
    const int count = binpos[mybin] - start;
    for(int k=0; k<count; k++) {
      const int new_i = start+k;
      const int old_i = bins[mybin*atoms_per_bin+k];
      new_x[new_i*PAD+0] = old_x[old_i*PAD+0];
      new_x[new_i*PAD+1] = old_x[old_i*PAD+1];
      new_x[new_i*PAD+2] = old_x[old_i*PAD+2];
      new_type[new_i] = old_type[old_i];
    }
  }
}
"""


def _codes(loop):
    return [r.code for r in loop.reasons]


def test_rows_counted_from_their_start():
    a = loops_of(BINS)[0]
    assert a.parallelizable
    assert "MONOTONIC-ASSUMED" in _codes(a)
    assert any("binpos" in r.message for r in a.reasons if r.code == "MONOTONIC-ASSUMED")
    assert a.confidence < 0.9


def test_start_without_first_row_choice():
    code = BINS.replace("mybin>0?binpos[mybin-1]:0", "binpos[mybin-1]").replace("int mybin = 0", "int mybin = 1")
    assert loops_of(code)[0].parallelizable


def test_first_row_condition_swapped():
    code = BINS.replace("mybin>0?binpos[mybin-1]:0", "mybin==0?0:binpos[mybin-1]")
    assert loops_of(code)[0].parallelizable


def test_condition_true_on_the_first_row_too():
    # 'mybin >= 0' takes binpos[-1] on row 0: no first-row choice, no rule
    code = BINS.replace("mybin>0?", "mybin>=0?")
    assert not loops_of(code)[0].parallelizable


def test_several_rows_take_the_other_branch():
    # from mybin = -1, the rows -1 and 0 both start at 0: they overlap
    code = BINS.replace("int mybin = 0", "int mybin = -1")
    assert not loops_of(code)[0].parallelizable
    code = BINS.replace("mybin>0?", "mybin>1?")
    assert not loops_of(code)[0].parallelizable


def test_count_to_the_next_row():
    # [binpos[b-1], binpos[b+1]): two rows, overlapping the next iteration's
    code = BINS.replace("binpos[mybin] - start", "binpos[mybin+1] - start")
    assert not loops_of(code)[0].parallelizable


def test_element_beyond_the_position():
    # new_i*4 + 4 is the next position's first element, which the next row may write
    code = BINS.replace("new_x[new_i*PAD+1]", "new_x[new_i*PAD+4]")
    a = loops_of(code)[0]
    assert not a.parallelizable and "new_x" in a.reasons[0].message


def test_position_without_the_start():
    # 'new_x[k]' is the same elements for every bin
    code = BINS.replace("const int new_i = start+k;", "const int new_i = k;")
    assert not loops_of(code)[0].parallelizable


def test_offsets_written_in_the_loop():
    code = BINS.replace("const int *binpos", "int *binpos").replace(
        "new_type[new_i] = old_type[old_i];", "new_type[new_i] = old_type[old_i]; binpos[mybin] = 0;")
    assert not loops_of(code)[0].parallelizable


def test_start_assigned_inside_the_row_loop():
    # the bound reads 'start' before the row loop assigns it: not a row start
    code = """
void f(double *x, const int *P, int n) {
  for (int b = 1; b < n; b++) {
    int start = 0;
    for (int k = 0; k < P[b] - start; k++) { start = P[b-1]; x[start + k] = 1.0; }
  }
}"""
    assert not loops_of(code)[0].parallelizable


def test_offsets_row_with_several_elements_per_position():
    # the classic form, 'for (k = P[j]; k < P[j+1]; k++)', with three values per position
    code = ("void f(double *x, const int *P, int n) { for (int j = 0; j < n; j++)"
            " for (int k = P[j]; k < P[j+1]; k++) { x[3*k] = 1.0; x[3*k+1] = 2.0; x[3*k+2] = 3.0; } }")
    assert loops_of(code)[0].parallelizable
    bad = code.replace("x[3*k+2]", "x[3*k+3]")
    assert not loops_of(bad)[0].parallelizable
