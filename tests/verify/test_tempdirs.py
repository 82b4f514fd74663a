"""Temporary directories named after their owner; the next run removes those of a killed one."""
import os
import subprocess
import time

import pytest

from ompwise.verify import procs, tempdirs


def test_owned_directory_names_its_owner_and_goes_away_even_on_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempdirs.tempfile, "tempdir", None)
    with pytest.raises(RuntimeError):
        with tempdirs.owned("ompwise-verify-") as d:
            assert os.path.basename(d).startswith(f"ompwise-verify-{procs.owner_id()}-")
            open(os.path.join(d, "f"), "w").close()
            raise RuntimeError
    assert os.listdir(tmp_path) == []


def test_remove_stale_takes_only_the_directories_of_gone_owners(tmp_path):
    p = subprocess.Popen(["true"])
    dead = procs.owner_id(p.pid)
    p.wait()
    mine = tmp_path / f"ompwise-verify-{procs.owner_id()}-aaa"
    gone = tmp_path / f"ompwise-trial-{dead}-bbb"
    old = tmp_path / "ompwise-verify-ccc"  # named by a version that did not name its owner
    recent = tmp_path / "ompwise-verify-ddd"
    other = tmp_path / f"unrelated-{dead}-eee"
    for d in (mine, gone, old, recent, other):
        d.mkdir()
    t = time.time() - tempdirs.OWNERLESS_AGE_S - 60
    os.utime(old, (t, t))
    assert sorted(tempdirs.remove_stale(str(tmp_path))) == sorted([str(old), str(gone)])
    assert sorted(os.listdir(tmp_path)) == sorted([mine.name, recent.name, other.name])


def test_every_kind_of_ompwise_directory_is_removed_once_its_owner_is_gone(tmp_path):
    p = subprocess.Popen(["true"])
    dead = procs.owner_id(p.pid)
    p.wait()
    for prefix in tempdirs.PREFIXES:
        (tmp_path / f"{prefix}{dead}-x").mkdir()
    assert {"ompwise-races-", "ompwise-npb-", "ompwise-polybench-"} <= set(tempdirs.PREFIXES)
    assert len(tempdirs.remove_stale(str(tmp_path))) == len(tempdirs.PREFIXES)
    assert os.listdir(tmp_path) == []
