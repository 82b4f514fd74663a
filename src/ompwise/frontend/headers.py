"""Local headers and compilation databases: more function bodies, types and macros.

A header is local when ``#include "..."`` finds it next to the including file or in an
include directory the user gave (-I, compile_commands.json), or ``#include <...>`` finds
it in one of those directories (as the compiler searches them: PolyBench's
``<polybench.h>`` under ``-I utilities``). System headers are never read.
"""
from __future__ import annotations

import json
import os
import re
import shlex
from functools import lru_cache

from . import ir
from .parse import parse_source
from .source import InputError, read_source

_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)', re.M)
MAX_HEADERS = 64


def compile_db_flags(db_dir: str) -> dict[str, list[str]]:
    """Map absolute source path -> its -I directories (and -D macros as '-DNAME=V') from compile_commands.json."""
    path = os.path.join(db_dir, "compile_commands.json")
    try:
        with open(path, encoding="utf-8") as fh:
            entries = json.load(fh)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: error: cannot read compilation database: {e}") from None
    out: dict[str, list[str]] = {}
    for ent in entries if isinstance(entries, list) else []:
        try:
            args = ent.get("arguments") or shlex.split(ent.get("command", ""))
            d = ent.get("directory", db_dir)
            f = os.path.normpath(os.path.join(d, ent["file"]))
        except (KeyError, ValueError, AttributeError, TypeError):
            continue
        flags = []
        it = iter(range(len(args)))
        for i in it:
            a = args[i]
            if a in ("-I", "-isystem", "-iquote", "-D") and i + 1 < len(args):
                val = args[i + 1]
                flags.append(("-D" + val) if a == "-D" else "-I" + os.path.normpath(os.path.join(d, val)))
                next(it, None)
            elif a.startswith("-I") and len(a) > 2:
                flags.append("-I" + os.path.normpath(os.path.join(d, a[2:])))
            elif a.startswith("-D") and len(a) > 2:
                flags.append(a)
        out[f] = flags
    return out


def local_headers(path: str, source: bytes, include_dirs: list[str], depth: int = 8) -> list[ir.TranslationUnit]:
    """Parsed local headers reachable from ``source`` (breadth-first, bounded)."""
    out: list[ir.TranslationUnit] = []
    seen: set[str] = set()
    frontier = [(path, source)]
    for _ in range(depth):
        nxt = []
        for p, src in frontier:
            for m in _INCLUDE.finditer(src):
                quoted = m.group(1) is not None
                name = (m.group(1) if quoted else m.group(2)).decode("utf-8", "replace")
                for d in ([os.path.dirname(p) or "."] if quoted else []) + list(include_dirs):
                    cand = os.path.normpath(os.path.join(d, name))
                    if os.path.isfile(cand):
                        break
                else:
                    continue
                if cand in seen or len(seen) >= MAX_HEADERS:
                    continue
                seen.add(cand)
                tu = _parse_header(cand, os.path.getmtime(cand))
                if tu is not None:
                    out.append(tu)
                    nxt.append((cand, tu.source))
        frontier = nxt
    return out


@lru_cache(maxsize=256)
def _parse_header(path: str, mtime: float) -> ir.TranslationUnit | None:
    try:
        sf = read_source(path, language="cpp" if path.endswith((".hpp", ".hh", ".hxx")) else "c")
    except InputError:
        return None
    tu = parse_source(sf.data, path, sf.language)
    if tu.errors and sf.language == "c":
        tu2 = parse_source(sf.data, path, "cpp")  # headers of C++ code often end in .h
        if len(tu2.errors) < len(tu.errors):
            tu = tu2
    return tu
