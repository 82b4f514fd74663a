"""Round trip on real code: insert pragmas, compile with OpenMP, delete the lines, compare bytes."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from ..api import Options, analyze_file
from ..rewrite import insert_pragmas, remove_lines
from ..verify import tempdirs
from .data import extracted, find_dir  # noqa: F401

# Inputs such as PolyBench carry '#pragma scop', so -Werror=unknown-pragmas would reject the
# input itself; instead the output must compile and add no unknown-pragma warning.
FLAGS = ["-fopenmp", "-Wall", "-Wunknown-pragmas", "-fsyntax-only"]


@dataclass
class FileResult:
    path: str
    pragmas: int
    restored: bool
    compiles: dict[str, bool] = field(default_factory=dict)  # compiler -> output compiles
    original_compiles: dict[str, bool] = field(default_factory=dict)
    error: str = ""


def compilers() -> list[str]:
    return [c for c in ("gcc", "clang-14") if shutil.which(c)]


def _compile(cc: str, path: str, includes: list[str], defines: list[str]) -> tuple[bool, str, int]:
    """(compiles, stderr tail, number of unknown-pragma warnings)."""
    cmd = [cc, *FLAGS, *[f"-I{d}" for d in includes], *[f"-D{d}" for d in defines], path]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "timeout", 0
    return p.returncode == 0, p.stderr[-2000:], p.stderr.count("unknown-pragmas")


def roundtrip_file(path: str, includes: list[str], defines: list[str] = (), ccs: list[str] | None = None) -> FileResult:
    fa = analyze_file(path, Options(include_dirs=tuple(includes), defines=tuple(defines)))
    src = fa.tu.raw()
    rw = insert_pragmas(src, fa.loops)
    res = FileResult(path, len(rw.inserted_lines), remove_lines(rw.text, rw.inserted_lines) == src)
    ccs = compilers() if ccs is None else ccs
    with tempdirs.owned("ompwise-rt-") as tmp:
        out = os.path.join(tmp, os.path.basename(path))
        with open(out, "wb") as fh:
            fh.write(rw.text)
        incs = [os.path.dirname(os.path.abspath(path))] + list(includes)
        for cc in ccs:
            ok0, _, w0 = _compile(cc, path, incs, list(defines))
            ok1, err, w1 = _compile(cc, out, incs, list(defines))
            if ok1 and w1 > w0:
                ok1, err = False, f"{w1 - w0} new unknown-pragma warnings"
            res.original_compiles[cc] = ok0
            res.compiles[cc] = ok1
            if ok0 and not ok1 and not res.error:
                res.error = f"{cc}: {err.strip().splitlines()[0] if err.strip() else 'failed'}"
    return res


def polybench_files(data: str) -> list[tuple[str, list[str], list[str]]]:
    """(kernel.c, include dirs, defines) for the 30 serial PolyBench/C 4.2.1 kernels."""
    base = extracted(data)
    for d, dirs, files in sorted(os.walk(base), key=lambda w: "OpenMP" in w[0]):
        if "benchmark_list" in files and os.path.basename(d) == "utilities":
            root = os.path.dirname(d)
            names = open(os.path.join(d, "benchmark_list")).read().split()
            paths = [os.path.join(root, n[2:] if n.startswith("./") else n) for n in names]
            if paths and all(os.path.exists(p) for p in paths):  # the serial suite, not the OpenMP fork
                return [(p, [d], []) for p in paths]
    from ..frontend.source import InputError
    raise InputError(f"{data}: error: serial PolyBench/C with utilities/benchmark_list not found")


def npb_files(data: str, klass: str = "S") -> tuple[str, list[tuple[str, list[str], list[str]]]]:
    """A working copy of NPB3.3-SER-C with npbparams.h generated; (file, includes, defines) per source."""
    ser = find_dir(extracted(data), "NPB3.3-SER-C")
    work = tempfile.mkdtemp(prefix="ompwise-npb-")
    dst = os.path.join(work, "NPB3.3-SER-C")
    shutil.copytree(ser, dst)
    subprocess.run(["make", "-s", "-C", os.path.join(dst, "sys"), "setparams"], capture_output=True, timeout=120)
    out = []
    for bench in ("BT", "CG", "DC", "EP", "FT", "IS", "LU", "MG", "SP", "UA"):
        bdir = os.path.join(dst, bench)
        if not os.path.isdir(bdir):
            continue
        if not os.path.exists(os.path.join(bdir, "npbparams.h")):
            subprocess.run([os.path.join(dst, "sys", "setparams"), bench.lower(), klass], cwd=bdir,
                           capture_output=True, timeout=60)
        for n in sorted(os.listdir(bdir)):
            if n.endswith(".c"):
                out.append((os.path.join(bdir, n), [os.path.join(dst, "common")], []))
    for n in sorted(os.listdir(os.path.join(dst, "common"))):
        if n.endswith(".c"):
            out.append((os.path.join(dst, "common", n), [], []))
    return work, out
