"""Leakage into the evaluation sets, checked independently of the pipeline's own index.

The issue's acceptance: "Leakage into every evaluation set after dedup: 0, checked by a test that
re-normalizes the evaluation loops independently of the pipeline's own index". This module holds
a second implementation of the normalization rules (ompwise.corpus.normalize's docstring is the
specification): tree-sitter's leaves instead of a regex tokenizer, the syntax tree's node kinds
instead of token context for parentheses and declarations, its own renaming. ``leaked_rows``
checks a built dataset's ``code`` column against every evaluation loop with it. The evaluation
loops' texts are read here too: JSON Lines records directly; loops of whole files come from
``evalsets.iter_eval_loops`` (the extraction, tested in test_evalsets.py), but their keys never
come from the pipeline's normalizer or its cached index.

A built dataset is checked when ``OMPWISE_DATASET`` names its folder; otherwise the check runs on a
tiny dataset written here."""
import glob
import json
import os
import re

import pytest

from ompwise.corpus.normalize import loop_key
from tests.conftest import SHARED

# --- the independent normalizer --------------------------------------------------------------

_DIRECTIVE_LINE = re.compile(r"^[ \t]*#.*?(?<!\\)$", re.MULTILINE | re.DOTALL)
_RENAMED = frozenset(("identifier", "field_identifier", "type_identifier", "namespace_identifier",
                      "statement_identifier"))
_STRINGS = frozenset(("string_literal", "concatenated_string", "raw_string_literal"))
_GROUPING = frozenset(("parenthesized_expression", "cast_expression", "sizeof_expression",
                       "alignof_expression"))
_LIST_KEPT = frozenset(("for_statement", "for_range_loop", "condition_clause"))
_ts_parser = None


def _parser():
    global _ts_parser
    if _ts_parser is None:
        import tree_sitter as ts
        import tree_sitter_cpp
        _ts_parser = ts.Parser(ts.Language(tree_sitter_cpp.language()))
    return _ts_parser


def _cast_like_call(args) -> bool:
    """``(T)(x)`` and ``int(x)`` parse as calls: casts, whose parentheses are grouping."""
    if args is None or args.type != "argument_list" or args.parent is None:
        return False
    fn = args.parent.child_by_field_name("function")
    return args.parent.type == "call_expression" and fn is not None and fn.type in (
        "parenthesized_expression", "primitive_type")


def _leaves(node, src: bytes, out: list[str]) -> None:
    """Tokens of ``node`` in source order, by the module's rules."""
    t = node.type
    if t == "comment" or node.start_byte == node.end_byte:
        return
    if t in _STRINGS:
        if not out or out[-1] != "<str>":
            out.append("<str>")
        return
    if t == "char_literal" or node.child_count == 0:
        text = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
        parent = node.parent.type if node.parent is not None else ""
        if t in ("{", "}") or (t in ("(", ")") and (parent in _GROUPING or _cast_like_call(node.parent))):
            return
        if t == "," and node.next_sibling is not None and node.next_sibling.type == "}":
            return
        if t == ";" and out and out[-1] == ":":
            return
        if t in _RENAMED:
            out.append("\0" + text)  # renamed once the whole loop is read
        elif t == "number_literal":
            if text[0] in "+-":  # tree-sitter reads '-1.0' as one literal
                out.append(text[0])
            out.append(text[1:].lower() if text[0] in "+-" else text.lower())
        elif t == ">>":
            out.extend((">", ">"))
        elif t == ">>=":
            out.extend((">", ">="))
        else:
            out.append(text)
        return
    if t == "declaration" and node.parent is not None and node.parent.type not in _LIST_KEPT:
        declarators = node.children_by_field_name("declarator")
        if len(declarators) > 1:
            first = declarators[0].start_byte
            prefix: list[str] = []
            for c in node.children:
                if c.start_byte >= first:
                    break
                _leaves(c, src, prefix)
            for d in declarators:
                out.extend(prefix)
                _leaves(d, src, out)
                out.append(";")
            return
    for c in node.children:
        _leaves(c, src, out)


def ts_normalize(code: str) -> str:
    """The loop's tokens from tree-sitter's syntax tree, names renamed in order of appearance."""
    src = _DIRECTIVE_LINE.sub("", code).encode("utf-8", "surrogatepass")
    toks: list[str] = []
    _leaves(_parser().parse(src).root_node, src, toks)
    names: dict[str, int] = {}
    return " ".join(f"v{names.setdefault(t, len(names))}" if t.startswith("\0") else t for t in toks)


