"""The build end to end with the stand-in extractor: faults, truncated shards, kill and restart."""
import json
import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq

from ompwise.corpus.parts import PARTS
from tests.corpus.conftest import build_with, loop_file, record, write_shard

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def errors_of(out):
    with open(os.path.join(out, "errors.jsonl")) as f:
        return {e["path"]: e["reason"] for e in map(json.loads, f)}


def test_faulty_files_are_reported_and_skipped(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.c").write_text(loop_file("a[i] = 0;", "b[i] = 1;"))
    (src / "binary.c").write_bytes(b"for (;;)\0\x01\x02")
    (src / "huge.c").write_text("int x = 0; for (;;) " + "x++;" * (5 << 18))  # 5 MB on one line
    (src / "hang.c").write_text("void f() { SLEEP_ME; for (;;); }\n")
    (src / "crash.c").write_text("void f() { CRASH_ME; for (;;); }\n")
    info = build_with([src], tmp_path / "ds", settings=_fast_timeout())
    errs = errors_of(tmp_path / "ds")
    assert errs["binary.c"] == "binary file (NUL bytes)"
    assert errs["huge.c"].startswith("too large (5,242,")
    assert errs["hang.c"] == "time limit (1 s) exceeded"
    assert errs["crash.c"] == "worker died twice (SIGSEGV)"
    assert info["counts"]["loops"] == 2 and info["counts"]["errors"] == 4
    assert info["errors_by_kind"] == {"binary file": 1, "worker died twice": 1, "time limit": 1, "too large": 1}


def _fast_timeout():
    from tests.corpus.conftest import FAKE
    from ompwise.corpus.workers import Settings
    return Settings(**{**FAKE.__dict__, "time_limit": 1.0})


def test_truncated_shard_is_an_error_and_the_other_shards_are_mined(tmp_path, shards):
    recs = [record(f"o/r{k}", "a.c", loop_file(f"a[i] = {k};") + "/*" + os.urandom(2000).hex() + "*/") for k in range(6)]
    whole = write_shard(tmp_path / "w.jsonl.gz", recs)
    data = open(whole, "rb").read()
    (shards / "files-002.jsonl.gz").write_bytes(data[: len(data) // 2])
    info = build_with([shards], tmp_path / "ds")
    errs = errors_of(tmp_path / "ds")
    [(where, reason)] = [(p, r) for p, r in errs.items() if "gzip" in r]
    assert where.startswith("files-002.jsonl.gz:") and "are not mined" in reason
    c = info["counts"]
    assert c["units_done"] == c["units"] and info["run"]["units_failed"] == 0
    repos = {r["repo"] for r in pq.read_table(tmp_path / "ds" / "train.parquet").to_pylist()} | \
        {r["repo"] for r in pq.read_table(tmp_path / "ds" / "valid.parquet").to_pylist()}
    assert {"o/alpha", "o/beta", "o/gamma", "o/r0"} <= repos


def _children(pid):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    cmd = f.read()
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid and b"ompwise.corpus.workers" in cmd:
                out.append(int(p))
    return out


def _parts(ds):
    d = os.path.join(ds, PARTS)
    return {n: (os.stat(os.path.join(d, n)).st_ino, os.stat(os.path.join(d, n)).st_mtime_ns)
            for n in os.listdir(d) if n.endswith(".parquet") and not n.startswith(".tmp-")} if os.path.isdir(d) else {}


def _wait(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_sigkill_to_a_worker_then_the_driver_and_a_restart(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    recs = [record(f"o/r{r}", f"f{k}.c", loop_file(f"a[i] = {r} * {k};", f"b[i] = {r} + {k};"))
            for r in range(8) for k in range(3)]
    write_shard(src / "files-000.jsonl.gz", recs)
    ds = tmp_path / "ds"
    code = f"from tests.corpus.conftest import build_with; build_with([{str(src)!r}], {str(ds)!r}, jobs=2)"
    env = {**os.environ, "OMPWISE_FAKE_DELAY": "0.25"}
    driver = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        assert _wait(lambda: len(_parts(ds)) >= 1 and len(_children(driver.pid)) == 2), "no unit finished"
        victim = _children(driver.pid)[0]
        os.kill(victim, signal.SIGKILL)  # a worker, in the middle of a unit
        assert _wait(lambda: len(_parts(ds)) >= 3), "the run did not go on after the worker was killed"
        orphans = _children(driver.pid)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    finally:
        if driver.poll() is None:
            driver.kill()
    before = _parts(ds)
    assert 3 <= len(before) < 8 and not (ds / "dataset.json").exists()
    # the killed driver's children notice and exit
    assert _wait(lambda: not any(os.path.exists(f"/proc/{p}") and "Z" not in open(f"/proc/{p}/stat").read().split(")")[1][:3]
                                 for p in orphans), timeout=10)

    info = build_with([src], ds)
    after = _parts(ds)
    assert {n: after[n] for n in before} == before  # finished units were not mined again
    assert info["run"]["units_skipped"] == len(before) and info["run"]["units_run"] == 8 - len(before)
    rows = pq.read_table(ds / "train.parquet").to_pylist() + pq.read_table(ds / "valid.parquet").to_pylist()
    where = [(r["repo"], r["path"], r["line"]) for r in rows]
    assert len(where) == len(set(where)) == 8 * 3 * 2
    mined = sum(pq.read_metadata(os.path.join(ds, PARTS, n)).num_rows for n in after)
    assert mined == 48 and info["counts"]["duplicates_dropped"] == 0
    assert not [n for n in os.listdir(ds / PARTS) if n.startswith(".tmp-")]
