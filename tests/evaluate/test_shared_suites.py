"""Acceptance figures on the shared benchmark suites (skipped without ../shared/data)."""
import pytest

from ompwise.evaluate.roundtrip import compilers, polybench_files, roundtrip_file
from tests.conftest import shared_path

pytestmark = pytest.mark.needs_shared_data


def test_dataracebench_advice():
    from ompwise.evaluate.drb_advice import evaluate
    r = evaluate(shared_path("bench", "dataracebench"))
    assert r["yes_files"] == 48 and r["no_files"] == 32
    assert r["unsafe"] == 0
    assert r["recovered"] >= 29


def test_autoparbench_scores():
    from ompwise.evaluate.autoparbench import evaluate
    r = evaluate(shared_path("eval", "autoparbench"))
    assert r["total"] == 1581  # loops numbered by order, so LU's same-line loops all count
    assert r["handled"] == r["total"]
    # regression guard; see BENCHMARKS.md for the figure (0.867 since functional casts are conversions:
    # Rodinia CFD's loops calling 'float(...)' became legal, and its reference leaves them serial; 0.865
    # since linearized rows are assumed apart (BOUNDS-ASSUMED): more Rodinia loops the reference leaves serial)
    assert r["weighted_f1"] >= 0.86
    assert r["weighted_f1"] > r["tools"]["Autopar"]["weighted_f1"]


def test_polybench_round_trip_compiles():
    files = polybench_files(shared_path("bench", "polybench"))
    assert len(files) == 30
    ccs = compilers()
    for path, inc, defs in files:
        r = roundtrip_file(path, inc, defs, ccs)
        assert r.restored, path
        for cc in ccs:
            if r.original_compiles[cc]:
                assert r.compiles[cc], (path, cc, r.error)
