"""A loop over the layers of a halo ('k < depth' around 'j = x_min - depth ... x_max + depth') is
short next to the range it pads: the pragma goes on the loop inside (CloverLeaf's halo kernels)."""
from tests.conftest import loops_of


def _advice(code, lang="c"):
    return [(a.loop.loc.line, a.reasons[0].code, a.pragma) for a in loops_of(code, lang)]


def test_halo_layers_leave_the_pragma_to_the_row_loop():
    got = _advice("""
void top(int x_min, int x_max, int y_max, int depth, double *restrict d, const double *restrict t, int w) {
  for (int k = 0; k < depth; ++k)
    for (int j = x_min - depth + 1; j < x_max + depth + 2; j++)
      d[(y_max + 2 + k) * w + j] = t[(k + 1) * w + j];
}
""")
    assert got[0][1] == "TRIP-SMALL" and got[0][2] is None
    assert got[1][1] == "OMP-PARALLEL" and got[1][2] == "#pragma omp parallel for"


def test_the_reason_names_the_width_and_the_padded_loop():
    a = loops_of("""
void f(int lo, int hi, int depth, double *restrict d, int w) {
  for (int k = 0; k < depth; ++k)
    for (int j = lo - depth; j <= hi + depth; j++)
      d[k * w + j] = 0;
}
""")[0]
    assert "'depth'" in a.reasons[0].message and "loop at 4:5" in a.reasons[0].message


def test_padding_on_one_side_is_not_a_halo():
    # a convolution's 'j < n + m - 1' under 'i < n': the outer loop is as long as the data
    got = _advice("""
void f(int n, int m, double **restrict c, const double *restrict a) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n + m - 1; j++)
      c[i][j] = a[j];
}
""")
    assert got[0][1] == "OMP-PARALLEL"


def test_nothing_but_padding_is_not_a_halo():
    got = _advice("""
void f(int w, double **restrict c) {
  for (int i = 0; i < w; i++)
    for (int j = -w; j < w; j++)
      c[i][j] = 0;
}
""")
    assert got[0][1] == "OMP-PARALLEL"


def test_bounds_that_follow_the_outer_variable_are_not_padding():
    got = _advice("""
void f(int lo, int hi, int d, double **restrict c) {
  for (int k = 0; k < d; k++)
    for (int j = lo - d + k; j < hi + d; j++)
      c[k][j] = 0;
}
""")
    assert got[0][1] != "TRIP-SMALL"


def test_every_loop_inside_must_be_padded():
    got = _advice("""
void f(int lo, int hi, int n, int d, double **restrict c, double **restrict e) {
  for (int k = 0; k < d; k++) {
    for (int j = lo - d; j < hi + d; j++)
      c[k][j] = 0;
    for (int j = 0; j < n; j++)
      e[k][j] = 0;
  }
}
""")
    assert got[0][1] == "OMP-PARALLEL"


def test_the_side_loops_of_a_halo_keep_the_pragma_outside():
    # left and right halos: the outer loop spans the rows, the inner one the layers
    got = _advice("""
void left(int y_min, int y_max, int x_min, int depth, double *restrict d, int w) {
  for (int k = y_min - depth + 1; k < y_max + depth + 2; k++)
    for (int j = 0; j < depth; j++)
      d[k * w + x_min - j] = d[k * w + x_min + 1 + j];
}
""")
    assert got[0][1] == "OMP-PARALLEL" and got[1][1] == "NESTED-INSIDE-PARALLEL"


def test_a_large_constant_part_is_no_halo():
    # 'i < NX + ng': the trip count is the constant, not the width (review break)
    got = _advice("""
#define NX 400000
void fill(double *restrict a, int ng, int jlo, int jhi, int w) {
  for (int i = 0; i < NX + ng; i++)
    for (int j = jlo - ng; j < jhi + ng; j++)
      a[(long)i * w + (j - jlo + ng)] = 0.5 * i + j;
}
""")
    assert got[0][1] == "OMP-PARALLEL"


def test_the_outer_loop_keeps_the_pragma_when_the_inner_one_cannot_take_it():
    got = _advice("""
void lags(int t0, int t1, int maxlag, const double *restrict x, double *restrict res) {
  for (int lag = 0; lag < maxlag; lag++) {
    double v = 0.0;
    for (int t = t0 - maxlag; t < t1 + maxlag; t++)
      v = v * 0.999 + x[t - t0 + maxlag] * (lag + 1);
    res[lag] = v;
  }
}
""")
    assert got[0][1] == "OMP-PARALLEL"


def test_a_shrinking_range_is_no_halo():
    got = _advice("""
void f(int lo, int hi, int w, double **restrict c) {
  for (int k = 0; k < 10 - w; k++)
    for (int j = lo + w; j < hi - w; j++)
      c[k][j] = 0;
}
""")
    assert got[0][1] != "TRIP-SMALL"


def test_a_constant_row_padded_by_a_run_time_width_is_a_halo():
    got = _advice("""
unsigned g[72][72];
void f(int hw) {
  for (int k = 0; k < hw; k++)
    for (int j = 8 - hw; j < 60 + hw; j++)
      g[k][j] = (unsigned)(j * 3 + k);
}
""")
    assert got[0][1] == "TRIP-SMALL" and got[1][1] == "OMP-PARALLEL"


def test_a_short_constant_row_is_no_halo():
    got = _advice("""
unsigned g[72][72];
void f(int hw) {
  for (int k = 0; k < hw; k++)
    for (int j = 8 - hw; j < 12 + hw; j++)
      g[k][j] = (unsigned)(j * 3 + k);
}
""")
    assert got[0][1] != "TRIP-SMALL"
