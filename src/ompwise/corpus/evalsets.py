"""Every loop of every evaluation set under ``../shared/data`` and an index of their normalized
keys, so that the corpus pipeline drops any training loop that occurs in an evaluation set.

Sets (names as reported): ``ompify/test``, ``ompify/valid``, ``ompify/test_nas``,
``ompify/test_poly``, ``ompify/test_spec`` and ``hpcorpus_omp`` (the ``code`` field of their
JSON Lines records: loops already cut out), ``autoparbench`` (the pragma-free inputs under
``benchmarks/sequential/``), ``dataracebench``, ``polybench``, ``npb`` and ``realapps`` (the C and
C++ files of the suites' tarballs, read in place with ``tarfile``). From whole files every
``for``, range ``for``, ``while`` and ``do`` loop is taken, nested ones included, with pragma
lines blanked first so that tree-sitter sees the loops as a compiler would.

HPCorpus-OMP's ``test_source_BPE.jsonl`` holds plain source text despite its name (the BPE
refers to the tokenizer MonoCoder applied later): comments already stripped, no detokenizing
needed."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import tarfile
from collections.abc import Iterable, Iterator

from .normalize import VERSION, loop_key

SOURCES = (".c", ".h", ".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".C", ".H")
OMPIFY_SPLITS = ("test", "valid", "test_nas", "test_poly", "test_spec")
SETS = tuple(f"ompify/{s}" for s in OMPIFY_SPLITS) + (
    "hpcorpus_omp", "autoparbench", "dataracebench", "polybench", "npb", "realapps")
LOOP_NODES = frozenset(("for_statement", "for_range_loop", "while_statement", "do_statement"))
FOR_NODES = frozenset(("for_statement", "for_range_loop"))

_PRAGMA_LINE = re.compile(rb"^[ \t]*#[ \t]*pragma\b(?:\\\r?\n|[^\n])*", re.MULTILINE)
_parser = None


def _blank(m: re.Match) -> bytes:
    return b"\n" * m.group().count(b"\n")  # keep line numbers


def source_loops(text: str | bytes, kinds: frozenset[str] = LOOP_NODES) -> Iterator[str]:
    """The text of every loop of a C/C++ file (outer and nested), pragma lines blanked, parsed
    with tree-sitter's C++ grammar (a superset of the C the suites are written in)."""
    global _parser
    if _parser is None:
        import tree_sitter as ts
        import tree_sitter_cpp
        _parser = ts.Parser(ts.Language(tree_sitter_cpp.language()))
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    data = _PRAGMA_LINE.sub(_blank, data)
    stack = [_parser.parse(data).root_node]
    while stack:
        n = stack.pop()
        if n.type in kinds:
            yield data[n.start_byte:n.end_byte].decode("utf-8", "replace")
        stack.extend(reversed(n.children))


