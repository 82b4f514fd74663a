"""The command line: formats, exit codes, suppressions, bad input."""
import json
import os
import re
import subprocess
import sys

import pytest

from ompwise.cli import main
from tests.conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")
DIAG = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (remark|note|warning): .+ \[[A-Z-]+\]$")

CARRIED = "double a[100];\nvoid f(int n) {\n  for (int i = 1; i < n; i++)\n    a[i] = a[i - 1] + 1;\n}\n"
PARALLEL = "double a[100], b[100];\nvoid g(int n) {\n  for (int i = 0; i < n; i++)\n    a[i] = b[i] * 2;\n}\n"


def run(argv, capsys):
    rc = main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


def write(tmp_path, name, text, mode="w"):
    p = tmp_path / name
    if mode == "w":
        p.write_text(text)
    else:
        p.write_bytes(text)
    return str(p)


def test_check_examples_diagnostics(capsys):
    rc, out, err = run(["check", EXAMPLES], capsys)
    assert rc == 0, err
    lines = out.strip().splitlines()
    assert lines and all(DIAG.match(l) for l in lines), lines
    assert any("reduction(+:sum)" in l and "[OMP-PARALLEL]" in l for l in lines)
    assert any("[DEP-CARRIED]" in l and "prefix_sum.c:12:3" in l for l in lines)
    assert any("[INDIRECT-WRITE]" in l for l in lines)


def test_check_json_document(capsys, tmp_path):
    f = write(tmp_path, "k.c", PARALLEL + CARRIED.replace("f(", "h("))
    rc, out, _ = run(["check", "--format", "json", f], capsys)
    doc = json.loads(out)
    assert rc == 0 and doc["version"] == 1
    loops = doc["files"][0]["loops"]
    assert [l["line"] for l in loops] == [3, 8]
    first = loops[0]
    assert set(first) >= {"line", "column", "function", "depth", "parallelizable", "pragma", "clauses",
                          "confidence", "source", "reasons"}
    assert first["pragma"] == "#pragma omp parallel for" and first["column"] == 3 and first["function"] == "g"
    assert set(first["clauses"]) >= {"private", "firstprivate", "lastprivate", "reduction", "collapse", "schedule"}
    second = loops[1]
    assert second["pragma"] is None and second["parallelizable"] is False
    r = second["reasons"][0]
    assert r["code"] == "DEP-CARRIED" and r["line"] == 9 and r["evidence"]["distance"] == 1


def test_fail_on(capsys, tmp_path):
    f = write(tmp_path, "k.c", PARALLEL)
    assert run(["check", "--fail-on", "OMP-PARALLEL", f], capsys)[0] == 1
    assert run(["check", "--fail-on", "DEP-*", f], capsys)[0] == 0


def test_ignore_by_option_config_and_comment(capsys, tmp_path):
    f = write(tmp_path, "k.c", CARRIED)
    assert "[DEP-CARRIED]" in run(["check", f], capsys)[1]
    assert "[DEP-CARRIED]" not in run(["check", "--ignore", "DEP-*", f], capsys)[1]
    # pyproject.toml next to the file
    cfg = tmp_path / "proj"
    cfg.mkdir()
    (cfg / "pyproject.toml").write_text('[tool.ompwise]\nignore = ["DEP-CARRIED"]\n')
    g = write(cfg, "k.c", CARRIED)
    assert "[DEP-CARRIED]" not in run(["check", g], capsys)[1]
    # a comment on the loop's line
    h = write(tmp_path, "c.c", CARRIED.replace("i++)\n", "i++)  // ompwise: ignore[DEP-CARRIED]\n"))
    assert "[DEP-CARRIED]" not in run(["check", h], capsys)[1]
    assert "[DEP-CARRIED]" in run(["check", "--fail-on", "DEP-CARRIED", f], capsys)[1]


def test_bad_inputs_one_line_each_and_rest_processed(capsys, tmp_path):
    good = write(tmp_path, "good.c", PARALLEL)
    binary = write(tmp_path, "bin.c", b"\x7fELF\x00\x01\x02", mode="b")
    latin = write(tmp_path, "latin.c", b"/* caf\xe9 */\nint x;\n", mode="b")
    empty = write(tmp_path, "empty.c", "")
    broken = write(tmp_path, "broken.c", "void f( {\n  for (int i = 0; i < 3; i++ {\n")
    big = write(tmp_path, "big.c", "int x;\n" * 2000)
    nodir = tmp_path / "nosrc"
    nodir.mkdir()
    (nodir / "README").write_text("x")
    rc, out, err = run(["check", "--max-file-size", "4k", good, binary, latin, empty, broken, big,
                        str(nodir), str(tmp_path / "missing.c")], capsys)
    assert rc == 2
    assert "good.c:3:3: remark" in out
    errs = [l for l in (out + err).splitlines() if ": error:" in l]
    for name, what in [("bin.c", "binary"), ("latin.c", "UTF-8"), ("empty.c", "empty"), ("broken.c", "syntax error"),
                       ("big.c", "too large"), ("nosrc", "no C or C++ sources"), ("missing.c", "no such file")]:
        assert any(name in l and what in l for l in errs), (name, errs)
    assert "Traceback" not in err


