"""The dynamic check: the program built with Archer and run a few times."""
from __future__ import annotations

import re

from .directives import code_lines
from .findings import Finding


def dynamic_check(paths: list[str], extra_sources: list[str] = (), include_dirs: list[str] = (),
                  threads: int = 4, timeout_s: float = 60.0, runs: int = 3) -> tuple[str, list[Finding]]:
    """Build with Archer and run once; ('clean'|'race'|..., findings mapped to the user's files)."""
    from ..verify import sandbox, tempdirs
    from ..verify.archer import ARCHER_LIB, parse_reports
    from ..verify.program import (UNLIMITED, VerifyOptions, _locate, _Workspace, _variants, archer_available,
                                  clean_up_after_killed_runs)
    if not archer_available():
        return "not run (clang-14 with libarcher not installed)", []
    o = VerifyOptions(timing=False, use_cache=False, timeout_s=timeout_s)
    clean_up_after_killed_runs()
    with tempdirs.owned("ompwise-races-") as root:
        ws = _Workspace(list(paths) + list(extra_sources), None, o, root)
        v = _variants(o)["archer"]
        if include_dirs:
            v = type(v)(v.name, v.cc, v.cflags + " " + " ".join(f"-I{d}" for d in include_dirs), v.ldflags)
        cmd, err = ws.build(v)
        if cmd is None:
            return f"build failed: {err[:200]}", []
        env = {"OMP_TOOL_LIBRARIES": ARCHER_LIB,
               "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 exitcode=0 halt_on_error=0 report_signal_unsafe=0"}
        lim = sandbox.Limits(wall_s=timeout_s, cpu_s=int(timeout_s * threads) + 10, memory_bytes=UNLIMITED)
        for _ in range(max(1, runs)):  # races depend on the schedule: a few runs find more of them
            r, _ = ws.run(v, cmd, threads, env, lim)
            races = [x for x in (_locate(x, ws) for x in parse_reports(r.stderr.decode(errors="replace")))
                     if not task_data_artifact(x)]
            if races:
                return "race", [Finding("RACE-ARCHER", f"data race on '{x.variable or '?'}' ({x.access})"
                                        + (f", other access at line {x.other_line}" if x.other_line else ""),
                                        x.line, x.column, x.variable, "archer") for x in races]
            if r.timed_out:
                return "timeout", []
        return "clean", []


_TASK_LINE = re.compile(r"#\s*pragma\s+omp\s+(?:[a-z_]+\s+)*?(?:task|taskloop)\b")


def task_data_artifact(race) -> bool:
    """A report on the runtime's own task storage: one access is the task construct itself (copying the task's
    firstprivate values into its data block) and the memory is a heap block libomp allocated. libomp recycles
    task blocks through its own allocator, which ThreadSanitizer does not see, so the previous task's reads of
    its private copies look like they race with the next task's creation."""
    if not race.runtime_block:
        return False
    try:
        with open(race.file, encoding="utf-8", errors="replace") as fh:
            lines = code_lines(fh.read())
    except OSError:
        return False
    return any(ln and 0 < ln <= len(lines) and _TASK_LINE.search(lines[ln - 1]) for ln in (race.line, race.other_line))
