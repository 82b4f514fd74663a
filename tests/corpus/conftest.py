import gzip
import importlib.util
import json
import os

import pytest

from ompwise.corpus.runner import BuildOptions, build
from ompwise.corpus.workers import Settings, close_all


def keyer() -> str:
    """The pipeline's loop key when it is there, else the stand-in of tests/corpus/fakes.py."""
    if importlib.util.find_spec("ompwise.corpus.normalize"):
        return "ompwise.corpus.normalize:loop_key"
    return "tests.corpus.fakes:loop_key"


FAKE = Settings(time_limit=5, memory_mb=1024, extractor="tests.corpus.fakes:file_rows", keyer="tests.corpus.fakes:loop_key")
REAL = Settings(time_limit=30, keyer=keyer())


def opts(settings: Settings = FAKE, **kw) -> BuildOptions:
    kw.setdefault("jobs", 2)
    kw.setdefault("progress", False)
    return BuildOptions(settings=settings, **kw)


def build_with(srcs, out, settings: Settings = FAKE, **kw) -> dict:
    return build([str(s) for s in srcs], str(out), opts(settings, **kw))


def record(repo, path, text, lang="c", commit="c0ffee"):
    import hashlib
    return {"repo": repo, "commit": commit, "path": path, "lang": lang,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text}


def write_shard(path, records) -> str:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    return str(path)


def loop_file(*bodies: str, pragma_first: bool = True) -> str:
    """A C file with one loop per body, the first under '#pragma omp parallel for'."""
    out = ["double a[100], b[100];", "void f(int n) {", "  int i;"]
    for k, body in enumerate(bodies):
        if k == 0 and pragma_first:
            out.append("  #pragma omp parallel for")
        out.append(f"  for (i = 0; i < n; i++) {body}")
    out.append("}")
    return "\n".join(out) + "\n"


@pytest.fixture(autouse=True)
def _no_children_left():
    yield
    close_all()  # the mining children of this test's threads


@pytest.fixture
def shards(tmp_path):
    """Two shards of three repositories (one C++ file, one Fortran record, one duplicate loop)."""
    d = tmp_path / "corpus"
    d.mkdir()
    write_shard(d / "files-000.jsonl.gz", [
        record("o/alpha", "a.c", loop_file("a[i] = b[i];", "b[i] = 2 * b[i];")),
        record("o/alpha", "b.f90", "do i = 1, n\nend do\n", lang="fortran"),
        record("o/beta", "k.cpp", loop_file("a[i] = b[i] + 1;"), lang="cpp", commit="beef"),
    ])
    write_shard(d / "files-001.jsonl.gz", [
        record("o/gamma", "x.c", loop_file("a[i] = b[i];", "a[i] = a[i] + 3;", pragma_first=False), commit="f00d"),
        record("o/gamma", "y.c", "int g(void) { return 1; }\n", commit="f00d"),
    ])
    return d
