"""Loop rows of one file: facts from the stripped file, labels from the authors' pragmas."""
from ompwise.corpus.extract import file_rows, pragma_labels
from ompwise.corpus.schema import NAMES
from ompwise.frontend.ir import OmpPragma

SOURCE = """#include <stdio.h>
double a[100], b[100];
void f(int n, double *x) {
  double s = 0; int i, j;
  #pragma omp parallel for reduction(+:s) \\
      schedule(dynamic, 4)
  for (i = 0; i < n; i++) {
    s += a[i];
  }
  #pragma omp parallel
  {
    #pragma omp for private(j) nowait
    for (i = 0; i < 10; i++)
      for (j = 0; j < 10; j++) b[i] = b[i] + j;
  }
  for (i = 1; i < n; i++) x[i] = x[i-1] + printf("%d", i);
}
"""


def rows():
    return file_rows(SOURCE, "c", {"repo": "o/r", "commit": "c0", "path": "k.c", "sha256": "s"})


def test_every_row_has_exactly_the_schema_columns():
    rs = rows()
    assert len(rs) == 4
    assert all(set(r) == set(NAMES) for r in rs)


def test_labels_come_from_the_authors_pragma_and_facts_from_the_stripped_code():
    first, outer, inner, last = rows()
    assert first["l_omp"] and first["l_directive"] == "parallel for"
    assert first["l_reduction"] == ["+:s"] and first["l_schedule"] == "dynamic" and first["l_chunk"] == "4"
    assert first["f_parallel"] and first["f_reduction"] == ["+:s"]
    assert "pragma" not in first["code"] and first["code"].startswith("for (i = 0; i < n; i++)")
    assert outer["l_directive"] == "for" and outer["l_nowait"] and outer["l_private"] == ["j"]
    assert outer["f_in_region"] and outer["f_children"] == 1 and outer["f_height"] == 2 and outer["f_trip_count"] == 10
    assert not inner["l_omp"] and inner["f_depth"] == 1 and inner["f_first_reason"] == "DEP-CARRIED"
    assert not last["f_parallel"] and last["f_first_reason"] == "IO" and last["f_calls"] == ["printf"]
    assert not last["f_in_region"] and last["f_position"] == 2


def test_function_code_is_the_enclosing_function_without_pragmas():
    r = rows()[0]
    assert r["function_code"].startswith("void f(int n, double *x) {") and r["function_code"].endswith("}")
    assert "#pragma" not in r["function_code"]


def test_a_parallel_region_on_the_loop_is_not_a_worksharing_label():
    out = pragma_labels(OmpPragma("omp parallel num_threads(4)", 1, "parallel", "num_threads(4)"))
    assert not out["l_omp"] and out["l_directive"] == "parallel"
    ws = pragma_labels(OmpPragma("omp target teams distribute parallel for collapse(2)", 1, "", ""))
    assert ws["l_omp"] and ws["l_directive"] == "target teams distribute parallel for" and ws["l_collapse"] == 2
    assert pragma_labels(OmpPragma("omp taskloop num_threads(2)", 1, "", ""))["l_omp"]


def test_cpp_files_are_read_as_cpp():
    src = "#include <vector>\nvoid g(std::vector<double>& v) {\n#pragma omp simd\n  for (size_t i = 0; i < v.size(); ++i) v[i] *= 2;\n}\n"
    (r,) = file_rows(src, "cpp", {"path": "g.cpp"})
    assert r["lang"] == "cpp" and r["l_directive"] == "simd" and r["l_omp"]
