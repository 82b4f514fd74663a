"""A cache that cannot lose a result: corrupt, foreign, locked or read-only caches are
reported once (naming the file) and skipped, and the verification's result still comes."""
import os
import shutil
import sqlite3
import subprocess

import pytest

from ompwise.cli import main
from ompwise.verify import cache as cache_mod
from ompwise.verify import program
from ompwise.verify.cache import SCHEMA, Cache
from ompwise.verify.program import Verification, VerifyOptions, verify

CC = "clang-14" if shutil.which("clang-14") else "gcc"
needs_cc = pytest.mark.skipif(not shutil.which(CC), reason="no C compiler")
RESULT = {"status": "verified", "evidence": "", "races": [], "speedup": {}, "cached": False}
PROG = '#include <stdio.h>\nint main(void) { int s = 0;\n  for (int i = 0; i < 100; i++) s += i;\n  printf("%d\\n", s); return 0; }\n'


def corrupt(path):
    with open(path, "wb") as fh:
        fh.write(b"this is not a database\n" * 200)


def foreign(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (id INTEGER, text TEXT)")
    db.commit()
    db.close()


def foreign_results(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE results (id INTEGER, score REAL, run TEXT)")
    db.commit()
    db.close()


def read_only(path):
    Cache(path).close()
    os.chmod(path, 0o444)


def read_only_dir(path):
    Cache(path).close()
    os.chmod(os.path.dirname(path), 0o555)


BROKEN = {"corrupt": (corrupt, "corrupt"), "foreign": (foreign, "not an ompwise cache"),
          "foreign-results": (foreign_results, "not an ompwise cache"), "read-only": (read_only, "read-only"),
          "read-only-dir": (read_only_dir, "read-only")}


def warnings(err: str, path) -> list[str]:
    lines = [l for l in err.splitlines() if "verification cache not used" in l]
    assert all(l.startswith(f"{path}: warning: ") for l in lines), lines
    return lines


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_an_unusable_cache_is_named_once_and_skipped(tmp_path, capsys, kind):
    path = tmp_path / "c" / "verify.sqlite"
    path.parent.mkdir()
    make, why = BROKEN[kind]
    make(str(path))
    before = path.read_bytes()
    c = Cache(str(path))
    assert c.get("k") is None
    c.put("k", RESULT)  # (no exception: the result is the caller's to print)
    c.close()
    Cache(str(path)).close()  # parallelize --verify opens it once per trial: one warning in all
    lines = warnings(capsys.readouterr().err, path)
    assert len(lines) == 1 and why in lines[0], lines
    assert path.read_bytes() == before  # someone else's file is left alone
    os.chmod(path, 0o644)
    os.chmod(path.parent, 0o755)


def test_a_new_cache_has_a_schema_version_and_wal(tmp_path, capsys):
    path = str(tmp_path / "verify.sqlite")
    c = Cache(path)
    c.put("k", RESULT)
    assert Cache(path).get("k") == RESULT  # stored at once, visible to another connection
    c.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert capsys.readouterr().err == ""


def test_a_cache_from_before_the_schema_version_is_upgraded(tmp_path, capsys):
    path = str(tmp_path / "verify.sqlite")
    db = sqlite3.connect(path)  # as ompwise 0.1 wrote it
    db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO results VALUES ('k', '{\"status\": \"verified\"}')")  # an older shape
    db.commit()
    db.close()
    c = Cache(path)
    assert c.get("k") is None and c.db is not None
    c.put("k", RESULT)
    assert c.get("k") == RESULT and capsys.readouterr().err == ""


def test_a_bad_entry_is_a_miss_with_a_warning(tmp_path, capsys):
    path = str(tmp_path / "verify.sqlite")
    Cache(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO results VALUES ('json', '{not json'), ('shape', '[1, 2]')")
    db.commit()
    db.close()
    assert Cache(path).get("json") is None
    assert Cache(path).get("shape") is None
    lines = warnings(capsys.readouterr().err, path)
    assert len(lines) == 1 and "corrupt" in lines[0]


def test_a_locked_cache_is_skipped(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "verify.sqlite")
    Cache(path).close()
    monkeypatch.setattr(cache_mod, "LOCK_WAIT_S", 0.1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        assert Cache(path).get("k") is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    lines = warnings(capsys.readouterr().err, path)
    assert len(lines) == 1 and "locked by another process" in lines[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_cache_on_a_read_only_mount_is_known_before_the_verification(tmp_path, capsys, monkeypatch):
    d = tmp_path / "ro"
    d.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(d)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        Cache(str(d / "verify.sqlite")).close()
        subprocess.run(["mount", "-o", "remount,ro", str(d)], check=True)
        monkeypatch.setenv("OMPWISE_CACHE", str(d))
        seen = []

        def fake_verify(ws, o):  # the work that the warning must come before
            seen.append(capsys.readouterr().err)
            return Verification("verified")

        monkeypatch.setattr(program, "_verify", fake_verify)
        src = tmp_path / "p.c"
        src.write_text(PROG)
        v = verify([str(src)], VerifyOptions(cc=CC, timing=False, race_check=False))
        assert v.status == "verified" and not v.cached
        lines = warnings(seen[0], d / "verify.sqlite")
        assert len(lines) == 1 and lines[0].endswith("not used: on a read-only file system"), lines
        assert capsys.readouterr().err == ""  # and not again when the result is stored
    finally:
        subprocess.run(["umount", str(d)], check=True)


@needs_cc
@pytest.mark.parametrize("kind", ["corrupt", "foreign-results", "read-only"])
def test_verify_prints_its_result_whatever_the_cache(tmp_path, capsys, monkeypatch, kind):
    monkeypatch.setenv("OMPWISE_CACHE", str(tmp_path))
    path = tmp_path / "verify.sqlite"
    BROKEN[kind][0](str(path))
    src = tmp_path / "p.c"
    src.write_text(PROG)
    rc = main(["verify", str(src), "--no-timing", "--no-race-check", "--cc", CC])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith(f"{src}: verified"), (out, err)
    assert len(warnings(err, path)) == 1 and err.count("\n") == 1 and "internal error" not in err, err
    os.chmod(path, 0o644)
