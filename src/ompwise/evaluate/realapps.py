"""Real applications (../shared/data/bench/realapps): strip the authors' OpenMP pragmas, check each
project as one program, and compare per loop with what the authors parallelized.

The authors' choices are developer intent, not ground truth of legality: the headline figure is the
share of their loops *without synchronization in the body* that ompwise finds legal; loops whose
authors needed `atomic`, `critical` or a lock are reported apart. Precision, recall and F1 compare
ompwise's recommendation (a pragma) with the authors' work-sharing pragmas.
"""
from __future__ import annotations

import collections
import glob
import os
import re

from ..frontend.source import InputError
from ..frontend.strip import strip_pragmas
from ..verify import tempdirs

SOURCES = (".c", ".cc", ".cpp", ".cxx", ".C", ".h", ".hh", ".hpp", ".H")
_WORKSHARE = re.compile(r"\b(for|loop|distribute|simd)\b")
_SYNC = re.compile(r"#\s*pragma\s+omp\s+(atomic|critical|ordered)\b|\bomp_(set|test)_(nest_)?lock\s*\(|__sync_|std::atomic|\.fetch_add\(")


def _worksharing(pragma: str | None) -> bool:
    return bool(pragma and _WORKSHARE.search(pragma.split("omp", 1)[1]))


def _for_loops(text: str):
    """(line, body text) of every `for` statement, by tree-sitter's C++ grammar (a superset of C's
    loops as the authors' files are written)."""
    import tree_sitter as ts
    import tree_sitter_cpp
    parser = ts.Parser(ts.Language(tree_sitter_cpp.language()))
    data = text.encode("utf-8", "surrogateescape")
    stack = [parser.parse(data).root_node]
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.type == "for_statement":
            yield n.start_point[0] + 1, data[n.start_byte:n.end_byte].decode("utf-8", "replace")


def prepare(tarball: str, dest: str) -> dict[tuple[str, int], dict]:
    """Unpack one project under ``dest``, strip its pragmas in place, return the authors' loops:
    (absolute path, line) -> {"pragma": text or None, "sync": bool}."""
    import tarfile
    with tarfile.open(tarball) as tf:
        tf.extractall(dest, filter="data")
    truth = {}
    for dp, _, fs in os.walk(dest):
        for f in sorted(fs):
            if not f.endswith(SOURCES):
                continue
            p = os.path.join(dp, f)
            try:
                text = open(p, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            stripped, pending = strip_pragmas(text)
            with open(p, "w", encoding="utf-8") as fh:
                fh.write(stripped)
            orig = text.split("\n")
            for line, body in _for_loops(stripped):
                prag = pending.get(line)
                ws = _worksharing(prag)
                # the synchronization the authors wrote sits in the original body's pragma lines
                n_lines = body.count("\n") + 1
                original_body = "\n".join(orig[line - 1:line - 1 + n_lines])
                truth[(os.path.abspath(p), line)] = {
                    "pragma": prag if ws else None, "sync": ws and bool(_SYNC.search(original_body))}
    return truth


def score_project(name: str, root: str, truth: dict, options=None) -> dict:
    from ..api import Options, analyze_paths
    results, errors = analyze_paths([root], options or Options())
    got = {}
    inactive_at: dict[str, tuple] = {}
    for fa in results:
        for la in fa.loops:
            got[(os.path.abspath(fa.path), la.loop.loc.line)] = la
        if fa.tu is not None:
            inactive_at[os.path.abspath(fa.path)] = fa.tu.inactive_lines
    c = collections.Counter()
    misses, sync_loops, first = [], [], collections.Counter()
    for key, lab in sorted(truth.items()):
        la = got.get(key)
        c["loops"] += 1
        if la is None and any(a <= key[1] <= b for a, b in inactive_at.get(key[0], ())):
            # in an #if branch the build's configuration leaves out: not a loop of the program analyzed
            c["inactive"] += 1
            c["inactive_authors"] += lab["pragma"] is not None
            continue
        authors = lab["pragma"] is not None
        rec = la is not None and la.pragma is not None
        legal = la is not None and la.parallelizable
        c["unreported"] += la is None
        c["authors"] += authors
        c["tp"] += authors and rec
        c["fp"] += rec and not authors
        c["fn"] += authors and not rec
        if not authors:
            continue
        where = f"{os.path.relpath(key[0], os.path.dirname(root))}:{key[1]}"
        if lab["sync"]:
            c["sync"] += 1
            c["sync_legal"] += legal
            sync_loops.append({"loop": where, "pragma": lab["pragma"], "ompwise": la.pragma if la else None})
            continue
        c["plain"] += 1
        c["plain_legal"] += legal
        if not legal:
            code = la.reasons[0].code if la is not None and la.reasons else "UNREPORTED"
            first[code] += 1
            misses.append({"loop": where, "pragma": lab["pragma"], "code": code,
                           "message": la.reasons[0].message if la is not None and la.reasons else ""})
    p = c["tp"] / max(c["tp"] + c["fp"], 1)
    r = c["tp"] / max(c["tp"] + c["fn"], 1)
    return {"project": name, "loops": c["loops"], "authors": c["authors"], "plain": c["plain"],
            "plain_legal": c["plain_legal"], "legal_share": round(c["plain_legal"] / max(c["plain"], 1), 3),
            "sync": c["sync"], "sync_legal": c["sync_legal"], "unreported": c["unreported"],
            "inactive": c["inactive"], "inactive_authors": c["inactive_authors"], "tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3),
            "errors": len(errors) + sum(len(fa.errors) for fa in results),
            "first_reasons": dict(first.most_common()), "misses": misses, "sync_loops": sync_loops}


def evaluate(data: str, projects: list[str] | None = None, model: str | None = None) -> dict:
    if not os.path.isdir(data):
        raise InputError(f"{data}: error: no such directory")
    tarballs = sorted(glob.glob(os.path.join(data, "*.tar.gz")))
    if projects:
        tarballs = [t for t in tarballs if os.path.basename(t)[:-7] in projects]
    if not tarballs:
        raise InputError(f"{data}: error: no project tarballs (*.tar.gz) found")
    from ..api import Options
    per = []
    with tempdirs.owned("ompwise-realapps-") as tmp:
        for t in tarballs:
            name = os.path.basename(t)[:-7]
            dest = os.path.join(tmp, name)
            truth = prepare(t, dest)
            per.append(score_project(name, os.path.join(dest, name), truth, Options(model=model)))
    total = collections.Counter()
    for p in per:
        for k in ("loops", "authors", "plain", "plain_legal", "sync", "sync_legal", "unreported",
                  "inactive", "inactive_authors", "tp", "fp", "fn", "errors"):
            total[k] += p[k]
    pr = total["tp"] / max(total["tp"] + total["fp"], 1)
    rc = total["tp"] / max(total["tp"] + total["fn"], 1)
    first = collections.Counter()
    for p in per:
        first.update(p["first_reasons"])
    return {"projects": per, **dict(total), "legal_share": round(total["plain_legal"] / max(total["plain"], 1), 3),
            "precision": round(pr, 3), "recall": round(rc, 3), "f1": round(2 * pr * rc / max(pr + rc, 1e-9), 3),
            "first_reasons": dict(first.most_common())}
