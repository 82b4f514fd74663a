"""The loop normalization behind deduplication and leakage control (ompwise.corpus.normalize)."""
import re

import pytest

from ompwise.corpus.normalize import loop_key, normalize

LOOP = """for (int i = 0; i < n; i++) {
    y[i] = alpha * x[i] + y[i];   // axpy
}"""

# the same loop as OMPify's pycparser round-trip writes it: operands parenthesized, braces and
# spacing redone, comments gone
LOOP_OMPIFY = "for (int i = 0; i < n; i++)\n{\n  y[i] = (alpha * x[i]) + y[i];\n}\n\n"


def same(a: str, b: str) -> bool:
    return loop_key(a) == loop_key(b)


def test_key_is_hex_digest_of_normalized_text():
    k = loop_key(LOOP)
    assert re.fullmatch(r"[0-9a-f]{32}", k)
    assert k == loop_key(LOOP) and normalize(LOOP) == normalize(LOOP_OMPIFY)


@pytest.mark.parametrize("variant", [
    LOOP_OMPIFY,
    "for(int i=0;i<n;i++) y[i]=alpha*x[i]+y[i];",
    "for (int i = 0;\n     i < n;\n     i++)\n{\n\ty[i] = alpha*x[i] + y[i];\n}",
    "for (int i = 0; i < n; i++) { { y[i] = ((alpha * x[i]) + y[i]); } }",
    "for (int i = 0; i < n; i++) /* c */ {\r\n  y[i] = alpha * x[i] /* scaled */ + y[i];\r\n}",
])
def test_formatting_braces_parentheses_and_comments_are_ignored(variant):
    assert same(LOOP, variant)


def test_identifiers_are_renamed_in_order_of_first_appearance():
    assert same(LOOP, "for (int k = 0; k < len; k++) out[k] = a * in[k] + out[k];")
    assert normalize("for (j = 0; j < m; j++) s += v[j];") == \
        "for ( $0 = 0 ; $0 < $1 ; $0 ++ ) $2 += $3 [ $0 ] ;"
    # but which names are the same matters: y[i] = x[i] + y[i] is not y[i] = x[i] + x[i]
    assert not same("for (i = 0; i < n; i++) y[i] = x[i] + y[i];",
                    "for (i = 0; i < n; i++) y[i] = x[i] + x[i];")


def test_keywords_and_primitive_types_are_kept():
    assert not same("for (int i = 0; i < n; i++) a[i] = 0;", "for (long i = 0; i < n; i++) a[i] = 0;")
    assert not same("for (size_t i = 0; i < n; i++) a[i] = 0;", "for (T i = 0; i < n; i++) a[i] = 0;")
    assert "while" in normalize("for (;;) while (x) x--;") and "NULL" in normalize("for (;;) p = NULL;")


def test_library_names_are_renamed_like_any_name():
    assert same("for (i = 0; i < n; i++) a[i] = sqrt(b[i]);", "for (i = 0; i < n; i++) a[i] = sqrtf(b[i]);")


@pytest.mark.parametrize("pragma", [
    "#pragma omp parallel for reduction(+:s)",
    "  #  pragma omp simd \\\n      aligned(x)",
    "#pragma ivdep",
])
def test_pragma_and_directive_lines_are_removed(pragma):
    plain = "for (i = 0; i < n; i++) {\n  for (j = 0; j < m; j++)\n    s += a[i][j];\n}"
    with_pragma = f"for (i = 0; i < n; i++) {{\n{pragma}\n  for (j = 0; j < m; j++)\n    s += a[i][j];\n}}"
    assert same(plain, with_pragma)
    assert same(plain, plain.replace("  for (j", "#ifdef FAST\n  for (j").replace("    s +=", "#endif\n    s +="))


@pytest.mark.parametrize("a, b", [
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 0; i < n; i++) a[i] = b[i+1];"),
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 0; i <= n; i++) a[i] = b[i];"),
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 1; i < n; i++) a[i] = b[i];"),
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 0; i < n; i += 2) a[i] = b[i];"),
    ("for (i = 0; i < n; i++) s += a[i];", "for (i = 0; i < n; i++) s -= a[i];"),
    ("for (i = 0; i < n; i++) s += a[i] * 2.0;", "for (i = 0; i < n; i++) s += a[i] * 2.5;"),
    ("for (i = 0; i < n; i++) c[i] = 'a';", "for (i = 0; i < n; i++) c[i] = 'b';"),
    ("for (i = 0; i < n; i++) a[i][j] = 0;", "for (i = 0; i < n; i++) a[j][i] = 0;"),
    ("for (i = 0; i < n; i++) f(a, i);", "for (i = 0; i < n; i++) f(a), i;"),
    ("for (i = 0; i < n; i++) { a[i] = 0; b[i] = 1; }", "for (i = 0; i < n; i++) { b[i] = 1; a[i] = 0; }"),
])
def test_different_loops_stay_different(a, b):
    assert not same(a, b)


def test_pycparser_rewrites():
    # several declarators in one statement are split, as pycparser does, but not in a for header
    assert same("for (i = 0; i < n; i++) { double x = a[i], *p = &b[i], z[2] = {1, 2,}; s += x; }",
                "for (i = 0; i < n; i++)\n{\n  double x = a[i];\n  double *p = &b[i];\n"
                "  double z[2] = {1, 2};\n  s += x;\n}")
    assert same("for (i = 0; i < n; i++) { real u, v; u = v; }", "for (i = 0; i < n; i++) { real u; real v; u = v; }")
    assert same("for (int i = 0, j = 1; i < n; i++) a[i] = j;", "for (int i = 0, j = 1; i < n; i++)\n  a[i] = j;")
    # adjacent strings are joined, casts and returns lose their redundant parentheses
    assert same('for (i = 0; i < n; i++) printf("%d" "\\n", (int)(a[i]));',
                'for (i = 0; i < n; i++)\n  printf("%d\\n", (int) a[i]);')
    assert same("for (i = 0; i < n; i++) if (a[i] == k) return (i);",
                "for (i = 0; i < n; i++)\n  if (a[i] == k)\n    return i;")
    assert same("for (i = 0; i < n; i++) m = c ? x : y;", "for (i = 0; i < n; i++)\n  m = (c) ? (x) : (y);")
    assert same("for (i = 0; i < n; i++) { if (a[i]) goto out; out: }",
                "for (i = 0; i < n; i++)\n{\n  if (a[i])\n    goto out;\n  out:\n  ;\n}")
    # string texts are not compared
    assert same('for (i = 0; i < n; i++) puts("hello");', 'for (i = 0; i < n; i++) puts("bonjour");')


def test_cxx_templates_and_shifts():
    assert same("for (auto &v : vs) m = std::max<std::vector<int>>(m, v);",
                "for (auto &v : vs) m = std::max<std::vector<int> >(m, v);")
    assert not same("for (i = 0; i < n; i++) a[i] = b[i] >> 1;", "for (i = 0; i < n; i++) a[i] = b[i] << 1;")


def test_robust_to_fragments_and_odd_text():
    for code in ["", "for (", "for (i = 0; i < n; i++) { a[i] = \"unterminated", "for (;;) /* open",
                 "for (i = 0; i < n; i++) x = R\"(raw \" string)\" + L'\\'' + 0x1Fu + 1e-5 + .5f;",
                 "for (\ufffd;;) a$b = 1'000;"]:
        assert re.fullmatch(r"[0-9a-f]{32}", loop_key(code))
    assert same("for (i = 0; i < n; i++) x = 0X1F + 1E5;", "for (i = 0; i < n; i++) x = 0x1f + 1e5;")
