"""Pragma insertion: placement, indentation, round trip, and the output compiles."""
import os
import shutil
import subprocess

import pytest

from ompwise import analyze_source, insert_pragmas
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
    assert "a[i-1]" in out and out.count("#pragma omp") == 4
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
