"""Pragmas read after macro expansion, and malformed or impossible pragmas (PRAGMA-INVALID)."""
import json

import pytest

from ompwise import Options
from ompwise.cli import main
from ompwise.races import check_races

LOOP = ("double a[100], b[100];\nint main(void) {\n  int i, j; double t = 0, s = 0;\nPRAGMA\n"
        "  for (i = 0; i < 10; i++) for (j = 0; j < 10; j++) { t = a[i * 10 + j]; b[i * 10 + j] = t; s += t; }\n"
        "  return (int)s;\n}\n")


def run(tmp_path, pragma, defines=(), header=None):
    if header is not None:
        (tmp_path / "omp_macros.h").write_text(header)
    src = tmp_path / "t.c"
    src.write_text(('#include "omp_macros.h"\n' if header is not None else "\n") + LOOP.replace("PRAGMA", pragma))
    rep = check_races(str(src), False, Options(defines=tuple(defines)))
    assert not rep.errors
    return [(f.code, f.variable, f.line, f.column) for f in rep.findings]


CLEAN = "#pragma omp parallel for private(j, t) reduction(+:s)"


def test_macros_in_pragmas_are_expanded(tmp_path):
    racy = run(tmp_path, "#pragma omp parallel for reduction(+:s)")
    assert ("RACE-MISSING-PRIVATE", "t", 6, 55) in racy
    assert run(tmp_path, "#define PRIV private(j, t)\n#pragma omp parallel for PRIV reduction(+:s)") == []
    assert run(tmp_path, "#define RED(v) reduction(+:v)\n#pragma omp parallel for private(j, t) RED(s)") == []
    assert run(tmp_path, "#pragma omp parallel for PRIV reduction(+:s)", header="#define PRIV private(j, t)\n") == []
    assert run(tmp_path, "#pragma omp parallel for PRIV reduction(+:s)", defines=["PRIV=private(j,t)"]) == []
    assert run(tmp_path, "#define PF parallel for\n#pragma omp PF private(j, t) reduction(+:s)") == []
    assert run(tmp_path, "#define TWO 2\n#pragma omp parallel for collapse(TWO) private(t) reduction(+:s)") == []
    assert run(tmp_path, CLEAN) == []


def test_undefined_name_in_clause_position(tmp_path):
    found = run(tmp_path, "#pragma omp parallel for PRIV reduction(+:s)")
    assert ("PRAGMA-INVALID", "PRIV", 5, 26) in found
    # the compiler ignores the unknown name: the loop still races on the variables it left shared
    assert ("RACE-MISSING-PRIVATE", "t", 6, 55) in found
    assert ("PRAGMA-INVALID", "paralel", 5, 1) in run(tmp_path, "#pragma omp paralel for private(j, t) reduction(+:s)")


@pytest.mark.parametrize("pragma,name,column", [
    ("#pragma omp parallel for private(j, t reduction(+:s)", "private", 26),  # unbalanced parentheses
    ("#pragma omp parallel for private(j, t)) reduction(+:s)", ")", 39),
    ("#pragma omp parallel for private(j, t) reduction(**:s)", "reduction", 40),  # unknown operator
    ("#pragma omp parallel for private(j, t) reduction(+:s) collapse(5)", "collapse", 1),  # deeper than the nest
    ("#pragma omp parallel for private() private(j, t) reduction(+:s)", "private", 26),  # empty list
    ("#pragma omp parallel for private(j, t) reduction(+:s) shedule(static)", "shedule", 55),  # unknown clause
])
def test_malformed_pragmas(tmp_path, pragma, name, column):
    found = [f for f in run(tmp_path, pragma) if f[0] == "PRAGMA-INVALID"]
    assert found == [("PRAGMA-INVALID", name, 5, column)]


def test_collapse_counts_perfectly_nested_loops(tmp_path):
    src = tmp_path / "c.c"
    src.write_text("double a[100], b[10];\nvoid f(void) {\n#pragma omp parallel for collapse(2)\n"
                   "  for (int i = 0; i < 10; i++) {\n    b[i] = 0;\n    for (int j = 0; j < 10; j++) a[i * 10 + j] = 1;\n"
                   "  }\n#pragma omp parallel for collapse(2)\n  for (int i = 0; i < 10; i++) {\n"
                   "    for (int j = 0; j < 10; j++) a[i * 10 + j] = 1;\n  }\n}\n")
    rep = check_races(str(src), False)
    assert [(f.code, f.line) for f in rep.findings] == [("PRAGMA-INVALID", 3)]
    assert "only 1 loop is perfectly nested at line 4" in rep.findings[0].message
    assert "clang accepts them from OpenMP 5.0" in rep.findings[0].message


def test_declared_reduction_and_directives_without_clauses(tmp_path):
    src = tmp_path / "d.c"
    src.write_text("int g;\n#pragma omp threadprivate(g)\n"
                   "#pragma omp declare reduction(mx : int : omp_out = omp_out > omp_in ? omp_out : omp_in)\n"
                   "int f(int *v, int n) {\n  int m = 0;\n#pragma omp parallel for reduction(mx: m)\n"
                   "  for (int i = 0; i < n; i++) m = m > v[i] ? m : v[i];\n#pragma omp flush(m)\n  return m;\n}\n")
    assert check_races(str(src), False).findings == []


def test_cli_reports_invalid_pragma_as_a_finding_not_a_race(tmp_path, capsys):
    src = tmp_path / "p.c"
    src.write_text(LOOP.replace("PRAGMA", "#pragma omp parallel for private(j, t) reduction(**:s)"))
    assert main(["races", "--static-only", "--format", "json", str(src)]) == 1
    doc = json.loads(capsys.readouterr().out)["files"][0]
    assert doc["race"] is False and [f["code"] for f in doc["findings"]] == ["PRAGMA-INVALID"]
    assert main(["races", "--static-only", str(src)]) == 1
    out = capsys.readouterr().out
    assert f"{src}:4:40: warning: unknown reduction operator '**'" in out and "[PRAGMA-INVALID]" in out
    assert main(["races", "--static-only", "--ignore", "PRAGMA-INVALID", str(src)]) == 0
    assert main(["reasons"]) == 0 and "PRAGMA-INVALID" in capsys.readouterr().out


def test_collapse_deeper_than_any_nest(tmp_path):
    src = tmp_path / "c.c"
    src.write_text("double a[100];\nvoid f(void) {\n#pragma omp parallel for collapse(3)\n"
                   "  for (int i = 0; i < 10; i++)\n    for (int j = 0; j < 10; j++) a[i * 10 + j] = 1;\n"
                   "#pragma omp parallel for collapse(0)\n  for (int i = 0; i < 10; i++) a[i] = 0;\n}\n")
    msgs = [(f.line, f.message) for f in check_races(str(src), False).findings]
    assert [m[0] for m in msgs] == [3, 6]
    assert "only 2 loops are perfectly nested at line 4" in msgs[0][1] and "clang accepts" not in msgs[0][1]
    assert "must be a positive constant" in msgs[1][1]