# --- leakage check ---------------------------------------------------------------------------

def independent_eval_keys(data_dir: str, sets=None) -> dict[str, set[str]]:
    """Independently normalized text -> the evaluation sets it occurs in (``sets``: only these)."""
    from ompwise.corpus import evalsets
    out: dict[str, set[str]] = {}

    def add(name, code):
        out.setdefault(ts_normalize(code), set()).add(name)

    ev = os.path.join(data_dir, "eval")
    jsonl = {f"ompify/{s}": os.path.join(ev, "ompify", f"{s}.jsonl") for s in evalsets.OMPIFY_SPLITS}
    jsonl["hpcorpus_omp"] = os.path.join(ev, "hpcorpus_omp", "cpu_test", "test_source_BPE.jsonl")
    for name, path in jsonl.items():
        if sets is None or name in sets:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    add(name, json.loads(line)["code"])
    if sets is None or set(sets) - set(jsonl):
        for name, code in evalsets.iter_eval_loops(data_dir):
            if name not in jsonl and (sets is None or name in sets):
                add(name, code)
    return out


def leaked_rows(dataset_dir: str, data_dir: str, sets=None) -> list[tuple[str, int, str, tuple[str, ...]]]:
    """(Parquet file, row, code, evaluation sets) of every dataset loop whose independently
    normalized text is an evaluation loop's."""
    import pyarrow.parquet as pq
    index = independent_eval_keys(data_dir, sets)
    found = []
    # the dataset's loops: a built dataset's train and valid files (removed.parquet holds, by design,
    # the loops dropped for leakage, and parts/ the rows before it), else every Parquet file given
    built = [os.path.join(dataset_dir, f"{s}.parquet") for s in ("train", "valid")]
    paths = [p for p in built if os.path.isfile(p)] or sorted(
        glob.glob(os.path.join(dataset_dir, "**", "*.parquet"), recursive=True))
    for path in paths:
        codes = pq.read_table(path, columns=["code"]).column("code").to_pylist()
        for row, code in enumerate(codes):
            hit = index.get(ts_normalize(code or ""))
            if hit:
                found.append((os.path.relpath(path, dataset_dir), row, code, tuple(sorted(hit))))
    return found


def _shared() -> str:
    if not os.path.isdir(os.path.join(SHARED, "eval", "ompify")):
        pytest.skip(f"../shared/data not available ({SHARED}/eval/ompify missing)")
    return SHARED


# --- the two normalizers agree ---------------------------------------------------------------

# (as a developer wrote it, as OMPify's pycparser round-trip writes it)
SAME = [
    ("for (int i = 0; i < n; i++) {\n    y[i] = alpha * x[i] + y[i];   // axpy\n}",
     "for (int i = 0; i < n; i++)\n{\n  y[i] = (alpha * x[i]) + y[i];\n}\n\n"),
    ("for(i=0;i<N;i++)\n#pragma omp simd\n  for(j=0;j<M;j++) C[i][j]+=A[i][k]*B[k][j];",
     "for (i = 0; i < N; i++)\n  for (j = 0; j < M; j++)\n  C[i][j] += A[i][k] * B[k][j];\n\n"),
    ("for (i = 0; i < n; ++i) { double x = (i + 0.5) * step, y; sum += 4.0 / (1.0 + x * x); }",
     "for (i = 0; i < n; ++i)\n{\n  double x = (i + 0.5) * step;\n  double y;\n"
     "  sum += 4.0 / (1.0 + (x * x));\n}\n\n"),
    ('for (k = 0; k < n; k++) { if (!(v[k] > t)) continue; printf("%d" " %f\\n", k, (double)(v[k])); }',
     'for (k = 0; k < n; k++)\n{\n  if (!(v[k] > t))\n    continue;\n\n  printf("%d %f\\n", k, (double) v[k]);\n}\n\n'),
    ("for (int s = 0; s < ns; s++) acc = acc > w[s] ? acc : w[s]; /* max */",
     "for (int s = 0; s < ns; s++)\n  acc = (acc > w[s]) ? (acc) : (w[s]);\n\n"),
    ("for (p = 0; p < np; p++) {\n  r->x[p] += dt * r->v[p];\n  cnt[idx[p] >> 4]++;\n}",
     "for (q = 0; q < m; q++)\n{\n  part->x[q] += h * part->v[q];\n  cnt[ix[q] >> 4]++;\n}\n\n"),
    ("for (i = 0; i < n; i++) { int tmp[3] = {1, 2, 3,}; a[i] = tmp[i % 3]; }",
     "for (i = 0; i < n; i++)\n{\n  int tmp[3] = {1, 2, 3};\n  a[i] = tmp[i % 3];\n}\n\n"),
]
DIFFERENT = [
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 0; i < n; i++) a[i] = b[i + 1];"),
    ("for (i = 0; i < n; i++) a[i] = b[i];", "for (i = 0; i <= n; i++) a[i] = b[i];"),
    ("for (i = 0; i < n; i++) a[i] = a[i] + b[i];", "for (i = 0; i < n; i++) a[i] = b[i] + b[i];"),
    ("for (i = 0; i < n; i++) s += a[i] * 2.0;", "for (i = 0; i < n; i++) s += a[i] * 2;"),
    ("for (i = 0; i < n; i++) s += a[i];", "for (i = 0; i < n; i++) { s += a[i]; c++; }"),
    ("for (i = 0; i < n; i++) x = a[i] >> 2;", "for (i = 0; i < n; i++) x = a[i] >= 2;"),
    ("for (int i = 0; i < n; i++) f(a[i]);", "for (long i = 0; i < n; i++) f(a[i]);"),
]


