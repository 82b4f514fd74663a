"""Pragma insertion: placement, indentation, round trip, and the output compiles."""
import os
import re
import shutil
import subprocess

import pytest

from ompwise import analyze_source, insert_pragmas
from ompwise.api import Options
from ompwise.rewrite import remove_lines

TRICKY = """#include <stdio.h>
#define N 1000
double a[N], b[N];

int main(void) {
	int i, j;
	double s = 0;
	for (i = 0; i < N; i++)   /* braceless body, tab indentation */
		a[i] = i;
	if (N > 10)
	    for (i = 0; i < N; i++)
	        b[i] = a[i] * 2;
#ifdef EXTRA
	for (i = 0; i < N; i++) b[i] += 1;
#endif
	for (i = 0; i < N; i++) {
		// a comment right before the body
		s += a[i] * b[i];
	}
	for (i = 1; i < N; i++) a[i] = a[i-1] + b[i];
	printf("%f %f\\n", s, a[N-1]);
	return 0;
}
"""


def rewrite(text: str, lang="c"):
    fa = analyze_source(text.encode(), f"t.{lang}", lang)
    return insert_pragmas(fa.tu.source, fa.loops)


def test_insertions_keep_indentation_and_round_trip():
    rw = rewrite(TRICKY)
    out = rw.text.decode()
    assert "\t#pragma omp parallel for\n\tfor (i = 0; i < N; i++)   /*" in out
    assert "\t    #pragma omp parallel for\n\t    for (i = 0; i < N; i++)\n" in out
    assert "\t#pragma omp parallel for reduction(+:s)\n\tfor (i = 0; i < N; i++) {" in out
    # the loop under '#ifdef EXTRA' is not in the analyzed configuration (EXTRA is not defined)
    assert "a[i-1]" in out and out.count("#pragma omp") == 3
    assert "#ifdef EXTRA\n\tfor (i = 0; i < N; i++) b[i] += 1;\n#endif" in out
    assert remove_lines(rw.text, rw.inserted_lines) == TRICKY.encode()


def test_crlf_preserved():
    text = TRICKY.replace("\n", "\r\n")
    rw = rewrite(text)
    assert b"#pragma omp parallel for\r\n" in rw.text
    assert remove_lines(rw.text, rw.inserted_lines) == text.encode()


def test_shared_line_and_macro_are_skipped():
    text = "double a[100];\nvoid f(int n) { for (int i = 0; i < n; i++) a[i] = 0; }\n" \
           "#define CLEAR(n) for (int i = 0; i < n; i++) a[i] = 0;\n"
    rw = rewrite(text)
    assert rw.text == text.encode() and rw.skipped and "PLACEMENT" in rw.skipped[0][1]


def test_existing_pragma_untouched():
    text = "double a[100];\nvoid f(int n) {\n#pragma omp parallel for\n  for (int i = 0; i < n; i++) a[i] = 0;\n}\n"
    assert rewrite(text).text == text.encode()


