"""`ompwise races`: the static check on annotated loops, Archer on programs, CLI exit codes."""
import json
import shutil

import pytest

from ompwise import analyze_source
from ompwise.cli import main
from ompwise.races import check_races, static_findings
from ompwise.verify.program import archer_available


def findings(code: str):
    return [(f.code, f.variable) for f in static_findings(analyze_source(code.encode(), "t.c", "c"))]


HEAD = "double a[1000], b[1000];\nint main(void) {\n  int i, j; double t = 0, s = 0;\n"


@pytest.mark.parametrize("body,expected", [
    ("#pragma omp parallel for\n  for (i = 0; i < 999; i++) a[i] = a[i + 1];\n", [("RACE-DEPENDENCE", "a")]),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) { t = a[i]; b[i] = t * 2; }\n", [("RACE-MISSING-PRIVATE", "t")]),
    ("#pragma omp parallel for private(t)\n  for (i = 0; i < 1000; i++) { t = a[i]; b[i] = t * 2; }\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) s += a[i];\n", [("RACE-MISSING-REDUCTION", "s")]),
    ("#pragma omp parallel for reduction(+:s)\n  for (i = 0; i < 1000; i++) s += a[i];\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 30; i++) for (j = 0; j < 30; j++) a[i * 30 + j] = 0;\n", [("RACE-MISSING-PRIVATE", "j")]),
    ("#pragma omp parallel for collapse(2)\n  for (i = 0; i < 30; i++) for (j = 0; j < 30; j++) a[i * 30 + j] = 0;\n", []),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) {\n#pragma omp critical\n    s += a[i];\n  }\n", []),
    ("#pragma omp simd safelen(4)\n  for (i = 4; i < 1000; i++) a[i] = a[i - 4] + 1;\n", []),
    ("#pragma omp simd\n  for (i = 1; i < 1000; i++) a[i] = a[i - 1] + 1;\n", [("RACE-DEPENDENCE", "a")]),
    ("#pragma omp parallel for\n  for (i = 0; i < 1000; i++) a[i] = b[i] + 1;\n", []),
])
def test_static_check(body, expected):
    assert findings(HEAD + body + "  return (int)(s + t);\n}\n") == expected


def test_unannotated_loops_are_not_checked():
    assert findings(HEAD + "  for (i = 0; i < 999; i++) a[i] = a[i + 1];\n  return 0;\n}\n") == []


@pytest.mark.skipif(not archer_available(), reason="clang-14 with libarcher not installed")
def test_archer_finds_race_in_parallel_region(tmp_path):
    p = tmp_path / "r.c"
    p.write_text("#include <stdio.h>\n#include <omp.h>\nint main(void) {\n  int x = 0;\n"
                 "#pragma omp parallel num_threads(2)\n  {\n    x = omp_get_thread_num();\n  }\n"
                 "  printf(\"%d\\n\", x);\n  return 0;\n}\n")
    rep = check_races(str(p))
    assert rep.race and rep.dynamic == "race"
    f = [x for x in rep.findings if x.check == "archer"][0]
    assert f.line == 7 and f.variable == "x"


def test_cli_races_json_and_exit_codes(tmp_path, capsys):
    racy = tmp_path / "racy.c"
    racy.write_text(HEAD + "#pragma omp parallel for\n  for (i = 0; i < 999; i++) a[i] = a[i + 1];\n  return 0;\n}\n")
    clean = tmp_path / "clean.c"
    clean.write_text(HEAD + "#pragma omp parallel for\n  for (i = 0; i < 999; i++) a[i] = b[i];\n  return 0;\n}\n")
    assert main(["races", "--static-only", "--format", "json", str(racy), str(clean)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [f["race"] for f in doc["files"]] == [True, False]
    f = doc["files"][0]["findings"][0]
    assert f["line"] == 5 and f["variable"] == "a" and f["check"] == "static" and f["code"] == "RACE-DEPENDENCE"
    assert main(["races", "--static-only", str(clean)]) == 0
    assert main(["races", str(tmp_path / "missing.c")]) == 2


@pytest.mark.skipif(not archer_available(), reason="clang-14 with libarcher not installed")
def test_parallelize_verify_drops_the_pragma_that_fails(tmp_path, capsys):
    src = tmp_path / "alias.c"
    src.write_text("#include <stdio.h>\n#define N 200000\ndouble a[N];\n"
                   "void shift(int n, double *x, double *y) {\n  for (int i = 0; i < n; i++)\n    x[i] = y[i] + 1.0;\n}\n"
                   "int main(void) {\n  for (int i = 0; i < N; i++) a[i] = 0;\n  shift(N - 1, a + 1, a);\n"
                   "  double s = 0;\n  for (int i = 0; i < N; i++) s += a[i];\n  printf(\"%.12g\\n\", s);\n  return 0;\n}\n")
    out = tmp_path / "out.c"
    rc = main(["parallelize", str(src), "--verify", "--no-cache", "--no-timing", "-o", str(out),
               "--format", "json"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    loops = {l["line"]: l for l in doc["files"][0]["loops"]}
    assert loops[5]["pragma"] is None and loops[5]["reasons"][0]["code"] in ("VERIFY-MISMATCH", "VERIFY-RACE")
    assert loops[9]["source"] == "verified" and loops[9]["pragma"] == "#pragma omp parallel for"
    assert loops[12]["pragma"] == "#pragma omp parallel for reduction(+:s)"
    text = out.read_text()
    assert text.count("#pragma omp") == 2 and "x[i] = y[i] + 1.0" in text


def region_codes(code: str):
    from ompwise.races import region_findings
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


def test_critical_does_not_protect_across_teams():
    code = ("int var = 0;\nint main(void) {\n#pragma omp target teams distribute parallel for\n  for (int i = 0; i < 100; i++) {\n"
            "#pragma omp critical\n    var++;\n  }\n  return var;\n}\n")
    assert findings(code) == [("RACE-SCALAR", "var")]
    atomic = code.replace("critical", "atomic")
    assert findings(atomic) == []


def test_master_write_read_without_barrier():
    code = ("int main(void) {\n  int init = 0, local;\n#pragma omp parallel shared(init) private(local)\n  {\n"
            "#pragma omp master\n    {\n      init = 10;\n    }\n    local = init;\n  }\n  return 0;\n}\n")
    assert region_codes(code) == [("RACE-MASTER", "init")]
    assert region_codes(code.replace("    local = init;", "#pragma omp barrier\n    local = init;")) == []


def test_affine_guard_makes_dependence_exact():
    code = HEAD + "#pragma omp parallel for\n  for (i = 0; i < 100; i++) {\n    a[i] = i;\n    if (i == 1) a[0] = 1;\n  }\n  return 0;\n}\n"
    assert findings(code) == [("RACE-DEPENDENCE", "a")]
    disjoint = code.replace("if (i == 1) a[0] = 1;", "if (i == 1) b[0] = 1;")
    assert findings(disjoint) == []


def test_lock_does_not_span_teams():
    body = ("#include <omp.h>\nint main(void) {\n  omp_lock_t l; int var = 0;\n  omp_init_lock(&l);\n"
            "#pragma omp target teams distribute parallel for\n  for (int i = 0; i < 100; i++) {\n"
            "    omp_set_lock(&l);\n    var++;\n    omp_unset_lock(&l);\n  }\n  return var;\n}\n")
    assert findings(body) == [("RACE-SCALAR", "var")]
    one_team = body.replace("#pragma omp target teams distribute parallel for",
                            "#pragma omp teams num_teams(1)\n#pragma omp distribute parallel for")
    assert findings(one_team) == []
