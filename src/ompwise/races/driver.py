"""All checks on one file."""
from __future__ import annotations

import re

from ..api import Options, analyze_file
from ..frontend.source import InputError
from .dynamic import dynamic_check
from .findings import RaceReport
from .loops import static_findings
from .regions import region_findings
from .sync import sync_findings
from .tasks import task_findings


_MAIN = re.compile(rb"\bint\s+main\s*\(")


def check_races(path: str, dynamic: bool = True, options: Options = Options(), threads: int = 4,
                timeout_s: float = 60.0, extra_sources: list[str] = ()) -> RaceReport:
    rep = RaceReport(path)
    try:
        fa = analyze_file(path, options)
    except InputError as e:
        rep.errors.append(str(e))
        return rep
    rep.errors.extend(f"{path}:{e.line}:{e.column}: error: {e.message}" for e in fa.errors[:1])
    rep.findings = static_findings(fa) + region_findings(fa) + task_findings(fa) + sync_findings(fa)
    if dynamic:
        if _MAIN.search(fa.tu.source):
            status, found = dynamic_check([path], extra_sources, list(options.include_dirs), threads, timeout_s)
            rep.dynamic = status
            rep.findings.extend(found)
        else:
            rep.dynamic = "no main"
    return rep