@pytest.mark.parametrize("a, b", SAME)
def test_normalizers_agree_on_reformatted_pairs(a, b):
    assert ts_normalize(a) == ts_normalize(b)
    assert loop_key(a) == loop_key(b)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_normalizers_agree_on_different_loops(a, b):
    assert ts_normalize(a) != ts_normalize(b)
    assert loop_key(a) != loop_key(b)


def test_normalizers_agree_on_a_sample_of_evaluation_loops():
    """Equal under one normalization iff equal under the other, over real evaluation loops (the
    OMPify PolyBench subset holds the same kernels written several ways)."""
    path = os.path.join(_shared(), "eval", "ompify", "test_poly.jsonl")
    with open(path, encoding="utf-8") as fh:
        codes = [json.loads(line)["code"] for line in fh]
    by_ts, by_key = {}, {}
    for i, code in enumerate(codes):
        by_ts.setdefault(ts_normalize(code), set()).add(i)
        by_key.setdefault(loop_key(code), set()).add(i)
    assert sorted(map(sorted, by_ts.values())) == sorted(map(sorted, by_key.values()))
    assert len(by_key) < len(codes)  # the sample does hold duplicates


# --- the leakage check itself ----------------------------------------------------------------

def test_leaked_rows_finds_a_reformatted_evaluation_loop(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    data = _shared()
    with open(os.path.join(data, "eval", "ompify", "test.jsonl"), encoding="utf-8") as fh:
        # a loop with some body to rewrite: the first with an inner statement block
        ompify = next(c for c in (json.loads(line)["code"] for line in fh) if c.count("\n") > 4)
    # as a developer might have written it: names changed, one line, extra parentheses, a comment
    names = {}
    renamed = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: m.group() if m.group() in (
        "for", "if", "else", "int", "double", "float", "long", "unsigned", "char", "return", "while")
        else names.setdefault(m.group(), f"my_{len(names)}"), ompify)
    leaked = "/* copied */ " + " ".join(renamed.split()).replace("= ", "= (", 1).replace(";", ");", 1)
    assert "".join(leaked.split()) != "".join(ompify.split())  # more than spacing differs
    assert loop_key(leaked) == loop_key(ompify)  # the pipeline's own key sees it too
    novel = "for (int q = 0; q < 7; q += 3) { zz[q] = zz[q] * 17 - q; }"
    pq.write_table(pa.table({"code": [novel, leaked], "repo": ["a/b", "c/d"]}), tmp_path / "part-0.parquet")
    found = leaked_rows(str(tmp_path), data, sets=("ompify/test", "ompify/test_poly"))
    assert [(f, row) for f, row, _, _ in found] == [("part-0.parquet", 1)]
    assert "ompify/test" in found[0][3]


def test_built_dataset_has_no_leakage():
    dataset = os.environ.get("OMPWISE_DATASET")
    if not dataset:
        pytest.skip("no built dataset (set OMPWISE_DATASET to its folder to check it)")
    found = leaked_rows(dataset, _shared())
    assert not found, f"{len(found)} dataset loops occur in evaluation sets, e.g. {found[:3]}"