def test_parallelize_output_diff_and_in_place(capsys, tmp_path):
    f = write(tmp_path, "k.c", PARALLEL)
    out_path = str(tmp_path / "out.c")
    assert run(["parallelize", f, "-o", out_path], capsys)[0] == 0
    text = open(out_path).read()
    assert "  #pragma omp parallel for\n  for (int i = 0" in text
    assert open(f).read() == PARALLEL  # input untouched
    rc, out, _ = run(["parallelize", f, "--diff"], capsys)
    assert rc == 0 and "+  #pragma omp parallel for" in out
    mode = os.stat(f).st_mode
    assert run(["parallelize", f, "--in-place"], capsys)[0] == 0
    assert open(f).read() == text and os.stat(f).st_mode == mode
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".ompwise-")]


def test_in_place_follows_a_symlink_and_reports_write_errors(capsys, tmp_path):
    f = write(tmp_path, "target.c", PARALLEL)
    link = tmp_path / "link.c"
    link.symlink_to("target.c")
    assert run(["parallelize", str(link), "--in-place"], capsys)[0] == 0
    assert link.is_symlink() and "#pragma omp parallel for" in open(f).read()  # the target was rewritten
    g = write(tmp_path, "ro.c", PARALLEL)
    os.chmod(g, 0o444)  # refused for root too (tests/test_safe_write.py has the other cases)
    rc, _, err = run(["parallelize", g, "--in-place"], capsys)
    assert rc == 2 and "ro.c: error: cannot write: file is read-only" in err and "Traceback" not in err
    assert open(g).read() == PARALLEL


def test_explain(capsys, tmp_path):
    f = write(tmp_path, "k.c", CARRIED)
    rc, out, _ = run(["explain", f"{f}:4"], capsys)
    assert rc == 0
    assert "legality: not parallelizable" in out and "distance 1" in out and "a[i - 1]" in out
    assert run(["explain", f"{f}:1"], capsys)[0] == 2
    assert run(["explain", "nocolon"], capsys)[0] == 2


def test_explain_takes_the_locations_ompwise_prints(capsys, tmp_path):
    f = write(tmp_path, "k.c", "double a[9], b[9];\nvoid f(void) {\n"
                               "  for (int i = 0; i < 9; i++) a[i] = 0; for (int j = 1; j < 9; j++) b[j] = b[j - 1];\n}\n")
    _, out, _ = run(["check", f], capsys)
    second = out.splitlines()[1].split(": ")[0]  # FILE:LINE:COL of the second loop on line 3
    assert second == f"{f}:3:41"
    rc, out, err = run(["explain", second], capsys)
    assert rc == 0 and "loop 'for (int j = 1; j < 9; j++)'" in out, err
    assert "loop 'for (int i = 0" in run(["explain", f"{f}:3"], capsys)[1]
    odd = write(tmp_path, "odd:3.c", CARRIED)
    assert "loop 'for (int i = 1" in run(["explain", f"{odd}:4:3"], capsys)[1]
    rc, _, err = run(["explain", f"{f}:3:x"], capsys)
    assert rc == 2 and "expected FILE:LINE or FILE:LINE:COL" in err


def test_size_limit_and_missing_suite_messages(capsys, tmp_path):
    f = write(tmp_path, "k.c", CARRIED)
    rc, _, err = run(["check", "--max-file-size", "10", f], capsys)
    assert rc == 2 and err.strip() == (f"{f}: error: file too large ({len(CARRIED)} bytes > 10 bytes limit; "
                                       "raise it with --max-file-size)")
    for suite in ("drb", "drb-static", "drb-advice", "autoparbench", "polybench", "npb"):
        rc, _, err = run(["evaluate", suite, "--data", "/nonexistent"], capsys)
        assert rc == 2 and err.strip() == "/nonexistent: error: no such file or directory", (suite, err)
    rc, _, err = run(["evaluate", "drb", "--data", str(tmp_path)], capsys)
    assert rc == 2 and err.startswith(f"{tmp_path}: error: DataRaceBench labels (drb_labels.csv) not found")


def test_reasons_listing(capsys):
    rc, out, _ = run(["reasons"], capsys)
    assert rc == 0 and "DEP-CARRIED" in out and "ALIAS-ASSUMED" in out


