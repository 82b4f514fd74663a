"""Linearized subscripts split by their strides (analysis/arrays.py, dependence.split_rows_assumed):
constants declared once per block, strides other accesses show, strides ordered by their
definitions, and a stride that every part above it multiplies (three values per cell)."""
from tests.conftest import loops_of

# sw4lite's free-surface loops (ew-cfromfort.C:423): 'int k=1, kl=1;' in one branch and
# 'int k=nz, kl=-1;' in the other; the plane written (k-kl) is not a plane read (k .. k+3*kl)
FREE_SURFACE = """
void f(double *u, int s, int ib, int ie, int jb, int je, int kb, int ke, int nz, const double *sbop, const double *mu)
{
  const int ni = ie-ib+1;
  const int nij = ni*(je-jb+1);
  if (s == 4) {
    int k=1, kl=1;
    for (int j=jb+2; j <= je-2; j++)
      for (int i=ib+2; i <= ie-2; i++) {
        int ind = i-ib+ni*(j-jb)+nij*(k-kb);
        double uz = 0;
        for (int w=1; w <= 4; w++)
          uz += sbop[w]*u[3*ind+3*nij*kl*(w-1)];
        u[3*ind-3*nij*kl] = -uz/mu[ind];
        u[1+3*ind-3*nij*kl] = u[1+3*ind+3*ni] - u[1+3*ind-3*ni];
      }
  } else {
    int k=nz, kl=-1;
    for (int j=jb+2; j <= je-2; j++)
      for (int i=ib+2; i <= ie-2; i++) {
        int ind = i-ib+ni*(j-jb)+nij*(k-kb);
        double uz = 0;
        for (int w=1; w <= 4; w++)
          uz += sbop[w]*u[3*ind+3*nij*kl*(w-1)];
        u[3*ind-3*nij*kl] = -uz/mu[ind];
      }
  }
}
"""


def test_block_constants_and_strides_of_other_accesses():
    loops = loops_of(FREE_SURFACE)
    first, second = loops[0], loops[3]
    assert first.parallelizable and second.parallelizable
    assumed = [r for r in first.reasons if r.code == "BOUNDS-ASSUMED"]
    # the condition is the layout's: three values per cell, so the strides are 3*nij and 3*ni
    assert assumed and "< 3*nij" in assumed[0].message and "< nij" not in assumed[0].message
    assert first.confidence < 0.9


def test_block_constant_is_the_declaration_in_scope():
    # the same name declared in both branches: the loop sees its own branch's value (1, a
    # dependence), not the other's (0)
    code = ("void f(double*a,int n,int c){if(c){int d=1;for(int i=0;i<n;i++) a[i+d]=a[i];}"
            "else{int d=0;for(int i=0;i<n;i++) a[i+d]=a[i]+1;}}")
    loops = loops_of(code)
    assert not loops[0].parallelizable and loops[0].reasons[0].code == "DEP-CARRIED"
    assert loops[1].parallelizable


def test_block_constant_written_elsewhere_is_no_constant():
    # 'kl' is changed after its declaration (kl == 0 would make the plane written the plane
    # read, a race between rows j and j+1): not taken as 1; a split by a stride with 'kl' in it
    # is only a stated condition that kl*nij is the larger stride, and kl == 0 breaks it
    code = FREE_SURFACE.replace("int k=1, kl=1;", "int k=1, kl=1; kl += s;")
    a = loops_of(code)[0]
    msg = " ".join(r.message for r in a.reasons if r.code == "BOUNDS-ASSUMED")
    assert not a.parallelizable or "kl * nij" in msg
    assert "kl * nij" not in " ".join(r.message for r in loops_of(FREE_SURFACE)[0].reasons)


def test_plane_written_is_read_by_another_iteration():
    # racy: each iteration of k writes plane k-1 of u, which iteration k-1 reads
    code = ("void f(double*u,int ib,int ie,int jb,int je,int kb,int ke){const int ni=ie-ib+1;const int nij=ni*(je-jb+1);"
            "for(int k=kb+1;k<=ke;k++) for(int j=jb;j<=je;j++) for(int i=ib;i<=ie;i++){"
            "int ind=i-ib+ni*(j-jb)+nij*(k-kb);u[3*ind-3*nij]=u[3*ind]+u[3*ind+1];}}")
    a = loops_of(code)[0]
    assert not a.parallelizable and a.reasons[0].code == "DEP-CARRIED"


# sw4lite's Sarray::transposeik (Sarray.C:788): the component stride npts, a local defined as
# the product of the other dimensions, is the largest, though its loop is the innermost
TRANSPOSE = """
void f(double *tmpar, const double *m_data, int m_ni, int m_nj, int m_nk, int m_nc)
{
  long npts = (long)(m_ni)*m_nj*m_nk;
  for (int i=0; i<m_ni; i++)
    for (int j=0; j<m_nj; j++)
      for (int k=0; k<m_nk; k++) {
        long ind = i + m_ni*j + m_ni*m_nj*k;
        long indr = k + m_nk*j + m_nk*m_nj*i;
        for (int c=0; c<m_nc; c++)
          tmpar[npts*c+ind] = m_data[npts*c+indr];
      }
}
"""


def test_stride_order_from_definitions():
    a = loops_of(TRANSPOSE)[0]
    assert a.parallelizable
    msg = " ".join(r.message for r in a.reasons if r.code == "BOUNDS-ASSUMED")
    assert "less than npts" in msg and "less than m_ni * m_nj" in msg


def test_stride_order_from_definitions_racy():
    # racy: every i writes component c = i's whole block
    code = TRANSPOSE.replace("tmpar[npts*c+ind]", "tmpar[npts*c+j+m_ni*k]")
    assert not loops_of(code)[0].parallelizable
