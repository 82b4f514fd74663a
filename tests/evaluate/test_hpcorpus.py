"""HPCorpus-OMP clause scoring: the scorer, the log readers, ompwise's side on a few records, and
the reproduction of derived_clause_metrics.json from the shipped logs (skipped without ../shared)."""
import json

import pytest

from ompwise.cli import main
from ompwise.evaluate import hpcorpus as h
from ompwise.frontend.pragma import Clauses, Reduction
from tests.conftest import shared_path


def test_presence_is_a_whole_word():
    assert h.present("parallel for private(i)", "private")
    assert not h.present("parallel for lastprivate(i) firstprivate(j)", "private")
    assert h.present("reduction(+:", "reduction")


def test_variable_sets_are_lower_cased_unions():
    assert h.var_set("private(a, B) private(c)", "private") == {"a", "b", "c"}
    assert h.var_set("reduction(+:s t) reduction(max:M)", "reduction") == {"s", "t", "m"}
    # (the operator is not a variable, whatever ':' the tokenizer left in front of it)
    assert h.var_set("reduction( + : : sum )", "reduction") == {"sum"}
    assert h.reduction_pairs("reduction(+:s) reduction(max:m)") == {("+", "s"), ("max", "m")}


def test_score_counts_and_exact_sets():
    s = h.score([("parallel for private(i j)", "parallel for private(j, i)"),
                 ("parallel for private(i)", "parallel for"),
                 ("parallel for reduction(+:s)", "parallel for reduction(*:s)"),
                 ("for", "parallel for private(x)")])
    p, r = s["private"], s["reduction"]
    assert (p["tp"], p["fp"], p["fn"], p["tn"]) == (1, 1, 1, 1)
    assert p["vars_exact_given_both"] == "1/1" and p["vars_exact_of_label"] == 0.5
    assert r["vars_exact_given_both"] == "1/1" and r["op_vars_exact_given_both"] == "0/1"
    assert (r["P"], r["R"], r["F1"]) == (1.0, 1.0, 1.0)


def test_monocoder_table_cut_at_the_border_columns(tmp_path):
    log = tmp_path / "t.log"
    log.write_text("+--------------+--------------+\n| Label        | Pred         |\n"
                   "+--------------+--------------+\n| for private  | reduction(|| |\n"
                   "| parallel     | parallel for |\n+--------------+--------------+")
    assert h.monocoder_pairs(str(log)) == [("for private", "reduction(||"), ("parallel", "parallel for")]


LOOPS = [
    ("for (i = 0; i < n; i++) s += a[i];", "parallel for reduction(+:s) "),  # proven: reduction
    ("for (int i = 0; i < n; i++) b[i] = static_cast<int>(a[i]);", "parallel for "),  # C++ only
    ("for (i = 0; i < n; i++) b[i] = f(a[i]);", "parallel for "),  # unknown callee: undecided
    ("for (i = 0; i < n; i++) printf(\"%d\", a[i]);", "parallel for "),  # I/O: illegal
    ("for (int b = 0; b < 32; b++)\n  for (int y = 0; y < 4; y++)", "parallel for "),  # truncated
]


def _suite(tmp_path, loops=LOOPS):
    (tmp_path / "cpu_test").mkdir()
    with open(tmp_path / "cpu_test" / "test_source_BPE.jsonl", "w") as fh:
        for code, pragma in loops:
            fh.write(json.dumps({"code": code, "pragma": pragma, "hash": ""}) + "\n")
    return str(tmp_path)


def test_ompwise_side_counts_each_outcome(tmp_path):
    r = h.evaluate(_suite(tmp_path), published=False)
    o = r["ompwise"]
    assert (o["legal"], o["undecided"], o["illegal"], o["unparsed"]) == (2, 1, 1, 1)
    assert o["reduction"]["tp"] == 1 and o["reduction"]["vars_exact_given_both"] == "1/1"
    assert r["ompwise_on_legal"]["n"] == 2


def test_a_blocked_loop_still_gets_the_clauses_it_needs_in_parallel(tmp_path):
    # the label says the loop is parallel: an unknown callee or I/O leaves its scalars' clauses known
    loops = [("for (i = 0; i < n; i++) { t = f(a[i]); b[i] = t; }", "parallel for private(t)"),
             ("for (i = 0; i < n; i++) { t = a[i]; printf(\"%d\", t); }", "parallel for private(t)")]
    o = h.evaluate(_suite(tmp_path, loops), published=False)["ompwise"]
    assert (o["undecided"], o["illegal"]) == (1, 1)
    assert o["private"]["tp"] == 2 and o["private"]["vars_exact_given_both"] == "2/2"


def test_predict_is_pluggable(tmp_path):
    # a stand-in for a learned model: clauses for every loop, whatever the analysis says
    r = h.evaluate(_suite(tmp_path, LOOPS[2:3]), published=False,
                   predict=lambda fa: Clauses(reduction=(Reduction("+", ("s",)),)))
    assert r["ompwise"]["undecided"] == 1 and r["ompwise"]["reduction"]["fp"] == 1


def test_missing_data_is_an_input_error(tmp_path, capsys):
    assert main(["evaluate", "hpcorpus", "--data", str(tmp_path)]) != 0
    assert "test_source_BPE.jsonl" in capsys.readouterr().err


@pytest.mark.needs_shared_data
def test_reproduces_derived_clause_metrics():
    data = shared_path("eval", "hpcorpus_omp")
    with open(f"{data}/monocoder_results/derived_clause_metrics.json") as fh:
        ref = json.load(fh)
    for name, read in (("comp_bpe.log", h.monocoder_pairs), ("gpt_response.log", h.gpt_pairs)):
        s = h.score(read(f"{data}/monocoder_results/{name}"))
        assert s["n"] == ref[name]["n"]
        for clause in h.CLAUSES:
            assert {k: s[clause][k] for k in ref[name][clause]} == ref[name][clause], (name, clause)
        assert s["private"]["vars_exact_given_both"] == ref[name]["private_vars_exact_given_both"]
        assert s["reduction"]["vars_exact_given_both"] == ref[name]["reduction_vars_exact_given_both"]
