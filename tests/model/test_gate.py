"""The rules by which the model's probability enters `advise` (model/gate.py), with a model
double whose probability the test sets: the rules, not the model, are under test here."""
import pytest

from ompwise.advise import advise
from ompwise.analysis.legality import Analyzer
from ompwise.frontend.parse import parse_source
from ompwise.model.predict import Prediction

SOURCE = b"""
#include <stdio.h>
void ext(double *p);
void f(int n, double *a, double *b, double *c) {
  for (int i = 0; i < n; i++) a[i] = b[i] + 1.0;
  for (int i = 1; i < n; i++) c[i] = c[i - 1] + 1.0;
  for (int i = 0; i < n; i++) ext(&a[i]);
  for (int i = 0; i < n; i++) printf("%f\\n", a[i]);
}
"""


class Fixed:
    """A model whose every loop gets the same probability."""
    def __init__(self, p, threshold=0.5):
        self.p, self.threshold = p, threshold

    def predict(self, rows, clauses=False):
        return [Prediction(self.p, {}) for _ in rows]


def run(model):
    tu = parse_source(SOURCE, "f.c", "c")
    return advise(tu, Analyzer(tu), model)


def test_without_a_model_the_analysis_decides_alone():
    legal, carried, unknown, io = run(None)
    assert legal.pragma and legal.source == "analysis" and legal.probability is None
    assert carried.pragma is None and unknown.pragma is None and io.pragma is None


@pytest.mark.parametrize("p", [0.0, 0.6, 1.0])
def test_a_loop_proven_illegal_never_gets_a_pragma(p):
    _, carried, _, io = run(Fixed(p))
    assert carried.pragma is None and carried.code == "DEP-CARRIED"
    assert io.pragma is None and io.code == "IO"
    assert carried.probability == p


def test_a_legal_loop_the_model_finds_unlikely_gets_a_note_with_the_probability():
    legal = run(Fixed(0.2))[0]
    assert legal.pragma is None and legal.parallelizable
    assert legal.code == "MODEL-UNLIKELY" and "0.20" in legal.reasons[0].message
    assert legal.source == "model" and legal.confidence == pytest.approx(0.8)


def test_a_legal_loop_the_model_finds_likely_keeps_the_analysis_pragma():
    legal = run(Fixed(0.9))[0]
    assert legal.pragma == "#pragma omp parallel for" and legal.source == "analysis" and legal.probability == 0.9


def test_an_undecided_loop_gets_the_models_verdict_with_its_condition():
    unknown = run(Fixed(0.9))[2]
    assert unknown.pragma == "#pragma omp parallel for" and unknown.source == "model"
    assert not unknown.parallelizable and unknown.confidence == pytest.approx(0.9)
    assert unknown.code == "MODEL-PARALLEL" and "ext" in unknown.reasons[0].message
    assert any(r.code == "CALL-UNKNOWN" for r in unknown.reasons)
    assert run(Fixed(0.3))[2].pragma is None


class Vetoing(Fixed):
    """A model whose veto on proven-legal loops is lower than its decision threshold."""
    def __init__(self, p, threshold=0.5, veto=0.2):
        super().__init__(p, threshold)
        self.veto = veto

    def threshold_for(self, snippet):
        return self.threshold

    def veto_for(self, snippet):
        return self.veto


def test_a_proven_legal_loop_keeps_its_pragma_unless_the_model_is_confident_against_it():
    legal, _, unknown, _ = run(Vetoing(0.3))
    assert legal.pragma and legal.source == "analysis"  # 0.3 is above the veto (0.2)
    assert unknown.pragma is None  # but below the threshold an unsettled loop needs (0.5)
    vetoed = run(Vetoing(0.1))[0]
    assert vetoed.pragma is None and vetoed.code == "MODEL-UNLIKELY" and "below 0.20" in vetoed.reasons[0].message


OFFSET = b"""
void g(int n, int k, double *a) {
  for (int i = 0; i < n; i++) a[i + k] = a[i] * 2.0;
  for (int i = 0; i < n - 1; i++) a[i + 1] = a[i] * 2.0;
}
"""


def test_a_dependence_only_some_values_give_is_left_to_the_model_with_its_condition():
    tu = parse_source(OFFSET, "g.c", "c")
    offset, next_ = advise(tu, Analyzer(tu), Fixed(0.9))
    assert offset.pragma == "#pragma omp parallel for" and offset.source == "model"
    assert "k <= -n or k >= n or k = 0" in offset.reasons[0].message
    assert next_.pragma is None and next_.code == "DEP-CARRIED"  # a constant distance is a proof
