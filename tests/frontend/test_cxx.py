"""C++ as real projects write it: conversions are not calls, headers and '.C' files are read."""
from ompwise import analyze_source
from ompwise.api import Options, analyze_paths
from ompwise.frontend import ir
from ompwise.frontend.parse import language_for, parse_source
from ompwise.frontend.walk import exprs_by_type


def _calls(text: str) -> list[str]:
    tu = parse_source(text.encode(), "t.cpp", "cpp")
    return [c.text for f in tu.functions for c in exprs_by_type(f.body).get(ir.Call, ())]


def test_functional_casts_are_conversions():
    text = ("#include <cstdint>\ntypedef double Real_t;\ntemplate <typename T> T f(T *a, int i) {\n"
            "  return a[i] * float(2) + Real_t(0.5) + T(0) + unsigned(i) + std::int64_t(i) + size_t(1) + g(i);\n}\n")
    assert _calls(text) == ["g(i)"]


def test_a_local_named_like_a_type_is_still_called():
    assert _calls("typedef double R;\nvoid f(){ auto T = [](int x){return x;}; int y = T(1); }") == ["T(1)"]


def test_the_issue_loop_with_conversions_is_parallel():
    text = "typedef double Real_t;\nvoid scale2(Real_t* a, int n) {\n  for (int i = 0; i < n; ++i)\n    a[i] = a[i] * float(2) + Real_t(0.5);\n}\n"
    fa = analyze_source(text.encode(), "s.cpp", "cpp")
    assert fa.loops[0].parallelizable and fa.loops[0].pragma == "#pragma omp parallel for"


def test_upper_case_extensions_are_cpp():
    assert language_for("x.C") == "cpp" and language_for("x.H") == "cpp" and language_for("x.h") == "c"


def test_directory_mode_reads_headers_as_cpp_in_a_cpp_project(tmp_path):
    (tmp_path / "main.cpp").write_text('#include "kernels.h"\nint main() { return 0; }\n')
    (tmp_path / "kernels.h").write_text("template <typename T> void axpy(T *y, const T *x, T a, int n) {\n"
                                        "  for (int i = 0; i < n; i++) y[i] += a * x[i];\n}\n")
    results, errors = analyze_paths([str(tmp_path)], Options())
    assert not errors
    header = next(fa for fa in results if fa.path.endswith("kernels.h"))
    assert header.language == "cpp" and not header.errors and len(header.loops) == 1
