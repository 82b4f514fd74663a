"""The evaluation sets' loops and their index (ompwise.corpus.evalsets), on a small data folder
built here with the real layout, and on ../shared/data where it is present."""
import io
import json
import os
import tarfile

import pytest

from ompwise.corpus import evalsets
from ompwise.corpus.evalsets import EvalIndex, iter_eval_loops, source_loops
from ompwise.corpus.normalize import loop_key
from tests.conftest import SHARED

C_FILE = """#include <stdio.h>
int a[100], b[100];
int main(void) {
  int s = 0;
#pragma omp parallel for reduction(+:s) \\
        schedule(static)
  for (int i = 0; i < 100; i++) {
    for (int j = 0; j < i; j++)   // nested
      s += a[j];
  }
  while (s > 10) s /= 2;
  do { s++; } while (s < 3);
  return s;
}
"""
CXX_FILE = "void f(std::vector<int>& v) { for (auto& x : v) x = 0; }\n"


def _tar(path, members):
    with tarfile.open(path, "w:gz") as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


@pytest.fixture
def data_dir(tmp_path):
    ev, bench = tmp_path / "eval", tmp_path / "bench"
    (ev / "ompify").mkdir(parents=True)
    for split in evalsets.OMPIFY_SPLITS:
        recs = [{"code": f"for (i = 0; i < n; i++)\n  a[i] = {split!r};\n", "exist": 0}] if split != "test" else [
            {"code": "for (i = 0; i < n; i++)\n{\n  y[i] = (a * x[i]) + y[i];\n}\n\n", "exist": 1},
            {"code": "for (k = 0; k < m; k++)\n  s += v[k];\n\n", "exist": 1}]
        (ev / "ompify" / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    (ev / "hpcorpus_omp" / "cpu_test").mkdir(parents=True)
    (ev / "hpcorpus_omp" / "cpu_test" / "test_source_BPE.jsonl").write_text(
        json.dumps({"code": "for (k = 0; k < m; k++) \n\t{ s += v[k]; }", "pragma": "parallel for", "hash": ""}) + "\n")
    (ev / "autoparbench").mkdir()
    _tar(ev / "autoparbench" / "AutoParBench-x.tar.gz", {
        "AutoParBench-x/benchmarks/sequential/DRB/a.c": C_FILE,
        "AutoParBench-x/benchmarks/Cetus/DRB/a.c": "void g() { for (;;) break; }\n",  # a tool's output
        "AutoParBench-x/benchmarks/sequential/DRB/notes.md": "for (;;) {}\n"})
    for suite in ("dataracebench", "polybench", "npb", "realapps"):
        (bench / suite).mkdir(parents=True)
    _tar(bench / "realapps" / "app.tar.gz", {"app/src/f.cpp": CXX_FILE, "app/README.md": "for"})
    (bench / "dataracebench" / "drb_ml.json").write_text(json.dumps(
        [{"name": "DRB1-x.c", "DRB_code": "void h(int *p) { for (int q = 0; q < 4; q++) p[q] = q; }"},
         {"name": "DRB2-x.f95", "DRB_code": "do i = 1, 4\nend do"}]))
    return str(tmp_path)


def test_source_loops_takes_every_loop_nested_included_with_pragmas_blanked():
    loops = list(source_loops(C_FILE))
    assert [c.split("(")[0].split("{")[0].strip() for c in loops] == ["for", "for", "while", "do"]
    assert loops[1] == "for (int j = 0; j < i; j++)   // nested\n      s += a[j];"
    assert not any("pragma" in c for c in loops)
    assert list(source_loops(CXX_FILE)) == ["for (auto& x : v) x = 0;"]
    assert len(list(source_loops(C_FILE, evalsets.FOR_NODES))) == 2


def test_iter_eval_loops_reads_every_set(data_dir):
    got = list(iter_eval_loops(data_dir))
    by_set = {}
    for name, code in got:
        by_set.setdefault(name, []).append(code)
    assert set(by_set) <= set(evalsets.SETS)
    assert len(by_set["ompify/test"]) == 2 and len(by_set["ompify/valid"]) == 1
    assert len(by_set["hpcorpus_omp"]) == 1
    assert len(by_set["autoparbench"]) == 4  # the sequential inputs only, C files only
    assert by_set["realapps"] == ["for (auto& x : v) x = 0;"]
    assert by_set["dataracebench"] == ["for (int q = 0; q < 4; q++) p[q] = q;"]
    assert "polybench" not in by_set and "npb" not in by_set  # no tarballs there


def test_index_sets_sizes_and_cache(data_dir, tmp_path, monkeypatch):
    cache = str(tmp_path / "cache")
    ix = EvalIndex.load(data_dir, cache_dir=cache)
    # the OMPify loop and the HPCorpus loop are one loop written two ways
    k = loop_key("for (kk = 0; kk < len; kk++) { total += arr[kk]; }")
    assert ix.sets_of(k) == ("ompify/test", "hpcorpus_omp")
    assert ix.sets_of(loop_key("for (;;) novel();")) == ()
    assert ix.sizes["ompify/test"] == 2 and ix.sizes["autoparbench"] == 4 and ix.loops["ompify/test"] == 2
    files = os.listdir(cache)
    assert len(files) == 1 and files[0].startswith("evalindex-")
    # a second load reads the cache (the data is not read again) ...
    with monkeypatch.context() as m:
        m.setattr(evalsets, "_set_loops", None)
        again = EvalIndex.load(data_dir, cache_dir=cache)
    assert again.sizes == ix.sizes and again.sets_of(k) == ix.sets_of(k)
    # ... until a set changes
    path = os.path.join(data_dir, "eval", "ompify", "valid.jsonl")
    with open(path, "a") as fh:
        fh.write(json.dumps({"code": "for (;;) novel();"}) + "\n")
    os.utime(path, ns=(1, 1))
    changed = EvalIndex.load(data_dir, cache_dir=cache)
    assert changed.sets_of(loop_key("for (;;) novel();")) == ("ompify/valid",)
    assert len(os.listdir(cache)) == 2


def test_shared_data_sets_have_their_documented_sizes():
    if not os.path.isdir(os.path.join(SHARED, "eval")):
        pytest.skip(f"../shared/data not available ({SHARED} missing)")
    files = evalsets._files(SHARED)
    assert all(files[name] for name in evalsets.SETS), "an evaluation set's files are missing"
    counts = {}
    for name in ("ompify/test", "ompify/test_poly", "hpcorpus_omp"):
        counts[name] = sum(1 for _ in evalsets._set_loops(name, files[name]))
    # the records of the JSON Lines sets, as the data README counts them
    assert counts == {"ompify/test": 5296, "ompify/test_poly": 148, "hpcorpus_omp": 2593}
    # every C/C++ file of the sequential AutoParBench inputs is read
    assert len(files["autoparbench"]) == 1
    n = sum(1 for _ in evalsets._tar_sources(files["autoparbench"][0], "/benchmarks/sequential/"))
    assert n == 144
