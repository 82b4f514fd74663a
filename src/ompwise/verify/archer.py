"""ThreadSanitizer/Archer reports -> races with file, line, column and variable."""
from __future__ import annotations

import re
from dataclasses import dataclass

ARCHER_LIB = "/usr/lib/llvm-14/lib/libarcher.so"
# the first stack frame with a source line: at -O1 and above, TSan often prints frame #0
# (the outlined region) without one ('#0 .omp_outlined._debug__ /p/f.c (bin+0x...)')
_FRAME = re.compile(r"#\d+ [^\n]*? (?P<file>[^\s:()]+):(?P<line>\d+)(?::(?P<col>\d+))?")
_ACCESS = re.compile(r"^\s*(?:Previous )?(?P<kind>[Rr]ead|[Ww]rite|Atomic \w+) of size (?P<size>\d+) at 0x[0-9a-f]+", re.M)
_LOCATION = re.compile(r"Location is (?:global|heap block|stack of thread)[^\n]*?'(?P<var>[^']+)'|Location is global '(?P<g>[^']+)'")


@dataclass(frozen=True)
class Race:
    file: str
    line: int
    column: int
    variable: str
    access: str  # 'write' or 'read'
    other_line: int | None = None
    runtime_block: bool = False  # the memory is a heap block the OpenMP runtime allocated (task data, ...)

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "variable": self.variable,
                "access": self.access, "other_line": self.other_line, "check": "archer"}


def parse_reports(stderr: str) -> list[Race]:
    races = []
    for block in stderr.split("WARNING: ThreadSanitizer: data race")[1:]:
        block = block.split("SUMMARY: ThreadSanitizer")[0]
        parts = re.split(r"\n\s*(?=Previous )", block, maxsplit=1)
        frames = [_first_frame(p) for p in parts]
        kinds = [m.group("kind").lower() for m in _ACCESS.finditer(block)]
        loc = _LOCATION.search(block)
        var = (loc.group("var") or loc.group("g")) if loc else ""
        if frames and frames[0] is not None:
            f, l, c = frames[0]
            other = frames[1][1] if len(frames) > 1 and frames[1] is not None else None
            races.append(Race(f, l, c, var, kinds[0] if kinds else "", other, _runtime_block(block)))
    seen = set()
    out = []
    for r in races:
        key = (r.file, r.line, r.variable)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


_ALLOCATORS = re.compile(r"#\d+ (?:malloc|calloc|realloc|posix_memalign|aligned_alloc|memalign|operator new\S*) ")


def _runtime_block(block: str) -> bool:
    """The racing memory is a heap block allocated from inside the OpenMP runtime (libomp/libgomp)."""
    m = re.search(r"Location is heap block[^\n]*\n((?:\s*#\d+ [^\n]*\n?)+)", block)
    if not m:
        return False
    frames = [x.strip() for x in m.group(1).strip().splitlines()]
    rest = [x for x in frames if not _ALLOCATORS.match(x)]
    return bool(rest) and re.search(r"\((?:libomp|libgomp|libiomp5)\.so", rest[0]) is not None


def _first_frame(text: str):
    m = _FRAME.search(text)
    if not m:
        return None
    return m.group("file"), int(m.group("line")), int(m.group("col") or 0)
