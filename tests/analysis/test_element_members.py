"""Members written through the element a pointer expression designates: 'a[i]->m' is
'a[i][0].m' (rows of an array of pointers, on the stated assumption that they do not overlap),
'(p + i)->m' is 'p[i].m'. A chain ('a[i]->next->m') may reach any element: still shared."""
from tests.conftest import loops_of

NODE = "struct node { int degree; struct node *next; };\n"


def _one(body, params="struct node **nodes, struct node *p, int n", lang="c"):
    return loops_of(NODE + f"void f({params}) {{\n  for (int i = 0; i < n; i++) {body}\n}}\n", lang)[0]


def _codes(a):
    return [r.code for r in a.reasons]


def test_array_of_pointers_member_write_states_the_rows_assumption():
    a = _one("nodes[i]->degree++;")
    assert a.pragma is not None, a.reasons
    assert any("rows of 'nodes'" in r.message for r in a.reasons if r.code == "ALIAS-ASSUMED")


def test_pointer_plus_index_member_is_the_element():
    assert _one("(p + i)->degree = i;").pragma is not None


def test_neighbouring_elements_are_a_dependence():
    a = _one("(p + i)->degree = (p + i + 1)->degree;")
    assert not a.parallelizable and "DEP-CARRIED" in _codes(a)
    b = _one("nodes[i]->degree = nodes[i + 1]->degree;")
    assert not b.parallelizable and "DEP-CARRIED" in _codes(b)


def test_one_element_in_every_iteration_is_a_dependence():
    a = _one("nodes[0]->degree += i;")
    assert not a.parallelizable


def test_a_chain_anywhere_in_the_loop_keeps_the_write_shared():
    a = _one("{ nodes[i]->degree = nodes[i]->next->degree + 1; }")
    assert not a.parallelizable
    b = _one("nodes[i]->next->degree++;")
    assert not b.parallelizable


def test_member_array_of_pointers_states_the_rows_assumption():
    a = loops_of("""
struct G { double **rows; int n; };
void f(struct G *g, int n) {
  for (int i = 0; i < n; i++) g->rows[i][0] = 1;
}
""")[0]
    assert a.pragma is not None
    assert any("rows of 'g->rows'" in r.message for r in a.reasons)


def test_member_true_two_dimensional_array_needs_no_assumption():
    a = loops_of("""
struct G { double m[16][16]; };
void f(struct G *g) {
  for (int i = 0; i < 16; i++) g->m[i][0] = 1;
}
""")[0]
    assert a.parallelizable and not any(r.code == "ALIAS-ASSUMED" and "rows" in r.message for r in a.reasons)


def test_unknown_call_in_the_bound_is_unsettled_not_a_proof():
    from ompwise.reasons import all_unsettled
    a = loops_of("""
int size(void);
void f(double *a) {
  for (int i = 0; i < size(); i++) a[i] = 0;
}
""")[0]
    assert not a.parallelizable
    assert "CALL-UNKNOWN" in _codes(a) and all_unsettled(a.legality.blockers)


def test_a_row_of_a_pointer_array_held_in_a_local():
    # 'double *row = A[i]' with 'double **A': the row, on the rows' assumption (it was taken as one
    # shared pointer, a proven dependence)
    a = loops_of("""
void f(double **A, int n, int m) {
  for (int i = 0; i < n; i++) {
    double *row = A[i];
    for (int j = 0; j < m; j++) row[j] = row[j] * 2;
  }
}
""")[0]
    assert a.pragma is not None, a.reasons
    assert any("rows of 'A'" in r.message for r in a.reasons)


def test_row_pointer_of_the_next_iteration_is_a_dependence():
    a = loops_of("""
void f(double **A, int n) {
  for (int i = 0; i < n - 1; i++) { double *row = A[i + 1]; A[i][0] = row[0]; }
}
""")[0]
    assert not a.parallelizable


def test_slots_written_in_the_loop_keep_row_loads_with_the_rows():
    a = loops_of("""
void f(double **A, double **B, int n) {
  for (int i = 0; i < n - 1; i++) { A[i] = B[i]; A[i][0] += A[i + 1][0]; }
}
""")[0]
    assert not a.parallelizable


def test_two_rows_into_one_object_are_not_apart():
    a = loops_of("""
void f(double *b, int n, int m) {
  double *A[2] = {b, b};
  for (int i = 0; i < 2; i++) {
    double *row = A[i];
    for (int j = 0; j < m; j++) row[j] += 1;
  }
}
""")[0]
    assert a.pragma is None
