"""Copies between planes over a window table (analysis/windows.py): sw4lite's periodic
boundaries (ew-cfromfort.C:389) copy plane k + nz into plane k for k in a window read from
'wind'. Legal only on a stated condition (the window spans fewer than nz planes); the same
shift over bounds the code shows, or of another shape, stays a dependence."""
from tests.conftest import loops_of

PERIODIC = """
void f(double *u, int s, int ib, int ie, int jb, int je, int kb, int ke, int nz, int wind[36])
{
  const int ni = ie-ib+1;
  const int nij = ni*(je-jb+1);
  for( int k=wind[4+6*s]; k <= wind[5+6*s] ; k++ )
    for( int j=wind[2+6*s]; j <= wind[3+6*s] ; j++ )
      for( int i=wind[6*s]; i <= wind[1+6*s] ; i++ )
      {
        int ind = i-ib+ni*(j-jb)+nij*(k-kb);
        int indp= ind+nij*nz;
        u[3*ind  ] = u[3*indp];
        u[3*ind+1] = u[3*indp+1];
        u[3*ind+2] = u[3*indp+2];
      }
}
"""


def _window(loop):
    return [r for r in loop.reasons if r.code == "BOUNDS-ASSUMED" and "window" in r.message]


def test_plane_copy_over_a_window_is_a_stated_condition():
    a = loops_of(PERIODIC)[0]
    assert a.parallelizable
    w = _window(a)
    assert w and "nz" in w[0].message and "wind[5+6*s]" in w[0].message
    assert a.confidence < 0.9


def test_components_apart_by_a_stride():
    # sw4lite's 'u[ind + npts]' layout (ew-cfromfort.C:657): the component is the largest stride
    code = PERIODIC.replace("u[3*ind  ] = u[3*indp];", "u[ind] = u[indp];") \
        .replace("u[3*ind+1] = u[3*indp+1];", "u[ind+npts] = u[indp+npts];") \
        .replace("u[3*ind+2] = u[3*indp+2];", "u[ind+2*npts] = u[indp+2*npts];") \
        .replace("const int nij = ni*(je-jb+1);", "const int nij = ni*(je-jb+1);\n  const int npts = nij*(ke-kb+1);")
    a = loops_of(code)[0]
    assert a.parallelizable and _window(a)


def test_shift_over_visible_bounds_stays_blocked():
    # the planes 0 .. nk-1: whether nk <= nz is nothing the layout promises
    code = PERIODIC.replace("int k=wind[4+6*s]; k <= wind[5+6*s]", "int k=0; k < ke")
    a = loops_of(code)[0]
    assert not a.parallelizable and a.reasons[0].code == "DEP-CARRIED"


def test_one_dimensional_shift_stays_blocked():
    code = "void f(double *a, int n, int *w) { for (int i = w[0]; i <= w[1]; i++) a[i + n] = a[i]; }"
    a = loops_of(code)[0]
    assert not a.parallelizable and a.reasons[0].code == "DEP-CARRIED"


def test_constant_shift_stays_blocked():
    # two planes apart: a dependence whenever the window spans three planes, no parameter to state
    code = PERIODIC.replace("int indp= ind+nij*nz;", "int indp= ind+nij*2;")
    assert not loops_of(code)[0].parallelizable


def test_shift_within_the_plane_too():
    # the read is also one row over: the pair differs in two parts
    code = PERIODIC.replace("int indp= ind+nij*nz;", "int indp= ind+nij*nz+ni*nz;")
    a = loops_of(code)[0]
    assert not a.parallelizable or not _window(a)


def test_window_table_written_in_the_loop():
    code = PERIODIC.replace("u[3*ind+2] = u[3*indp+2];", "u[3*ind+2] = u[3*indp+2]; wind[0] = i;")
    assert not loops_of(code)[0].parallelizable
