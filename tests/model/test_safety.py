"""No loop the analysis proves illegal gets a pragma, whatever the model says: counted over the
loops of the suites (OMPify's benchmark splits, DataRaceBench's parallel-for files with their
pragmas stripped, PolyBench) with the shipped model."""
import json
import os

import pytest

from ompwise.api import Options, analyze_source
from ompwise.evaluate.drb_advice import strip_pragmas
from ompwise.evaluate.ompify import unit
from ompwise.model import shipped_model
from ompwise.reasons import all_unsettled
from tests.conftest import shared_path


def _proven_illegal_with_pragma(fa) -> list[str]:
    bad = []
    for a in fa.loops:
        lg = a.legality
        if lg is None or lg.parallel or a.pragma is None:
            continue
        if not all_unsettled(lg.blockers):
            bad.append(f"{fa.path}:{a.loop.loc.line} {sorted(r.code for r in lg.blockers)} {a.pragma}")
    return bad


@pytest.fixture(scope="module")
def model():
    m = shipped_model()
    if m is None:
        pytest.skip("this install ships no model (src/ompwise/model/default/model.json)")
    return m


def test_ompify_benchmark_splits(model):
    bad, n = [], 0
    for split in ("test_nas", "test_poly"):
        with open(shared_path("eval", "ompify", f"{split}.jsonl"), encoding="utf-8") as fh:
            for line in fh:
                fa = analyze_source(unit(json.loads(line)["code"]), "loop.c", "c",
                                    Options(read_headers=False, snippet=True, model=model))
                n += len(fa.loops)
                bad += _proven_illegal_with_pragma(fa)
    assert n > 400 and bad == []


def test_dataracebench_parallel_for_files(model, tmp_path):
    listing = shared_path("bench", "dataracebench", "drb_c_files_parallel_for_only.txt")
    from ompwise.evaluate.data import extracted, find_dir
    micro = find_dir(extracted(os.path.dirname(listing)), "micro-benchmarks")
    bad, n = [], 0
    for name in open(listing).read().split():
        stripped, _ = strip_pragmas(open(os.path.join(micro, name), "rb").read())
        fa = analyze_source(stripped, name, "c", Options(model=model))
        n += len(fa.loops)
        bad += _proven_illegal_with_pragma(fa)
    assert n > 80 and bad == []
