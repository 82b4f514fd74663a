"""stats and query on DuckDB over a built dataset, and the 'ompwise corpus' commands."""
import json

import pytest

from ompwise.cli import main
from ompwise.corpus.store import DatasetError, query, render, stats
from tests.corpus.conftest import build_with


@pytest.fixture
def ds(tmp_path, shards):
    build_with([shards], tmp_path / "ds")
    return tmp_path / "ds"


def test_stats(ds):
    s = stats(str(ds))
    assert (s["loops"], s["positives"], s["repos"]) == (4, 2, 3)
    assert s["directives"] == {"parallel for": 2}
    assert s["languages"] == {"c": {"loops": 3, "positives": 1}, "cpp": {"loops": 1, "positives": 1}}
    assert s["removed"] == {"duplicate": 1} and s["counts"]["duplicates_dropped"] == 1
    assert [r["repo"] for r in s["top_repos"]] == ["o/alpha", "o/beta", "o/gamma"]


def test_query_views_and_formats(ds):
    cols, rows = query(str(ds), "select directive, count(*) n from loops group by 1 order by 1")
    assert cols == ["directive", "n"] and rows == [("", 2), ("parallel for", 2)]
    assert query(str(ds), "select count(*) from mined")[1] == [(5,)]
    assert query(str(ds), "select count(*) from errors")[1] == [(0,)]
    assert render(cols, rows, "csv") == "directive,n\n,2\nparallel for,2"
    assert json.loads(render(cols, rows, "json")) == [{"directive": "", "n": 2}, {"directive": "parallel for", "n": 2}]
    table = render(cols, rows).splitlines()
    assert table[0].split() == ["directive", "n"] and table[-1] == "(2 rows)"


def test_bad_queries_and_directories(ds, tmp_path):
    with pytest.raises(DatasetError, match="Parser Error|syntax error"):
        query(str(ds), "selec 1")
    with pytest.raises(DatasetError, match="not a built dataset"):
        stats(str(tmp_path))


def test_cli_stats_and_query(ds, capsys):
    assert main(["corpus", "query", str(ds), "select directive, count(*) from loops group by 1 order by 1", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "directive,count_star()\n,2\nparallel for,2\n"
    assert main(["corpus", "stats", str(ds)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("loops 4 (2 with a work-sharing pragma, 50.0%)") and "leakage: not checked" in out
    assert main(["corpus", "stats", str(ds), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["loops"] == 4


@pytest.mark.parametrize("argv, message", [
    (["corpus", "query", "{ds}", "select nope from loops"], "ompwise corpus query: error: Binder Error"),
    (["corpus", "stats", "{tmp}"], "ompwise corpus stats: error: {tmp}: not a built dataset"),
    (["corpus", "build", "{tmp}/missing", "-o", "{tmp}/out", "--no-leakage-filter"], "no such directory"),
    (["corpus", "build", "{ds}", "-o", "{tmp}/out", "--eval-data", "{tmp}/none"], "no evaluation data at"),
])
def test_cli_errors_are_one_line(ds, tmp_path, capsys, argv, message):
    argv = [a.format(ds=ds, tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path) in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_build_with_the_real_pipeline(shards, tmp_path, capsys):
    pytest.importorskip("ompwise.corpus.normalize", reason="corpus/normalize.py (the loop key) is not merged yet")
    ds = tmp_path / "real"
    argv = ["corpus", "build", str(shards), "-o", str(ds), "--no-leakage-filter", "--jobs", "1", "--no-progress"]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(f"{ds}: ")
    assert main(["corpus", "query", str(ds), "select count(*) from loops where l_omp", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "count_star()\n2\n"
    assert main(argv) == 0 and "3 already done" in capsys.readouterr().out