def test_console_script_runs():
    p = subprocess.run([sys.executable, "-m", "ompwise", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "check" in p.stdout and "parallelize" in p.stdout


def test_usage_error_exit_code():
    with pytest.raises(SystemExit) as e:
        main(["check"])
    assert e.value.code == 2


def test_ten_megabyte_file_is_refused_clearly(capsys, tmp_path):
    f = tmp_path / "gen.c"
    body = "double a[100];\nvoid f%d(int n) { for (int i = 0; i < n; i++) a[i] = i; }\n"
    with open(f, "w") as fh:
        i = 0
        while fh.tell() < 10 * 1024 * 1024:
            fh.write(body % i)
            i += 1
    ok = write(tmp_path, "ok.c", PARALLEL)
    rc, out, err = run(["check", str(f), ok], capsys)
    assert rc == 2 and "gen.c: error: file too large" in err and "ok.c:3:3" in out


def test_hostile_macros(capsys, tmp_path):
    f = write(tmp_path, "m.c", "#define LOOP(i,n) for (int i = 0; i < n; i++)\n#define BEGIN {\n#define END }\n"
              "double a[100];\nvoid f(int n) BEGIN\n  LOOP(i, n) a[i] = 0;\n  for (int k = 0; k < n; k++) a[k] += 1;\nEND\n")
    rc, out, err = run(["check", f], capsys)
    assert rc in (0, 2) and "Traceback" not in err


@pytest.mark.parametrize("table, message", [
    ('[tool.ompwise]\nignore = ["DEP-*"\n', "cannot read [tool.ompwise]"),
    ('[tool.ompwise]\nignor = ["DEP-*"]\n', "unknown key 'ignor'"),
    ('[tool.ompwise]\nignore = [1, 2]\n', "must be a list"),
    ('[tool.ompwise]\nignore = ["DEP-CARIED"]\n', "'DEP-CARIED' matches no reason code"),
])
def test_broken_config_is_an_error_not_ignored(capsys, tmp_path, table, message):
    f = write(tmp_path, "k.c", CARRIED)
    write(tmp_path, "pyproject.toml", table)
    rc, out, err = run(["check", f], capsys)
    assert rc == 2 and "pyproject.toml: error:" in err and message in err and "Traceback" not in err


def test_someone_elses_broken_pyproject_is_passed_over(capsys, tmp_path):
    f = write(tmp_path, "k.c", CARRIED)
    write(tmp_path, "pyproject.toml", "[project\nname = 'x'\n")
    rc, out, _ = run(["check", f], capsys)
    assert rc == 0 and "[DEP-CARRIED]" in out


@pytest.mark.parametrize("argv", [["--fail-on", "NOPE"], ["--ignore", "dep-carried"], ["--ignore", "XYZ-*"]])
def test_codes_that_match_nothing_are_usage_errors(capsys, tmp_path, argv):
    f = write(tmp_path, "k.c", CARRIED)
    rc, _, err = run(["check", *argv, f], capsys)
    assert rc == 2 and "matches no reason code" in err


@pytest.mark.parametrize("argv, message", [
    (["verify", "{f}", "--threads", "1"], "--threads: error"),
    (["verify", "{f}", "--run-args", '1 "2'], "--run-args: error"),
    (["parallelize", "{f}", "--with", "{missing}", "--diff"], "missing.c: error: cannot read"),
])
def test_bad_option_values(capsys, tmp_path, argv, message):
    f = write(tmp_path, "k.c", "int main(void){return 0;}\n")
    argv = [a.format(f=f, missing=str(tmp_path / "missing.c")) for a in argv]
    rc, _, err = run(argv, capsys)
    assert rc == 2 and message in err


@pytest.mark.parametrize("argv", [["verify", "x.c", "--repeat", "0"], ["verify", "x.c", "--timeout", "-5"],
                                  ["races", "x.c", "--threads", "1"], ["check", "--max-file-size=-1", "x.c"]])
def test_out_of_range_numbers_are_usage_errors(argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2


def test_parallelize_verify_builds_with_the_given_macros(capsys, tmp_path):
    src = ("#include <stdio.h>\ndouble a[N];\nint main(void){\n  double s = 0;\n  for (int i = 0; i < N; i++)\n"
           "    a[i] = i * 0.5;\n  for (int i = 0; i < N; i++)\n    s += a[i];\n  printf(\"%.6f\\n\", s);\n  return 0;\n}\n")
    f = write(tmp_path, "d.c", src)
    rc, out, err = run(["parallelize", "-D", "N=1000", f, "--verify", "--no-cache", "--no-timing", "--no-race-check",
                        "-o", str(tmp_path / "out.c")], capsys)
    assert rc == 0 and "verification: verified" in err, err
    assert open(tmp_path / "out.c").read().count("#pragma omp parallel for") == 2


def test_too_deep_function_is_skipped_alone(capsys, tmp_path):
    deep = "int f(int *a){ int s = 0; for (int i = 0; i < 10; i++) s += " + " + ".join(["a[i]"] * 900) + "; return s; }\n"
    f = write(tmp_path, "deep.c", deep + PARALLEL)
    rc, out, err = run(["check", f], capsys)
    assert rc == 2 and "deep.c:1:1: error: function 'f' is nested too deeply" in out + err
    assert "[OMP-PARALLEL]" in out and "Traceback" not in err  # g, after it, is still analyzed
