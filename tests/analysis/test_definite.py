"""A dependence the tests find for every value of the names it involves is a proof that the loop
is illegal; one found only for some values (an unknown offset, a product of names taken as
unrelated values) is not: it carries ``definite: False`` and the condition under which the
iterations are independent, and the model and the LLM may decide such a loop (their pragmas are
written only once verified)."""
import pytest

from ompwise import analyze_source
from ompwise.api import Options
from ompwise.reasons import Reason, all_unsettled, unsettled

SOURCE = b"""
void f(int *a, int n, int k, int H, int W, int *ch, int m) {
  for (int i = 0; i < n - 1; i++) a[i + 1] = a[i];
  for (int i = 0; i < n; i++) a[i + k] = a[i];
  for (int u = 0; u < W - 1; u++) { ch[0 + u] = 1; ch[(H - 1) * W + u] = 1; }
  for (int i = 0; i < n; i++) a[2 * i + 1] = a[i];
  for (int i = 0; i < n; i++) a[0] = a[i];
}
"""


@pytest.fixture(scope="module")
def carried():
    fa = analyze_source(SOURCE, "f.c", "c", Options(read_headers=False))
    tops = [a for a in fa.loops if a.loop.parent is None]
    return [a.legality.blockers[0] for a in tops]


def test_a_constant_distance_or_one_element_is_definite(carried):
    for k in (0, 3, 4):  # a[i+1] = a[i]; a[2i+1] = a[i]; a[0] in every iteration
        assert carried[k].code == "DEP-CARRIED" and carried[k].evidence["definite"] is True, carried[k]
        assert not unsettled(carried[k])


def test_an_unknown_offset_is_not_a_proof_and_says_when_it_holds(carried):
    r = carried[1]
    assert r.code == "DEP-CARRIED" and r.evidence["definite"] is False
    assert r.evidence["independent_if"] == "k <= -n or k >= n or k = 0"
    assert "none if k <= -n or k >= n or k = 0" in r.message
    assert unsettled(r) and all_unsettled([r])


def test_a_product_of_names_is_not_a_proof(carried):
    # (H-1)*W: the test takes H*W as a value unrelated to W, so what it finds is no proof
    r = carried[2]
    assert r.code == "DEP-CARRIED" and r.evidence["definite"] is False and unsettled(r)


def test_unsettled_codes_and_proofs():
    assert unsettled(Reason("CALL-UNKNOWN", "", 1, 1))
    assert not unsettled(Reason("SCALAR-CARRIED", "", 1, 1))
    assert unsettled(Reason("DEP-CARRIED", "", 1, 1, {"exact": False, "definite": True}))
    assert not unsettled(Reason("DEP-CARRIED", "", 1, 1, {"exact": True, "definite": True}))
    assert not all_unsettled([]) and not all_unsettled([Reason("CALL-UNKNOWN", "", 1, 1), Reason("IO", "", 1, 1)])
