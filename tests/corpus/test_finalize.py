"""Dedup in source order, the leakage filter and its report, the split by repository, dataset.json, CARD.md."""
import json

import pyarrow.parquet as pq
import pytest

from ompwise.corpus import finalize
from ompwise.corpus.finalize import split_of
from tests.corpus import fakes
from tests.corpus.conftest import build_with, loop_file


def _rows(ds):
    return pq.read_table(ds / "train.parquet").to_pylist() + pq.read_table(ds / "valid.parquet").to_pylist()


def _project(root, name, *bodies):
    d = root / name
    d.mkdir()
    (d / "k.c").write_text(loop_file(*bodies))
    return d


class StandInIndex:
    """The evaluation sets' index, as evalsets.EvalIndex answers: sets by key, sizes by set."""

    def __init__(self, sets: dict[str, list[str]]):
        self.sizes = {name: len(codes) for name, codes in sets.items()}
        self.keys = {}
        for name, codes in sets.items():
            for code in codes:
                self.keys.setdefault(fakes.loop_key(code), []).append(name)

    def sets_of(self, key):
        return tuple(self.keys.get(key, ()))


def test_duplicates_keep_the_first_copy_in_source_order(tmp_path):
    first = _project(tmp_path, "first", "a[i] = b[i];", "b[i] = 7;")
    second = _project(tmp_path, "second", "a[i]   =   b[i];")
    info = build_with([second, first], tmp_path / "ds")
    rows = _rows(tmp_path / "ds")
    assert sorted((r["repo"], r["code"]) for r in rows) == [("first", "for (i = 0; i < n; i++) b[i] = 7;"),
                                                            ("second", "for (i = 0; i < n; i++) a[i]   =   b[i];")]
    assert info["counts"]["duplicates_dropped"] == 1 and info["counts"]["distinct_loops"] == 2
    removed = pq.read_table(tmp_path / "ds" / "removed.parquet").to_pylist()
    assert [(r["repo"], r["reason"]) for r in removed] == [("first", "duplicate")]


def test_loops_of_an_evaluation_set_are_dropped_and_counted(tmp_path, monkeypatch):
    leaky = "for (i = 0; i < n; i++) a[i] = b[i];"
    index = StandInIndex({"ompify-test": [leaky, "for (;;) x();"], "polybench": [leaky], "npb": ["while (1) {}"]})
    monkeypatch.setattr(finalize, "_eval_index", lambda data_dir: index)
    one = _project(tmp_path, "one", "a[i] = b[i];", "b[i] = 3;")
    two = _project(tmp_path, "two", "a[i] = b[i];")
    info = build_with([one, two], tmp_path / "ds", eval_data=str(tmp_path))
    assert [r["code"] for r in _rows(tmp_path / "ds")] == ["for (i = 0; i < n; i++) b[i] = 3;"]
    assert info["counts"]["leaked_dropped"] == 1 and info["counts"]["duplicates_dropped"] == 1
    assert info["leakage"]["sets"] == {
        "npb": {"size": 1, "distinct_loops_found": 0, "corpus_rows_found": 0},
        "ompify-test": {"size": 2, "distinct_loops_found": 1, "corpus_rows_found": 2},
        "polybench": {"size": 1, "distinct_loops_found": 1, "corpus_rows_found": 2}}
    removed = pq.read_table(tmp_path / "ds" / "removed.parquet").to_pylist()
    assert [(r["repo"], r["reason"], r["sets"]) for r in removed] == [
        ("one", "evaluation set", ["ompify-test", "polybench"]), ("two", "duplicate", ["ompify-test", "polybench"])]
    card = (tmp_path / "ds" / "CARD.md").read_text()
    assert "| ompify-test | 2 | 1 | 2 |" in card and "Leakage after filtering: 0." in card


def test_split_is_by_repository_and_stable(tmp_path):
    projects = [_project(tmp_path, f"p{k}", f"a[i] = {k};", f"b[i] = {k};") for k in range(12)]
    info = build_with(projects, tmp_path / "ds", valid_fraction=0.5, seed=1)
    rows = _rows(tmp_path / "ds")
    split = {}
    for r in rows:
        assert split.setdefault(r["repo"], r["split"]) == r["split"]  # one side per repository
        assert r["split"] == split_of(r["repo"], 0.5, 1)
    assert set(split.values()) == {"train", "valid"}
    assert info["counts"]["train"] + info["counts"]["valid"] == 24
    assert split_of("owner/name", 0.1, 13) == split_of("owner/name", 0.1, 13)
    assert {split_of(f"r{k}", 0.1, 13) for k in range(200)} == {"train", "valid"}


def test_dataset_json_and_card(tmp_path, shards):
    build_with([shards], tmp_path / "ds")
    info = json.loads((tmp_path / "ds" / "dataset.json").read_text())
    assert info["counts"]["units"] == 3 and info["counts"]["files"] == 4
    assert {"ompwise", "tree-sitter", "pyarrow", "duckdb"} <= set(info["versions"])
    assert info["split"]["by"] == "repository" and info["split"]["valid_fraction"] == 0.1
    assert info["sources"][0]["kinds"] == ["shard"] and info["command"]
    card = (tmp_path / "ds" / "CARD.md").read_text()
    for heading in ("## Sources and licenses", "## Counts", "## Labels", "## Deduplication and leakage",
                    "## Known biases", "Course exercises", "Copied kernels", "## Repositories"):
        assert heading in card
    assert "Not checked against evaluation sets" in card
