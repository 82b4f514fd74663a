"""Names an OpenMP 'threadprivate' directive gives every thread a copy of: the race checks treat
them as private, and the analysis never parallelizes a loop that writes one (each thread would
update its own copy, which no clause may name)."""
from __future__ import annotations

import os
import re

from . import ir

# ('#pragma omp threadprivate(a, b)', and as '_Pragma("omp threadprivate(a)")' or through a macro's
# argument: read from the text with its comments and continued lines taken out)
_THREADPRIVATE = re.compile(r"\bomp\s+threadprivate\s*\(([^)]*)\)")
_COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def threadprivate_names(tu: ir.TranslationUnit) -> set[str]:
    """Names declared threadprivate in the file or in the local headers it includes."""
    hit = _TP_CACHE.get(id(tu))
    if hit is not None and hit[0] is tu:
        return hit[1]
    texts = [tu.source.decode("utf-8", "replace")]
    base = os.path.dirname(os.path.abspath(tu.path)) if tu.path and tu.path != "<input>" else None
    seen: set[str] = set()
    todo = [texts[0]]
    while todo and base is not None:
        for inc in re.findall(r'#\s*include\s*"([^"]+)"', todo.pop()):
            p = os.path.normpath(os.path.join(base, inc))
            if p in seen or not os.path.isfile(p) or len(seen) > 64:
                continue
            seen.add(p)
            try:
                with open(p, encoding="utf-8", errors="replace") as fh:
                    t = fh.read(1 << 20)
            except OSError:
                continue
            texts.append(t)
            todo.append(t)
    out = {v.strip() for t in texts if "threadprivate" in t
           for m in _THREADPRIVATE.finditer(_COMMENTS.sub(" ", re.sub(r"\\\s*\n", " ", t)))
           for v in m.group(1).split(",") if v.strip()}
    _TP_CACHE.clear()
    _TP_CACHE[id(tu)] = (tu, out)
    return out


_TP_CACHE: dict[int, tuple[ir.TranslationUnit, set[str]]] = {}