def _jsonl_codes(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                code = json.loads(line).get("code")
                if code:
                    yield code


def _tar_sources(path: str, under: str = "") -> Iterator[bytes]:
    """Contents of the C/C++ members of a tarball (whose path contains ``under``), in order."""
    with tarfile.open(path) as tf:
        for m in tf:
            if m.isfile() and m.name.endswith(SOURCES) and under in m.name:
                fh = tf.extractfile(m)
                if fh is not None:
                    yield fh.read()


def _files(data_dir: str) -> dict[str, list[str]]:
    """The files each set is read from (missing ones left out)."""
    ev, bench = os.path.join(data_dir, "eval"), os.path.join(data_dir, "bench")
    out = {f"ompify/{s}": [os.path.join(ev, "ompify", f"{s}.jsonl")] for s in OMPIFY_SPLITS}
    out["hpcorpus_omp"] = [os.path.join(ev, "hpcorpus_omp", "cpu_test", "test_source_BPE.jsonl")]
    out["autoparbench"] = sorted(glob.glob(os.path.join(ev, "autoparbench", "*.tar.gz")))
    for suite in ("dataracebench", "polybench", "npb", "realapps"):
        out[suite] = sorted(glob.glob(os.path.join(bench, suite, "*.tar.gz")))
    # DataRaceBench-ML's kernels are DataRaceBench files, some in an older revision
    out["dataracebench"].append(os.path.join(bench, "dataracebench", "drb_ml.json"))
    return {k: [p for p in v if os.path.isfile(p)] for k, v in out.items()}


def _set_loops(name: str, files: list[str]) -> Iterator[str]:
    for path in files:
        if path.endswith(".jsonl"):
            yield from _jsonl_codes(path)
        elif path.endswith("drb_ml.json"):
            with open(path, encoding="utf-8") as fh:
                for rec in json.load(fh):
                    if str(rec.get("name", "")).endswith(SOURCES) and rec.get("DRB_code"):
                        yield from source_loops(rec["DRB_code"])
        else:
            under = "/benchmarks/sequential/" if name == "autoparbench" else ""
            for text in _tar_sources(path, under):
                yield from source_loops(text)


def iter_eval_loops(data_dir: str) -> Iterator[tuple[str, str]]:
    """(set name, loop code) for every loop of every evaluation set present under ``data_dir``
    (the ``../shared/data`` folder), in ``SETS`` order."""
    for name, files in _files(data_dir).items():
        for code in _set_loops(name, files):
            yield name, code


def _fingerprint(data_dir: str) -> str:
    h = hashlib.blake2b(f"normalize v{VERSION}".encode(), digest_size=16)
    for name, files in sorted(_files(data_dir).items()):
        for p in files:
            st = os.stat(p)
            h.update(f"{name}\0{os.path.abspath(p)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _default_cache_dir() -> str:
    return os.environ.get("OMPWISE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ompwise")


class EvalIndex:
    """Normalized keys of the evaluation sets' loops: which sets a key occurs in."""

    def __init__(self, keys_by_set: dict[str, Iterable[str]], loops: dict[str, int] | None = None):
        self._sets: dict[str, tuple[str, ...]] = {}
        self.sizes: dict[str, int] = {}  # distinct keys per set
        self.loops: dict[str, int] = dict(loops or {})  # loops read per set, duplicates included
        acc: dict[str, list[str]] = {}
        for name, keys in keys_by_set.items():
            distinct = set(keys)
            self.sizes[name] = len(distinct)
            for k in distinct:
                acc.setdefault(k, []).append(name)
        self._sets = {k: tuple(v) for k, v in acc.items()}

    def sets_of(self, key: str) -> tuple[str, ...]:
        """The evaluation sets holding a loop with this key (empty: none)."""
        return self._sets.get(key, ())

    def __contains__(self, key: str) -> bool:
        return key in self._sets

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every key with the sets holding it."""
        return iter(self._sets.items())

    def __len__(self) -> int:
        return len(self._sets)

    @classmethod
    def build(cls, data_dir: str) -> "EvalIndex":
        keys: dict[str, list[str]] = {name: [] for name in _files(data_dir)}
        for name, code in iter_eval_loops(data_dir):
            keys[name].append(loop_key(code))
        return cls(keys, {n: len(k) for n, k in keys.items()})

    @classmethod
    def load(cls, data_dir: str, cache_dir: str | None = None) -> "EvalIndex":
        """The index of ``data_dir``'s evaluation sets, built once and cached under ``cache_dir``
        (default ``~/.cache/ompwise``, or ``$OMPWISE_CACHE``), keyed by the files' sizes and
        mtimes and the normalizer's version: a changed set or rule rebuilds it."""
        fp = _fingerprint(data_dir)
        cache = os.path.join(cache_dir or _default_cache_dir(), f"evalindex-{fp}.json")
        try:
            with open(cache, encoding="utf-8") as fh:
                doc = json.load(fh)
            if doc.get("fingerprint") == fp:
                return cls(doc["sets"], doc.get("loops"))
        except (OSError, ValueError, KeyError):
            pass
        index = cls.build(data_dir)
        doc = {"fingerprint": fp, "normalize_version": VERSION, "loops": index.loops,
               "sets": {name: sorted(k for k, sets in index._sets.items() if name in sets)
                        for name in index.sizes}}
        try:
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            tmp = f"{cache}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(doc, fh)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only cache only costs a rebuild next time
        return index