@pytest.mark.skipif(not shutil.which("gcc"), reason="gcc not installed")
@pytest.mark.parametrize("cc", ["gcc", "clang-14"])
def test_output_compiles_and_runs_same(tmp_path, cc):
    if not shutil.which(cc):
        pytest.skip(f"{cc} not installed")
    src = tmp_path / "t.c"
    src.write_text(TRICKY)
    par = tmp_path / "p.c"
    par.write_bytes(rewrite(TRICKY).text)
    for name, path in (("serial", src), ("parallel", par)):
        p = subprocess.run([cc, "-fopenmp", "-Wall", "-Werror=unknown-pragmas", "-O1", str(path), "-o",
                            str(tmp_path / name)], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
    env = dict(os.environ, OMP_NUM_THREADS="2")
    a = subprocess.run([str(tmp_path / "serial")], capture_output=True, text=True, env=env).stdout
    b = subprocess.run([str(tmp_path / "parallel")], capture_output=True, text=True, env=env).stdout
    sa, sb = (float(x) for x in (a.split()[0], b.split()[0]))
    assert abs(sa - sb) <= 1e-9 * abs(sa) and a.split()[1] == b.split()[1]


@pytest.mark.parametrize("before, why", [
    ("#pragma GCC ivdep", "another pragma"),
    ('_Pragma("GCC unroll 4")', "another pragma"),
    ("#pragma omp unroll partial(2)", "another pragma"),
    ("// C:\\tmp\\ ", "backslash"),
    ("IVDEP", "a macro"),
])
def test_no_pragma_where_it_would_change_the_loop(before, why):
    text = f"void f(double *restrict a, int n) {{\n  {before}\n  for (int i = 0; i < n; i++)\n    a[i] = 2.0 * a[i];\n}}\n"
    rw = rewrite(text)
    assert rw.text == text.encode()  # (nothing proposed, or proposed and skipped for the reason)
    assert all(why in w for _, w in rw.skipped)


def test_unrelated_pragma_before_the_loop_is_fine():
    text = "void f(double *restrict a, int n) {\n#pragma scop\n  for (int i = 0; i < n; i++)\n    a[i] = 2.0 * a[i];\n}\n"
    rw = rewrite(text)
    assert b"#pragma scop\n  #pragma omp parallel for\n  for" in rw.text


def test_diff_is_applicable_with_form_feeds_and_no_final_newline(tmp_path, capsys):
    from ompwise.cli import main
    text = "/* page 1 */\n\f\nvoid f(double *restrict a, int n) {\n  for (int i = 0; i < n; i++)\n    a[i] = 2.0 * a[i];\n}"
    src = tmp_path / "k.c"
    src.write_bytes(text.encode())
    assert main(["parallelize", str(src), "--diff"]) == 0
    diff = capsys.readouterr().out
    assert "@@ -1,6 +1,7 @@" in diff and diff.endswith("\\ No newline at end of file\n")
    if shutil.which("patch"):
        (tmp_path / "k.diff").write_text(diff)
        r = subprocess.run(["patch", "-s", str(src), str(tmp_path / "k.diff")], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert src.read_bytes() == rewrite(text).text


def test_clause_never_names_a_variable_declared_under_ifdef():
    text = ("void f(double *restrict a, double *restrict b, int n) {\n#ifdef DEBUG\n    double t;\n#endif\n"
            "    for (int i = 0; i < n; i++) {\n#ifdef DEBUG\n        t = a[i]; b[i] = t * 2;\n#endif\n"
            "        a[i] += 1;\n    }\n}\n")
    # every configuration: 't' exists only in some, so no clause can name it
    fa = analyze_source(text.encode(), "t.c", "c", Options(all_configs=True))
    assert insert_pragmas(fa.tu.source, fa.loops).text == text.encode()
    assert fa.loops[0].code == "PLACEMENT" and "'t'" in fa.loops[0].reasons[0].message
    # the configuration the build sees (DEBUG undefined) has no 't': the loop is parallel
    assert rewrite(text).text.count(b"#pragma omp parallel for\n") == 1
    fa = analyze_source(text.encode(), "t.c", "c", Options(defines=("DEBUG",)))
    assert fa.loops[0].pragma == "#pragma omp parallel for private(t)"


def test_clause_never_names_a_structured_binding():
    text = ("#include <utility>\ndouble h(double *a, int n, std::pair<double, double> p) {\n    auto [lo, hi] = p;\n"
            "    for (int i = 0; i < n; i++) { lo = a[i] * 2; a[i] = lo + 1; }\n    return lo + hi;\n}\n")
    fa = analyze_source(text.encode(), "t.cpp", "cpp")
    assert fa.loops[0].pragma is None and fa.loops[0].code == "PLACEMENT"


@pytest.mark.parametrize("eol", ["\r", "\r\n", "\n"])
def test_every_line_ending_keeps_its_lines_and_bytes(tmp_path, capsys, eol):
    # CR alone (classic Mac OS) ends a line as compilers count them: the loop of line 8
    # is reported on line 8, and the output is the input's bytes plus pragma lines that
    # end as the file's lines do
    from ompwise.cli import main
    text = TRICKY.replace("\n", eol).encode()
    fa = analyze_source(text, "t.c", "c")
    assert [a.loop.loc.line for a in fa.loops][:2] == [8, 11]
    assert fa.tu.raw() == text and len(fa.tu.source) == len(text)
    path = tmp_path / "t.c"
    path.write_bytes(text)
    assert main(["parallelize", str(path), "--in-place"]) == 0
    capsys.readouterr()
    out = path.read_bytes()
    rw = insert_pragmas(text, fa.loops)
    n = len(rw.inserted_lines)
    assert rw.text == out and remove_lines(out, rw.inserted_lines) == text and n >= 3
    assert len(re.findall(f"#pragma omp parallel for[^\r\n]*{eol}(?!\n)".encode(), out)) == n
    assert out.count(b"\n") == text.count(b"\n") + (n if "\n" in eol else 0)
    main(["check", str(path)])
    assert f"{path}:9:2: note: already parallel" in capsys.readouterr().out  # (the first loop, after its pragma)
