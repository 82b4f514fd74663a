"""Sources cut into units: directories, git repositories (HEAD), JSON Lines shards."""
import gzip
import os
import subprocess

import pytest

from ompwise.corpus.sources import (FileError, SourceError, SourceFile, discover, language, plan_units,
                                    read_unit)
from tests.conftest import shared_path
from tests.corpus.conftest import loop_file, record, write_shard


def files_of(unit, max_bytes=1 << 20):
    return list(read_unit(unit, max_bytes))


def test_language_by_extension():
    assert [language(p) for p in ("a.c", "a.h", "a.cc", "a.CPP", "a.C", "a.hpp", "a.f90", "a.py")] == \
        ["c", "c", "cpp", "cpp", "cpp", "cpp", None, None]
    assert language("x.h", cpp_headers=True) == "cpp"


def test_directory_is_one_unit_with_its_c_and_cpp_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "k.cpp").write_text(loop_file("a[i] = 0;"))
    (tmp_path / "sub" / "k.h").write_text("int k(void);\n")
    (tmp_path / "m.cc").write_text("int m;\n")
    (tmp_path / "notes.txt").write_text("for\n")
    (tmp_path / "bin.c").write_bytes(b"\x7fELF\0\0for")
    (tmp_path / "latin.c").write_bytes("/* caf\xe9 */ int x; for".encode("latin-1") * 1)
    (tmp_path / "big.c").write_text("x" * 2000)
    os.symlink(tmp_path / "m.cc", tmp_path / "link.cc")
    [unit] = discover([str(tmp_path)])
    assert unit.kind == "dir" and unit.files == 6  # not the .txt, not the link
    got = {f.path: f for f in files_of(unit, max_bytes=1000)}
    assert isinstance(got["sub/k.cpp"], SourceFile) and got["sub/k.cpp"].lang == "cpp"
    assert got["sub/k.h"].lang == "c"  # three C files, two C++: headers are C
    assert got["bin.c"].reason == "binary file (NUL bytes)"
    assert got["big.c"].reason.startswith("too large")
    assert isinstance(got["latin.c"], FileError)  # 1 undecodable byte in 30: more than 1%


def test_directory_unit_id_follows_its_content(tmp_path):
    (tmp_path / "a.c").write_text("int a;\n")
    first = next(discover([str(tmp_path)])).id
    assert next(discover([str(tmp_path)])).id == first
    (tmp_path / "b.c").write_text("int b;\n")
    assert next(discover([str(tmp_path)])).id != first


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_git_repository_is_read_at_head_without_checkout(tmp_path):
    repo = tmp_path / "proj"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "remote", "add", "origin", "https://github.com/someone/proj.git")
    (repo / "src").mkdir()
    (repo / "src" / "a.c").write_text(loop_file("a[i] = 1;"))
    (repo / "README").write_text("for\n")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    (repo / "src" / "a.c").write_text("edited in the work tree\n")  # not committed: not read
    (repo / "new.c").write_text("int untracked;\n")
    [unit] = discover([str(repo)])
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert (unit.kind, unit.repo, unit.commit, unit.files) == ("git", "someone/proj", head, 1)
    [f] = files_of(unit)
    assert (f.path, f.commit, f.lang) == ("src/a.c", head, "c") and "a[i] = 1;" in f.text


def test_shards_give_one_unit_per_repository_group(shards):
    units = list(discover([str(shards)]))
    assert [(u.repo, u.commit, u.files) for u in units] == [("o/alpha", "c0ffee", 1), ("o/beta", "beef", 1), ("o/gamma", "f00d", 2)]
    assert [u.id for u in plan_units([str(shards)])] == [u.id for u in units]  # planning names the same units
    assert len({u.slug for u in units}) == 3
    [f] = files_of(units[0])  # the Fortran record is not a C/C++ file
    assert (f.repo, f.path, f.lang) == ("o/alpha", "a.c", "c")
    assert [u.id for u in discover([str(shards / "files-001.jsonl.gz")])] == [units[2].id]  # one shard by its path


def test_truncated_shard_keeps_its_complete_groups_and_reports_the_rest(tmp_path):
    recs = [record("o/a", f"a{i}.c", loop_file("a[i] = 0;") + "/*" + "x" * 3000 + "*/") for i in range(3)]
    recs += [record("o/b", f"b{i}.c", loop_file("a[i] = 1;") + "/*" + os.urandom(3000).hex() + "*/") for i in range(20)]
    whole = write_shard(tmp_path / "whole.jsonl.gz", recs)
    data = open(whole, "rb").read()
    (tmp_path / "files-000.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    units = list(discover([str(tmp_path / "files-000.jsonl.gz")]))
    assert units[0].repo == "o/a" and units[0].files == 3 and not units[0].problems
    assert units[-1].files == 0 and "truncated or corrupt gzip shard" in units[-1].problems[-1].reason
    assert "o/b" in units[-1].problems[-1].reason


def test_bad_record_is_reported_and_the_shard_goes_on(tmp_path):
    path = tmp_path / "files-000.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"repo": "o/a", "commit": "c", "path": "a.c", "lang": "c", "text": "for"}\n{not json\n')
    [unit] = discover([str(tmp_path)])
    assert unit.files == 1 and unit.problems[0].path == "files-000.jsonl.gz:2"


def test_unknown_source_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="no such directory"):
        list(discover([str(tmp_path / "missing")]))


@pytest.mark.needs_shared_data
def test_shared_corpus_plan():
    units = list(plan_units([shared_path("corpus")]))
    assert len({u.source for u in units}) >= 3 and len({u.id for u in units}) == len(units)
    assert sum(u.files for u in units) > 13000
