"""`ompwise train` end to end on a small dataset mined from generated files, then the model it
writes used by `check`, `explain` and `parallelize`."""
import json
import os
import random

import pytest

pytest.importorskip("sklearn", reason="the [train] extra (scikit-learn) is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")

from ompwise.cli import _proven_only, main  # noqa: E402
from ompwise.corpus.extract import file_rows  # noqa: E402
from ompwise.corpus.schema import arrow_schema  # noqa: E402

PARALLEL = "  #pragma omp parallel for\n  for (int i = 0; i < n; i++) {name}[i] = {other}[i] * {k} + 1.0;\n"
SERIAL = "  for (int i = 0; i < n; i++) printf(\"%d %f\\n\", i, {name}[i]);\n"


def _file(rng: random.Random, k: int) -> str:
    body = []
    for j in range(6):
        names = dict(name=rng.choice("abc"), other=rng.choice("xyz"), k=rng.randint(2, 9))
        body.append((PARALLEL if j % 2 == 0 else SERIAL).format(**names))
    return "#include <stdio.h>\nvoid f%d(int n, double *a, double *b, double *c, double *x, double *y, double *z) {\n%s}\n" % (
        k, "".join(body))


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    rng = random.Random(7)
    rows = []
    for k in range(60):
        rows += file_rows(_file(rng, k), "c", {"repo": f"owner/repo{k}", "path": f"f{k}.c"})
    ds = tmp_path_factory.mktemp("dataset")
    import pyarrow as pa
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema()), str(ds / "loops.parquet"))
    out = tmp_path_factory.mktemp("model")
    assert main(["train", str(ds), "-o", str(out), "--seed", "3"]) == 0
    return str(out)


def test_train_writes_a_model_with_its_card_and_metrics(model_dir):
    meta = json.load(open(os.path.join(model_dir, "model.json")))
    assert os.path.isfile(os.path.join(model_dir, "omp.txt"))
    assert {"lightgbm", "mlp", "ensemble"} <= set(meta["families"])
    assert 0 < meta["threshold"] < 1 and meta["validation"]["loops"] > 0
    card = open(os.path.join(model_dir, "CARD.md")).read()
    assert "Model card" in card and str(meta["threshold"]) in card and "Known limits" in card


def test_the_trained_model_separates_the_two_kinds_of_loops(model_dir):
    from ompwise.model.predict import LoopModel
    rows = file_rows(_file(random.Random(99), 0), "c", {"repo": "other/repo", "path": "g.c"})
    preds = LoopModel(model_dir).predict(rows)
    par = [p.probability for p, r in zip(preds, rows) if r["l_omp"]]
    ser = [p.probability for p, r in zip(preds, rows) if not r["l_omp"]]
    assert min(par) > max(ser)


def test_check_explain_and_a_broken_model_dir(model_dir, tmp_path, capsys):
    src = tmp_path / "k.c"
    src.write_text("void k(int n, double *a, double *b) {\n  for (int i = 0; i < n; i++) a[i] = b[i] * 2.0 + 1.0;\n}\n")
    assert main(["check", "--model", model_dir, "--format", "json", str(src)]) in (0, 1)
    loop = json.loads(capsys.readouterr().out)["files"][0]["loops"][0]
    assert loop["probability"] is not None
    assert main(["explain", "--model", model_dir, f"{src}:2"]) == 0
    out = capsys.readouterr().out
    assert "model:" in out and "[analysis]" in out or "[tokens]" in out
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "model.json").write_text("{not json")
    assert main(["check", "--model", str(tmp_path / "bad"), str(src)]) == 2
    err = capsys.readouterr().err
    assert "not a model directory" in err and "Traceback" not in err


def test_parallelize_writes_a_model_suggestion_only_once_verified():
    from tests.model.test_gate import Fixed, run
    suggestion = run(Fixed(0.9))[2]
    assert suggestion.source == "model" and suggestion.pragma
    held = _proven_only(suggestion, verified=False)
    assert held.pragma is None and held.code == "MODEL-PARALLEL" and "--verify" in held.reasons[0].message
    kept = _proven_only(suggestion, verified=True)
    assert kept.pragma == suggestion.pragma and kept.source == "verified"
    proven = run(Fixed(0.9))[0]
    assert _proven_only(proven, verified=False) is proven


def test_the_shipped_model_is_the_default_and_ompwise_model_none_turns_it_off(tmp_path, capsys, monkeypatch):
    from ompwise.model import shipped_model
    if shipped_model() is None:
        pytest.skip("this install ships no model")
    src = tmp_path / "k.c"
    src.write_text("void k(int n, double *a, double *b) {\n  for (int i = 0; i < n; i++) a[i] = b[i] * 2.0 + 1.0;\n}\n")
    monkeypatch.delenv("OMPWISE_MODEL", raising=False)
    main(["check", "--format", "json", str(src)])
    assert json.loads(capsys.readouterr().out)["files"][0]["loops"][0]["probability"] is not None
    monkeypatch.setenv("OMPWISE_MODEL", "none")
    main(["check", "--format", "json", str(src)])
    assert json.loads(capsys.readouterr().out)["files"][0]["loops"][0]["probability"] is None
    main(["check", "--no-model", "--format", "json", str(src)])
    assert json.loads(capsys.readouterr().out)["files"][0]["loops"][0]["probability"] is None
