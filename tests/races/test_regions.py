"""Parallel regions: nowait loops, sections and master blocks."""
from ompwise import analyze_source
from ompwise.races import region_findings


def region_codes(code: str):
    return [(f.code, f.variable) for f in region_findings(analyze_source(code.encode(), "t.c", "c"))]


def test_nowait_then_use_before_barrier():
    code = ("int a[100];\nint main(void) {\n  int i, e = 0;\n#pragma omp parallel\n  {\n#pragma omp for nowait\n"
            "    for (i = 0; i < 100; i++) a[i] = i;\n#pragma omp single\n    e = a[9];\n  }\n  return e;\n}\n")
    assert region_codes(code) == [("RACE-NOWAIT", "a")]
    with_barrier = code.replace("#pragma omp single", "#pragma omp barrier\n#pragma omp single")
    assert region_codes(with_barrier) == []
    without_nowait = code.replace(" nowait", "")
    assert region_codes(without_nowait) == []


def test_sections_writing_the_same_variable():
    code = ("int main(void) {\n  int i = 0;\n#pragma omp parallel sections\n  {\n#pragma omp section\n    i = 1;\n"
            "#pragma omp section\n    i = 2;\n  }\n  return i;\n}\n")
    assert region_codes(code) == [("RACE-SECTIONS", "i")]
    private = code.replace("parallel sections", "parallel sections private(i)")
    assert region_codes(private) == []
    critical = code.replace("    i = 1;", "#pragma omp critical\n    i = 1;").replace("    i = 2;", "#pragma omp critical\n    i = 2;")
    assert region_codes(critical) == []


def test_master_write_read_without_barrier():
    code = ("int main(void) {\n  int init = 0, local;\n#pragma omp parallel shared(init) private(local)\n  {\n"
            "#pragma omp master\n    {\n      init = 10;\n    }\n    local = init;\n  }\n  return 0;\n}\n")
    assert region_codes(code) == [("RACE-MASTER", "init")]
    assert region_codes(code.replace("    local = init;", "#pragma omp barrier\n    local = init;")) == []
