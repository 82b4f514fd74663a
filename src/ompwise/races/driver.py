"""All checks on one file."""
from __future__ import annotations

import re

from ..api import Options, analyze_source
from ..frontend.headers import local_headers
from ..frontend.pragma_check import declared_reductions
from ..frontend.pragma_macros import collect, expand_pragmas
from ..frontend.source import InputError, read_source
from .dynamic import dynamic_check
from .findings import RaceReport
from .loops import static_findings
from .pragmas import pragma_findings
from .regions import region_findings
from .sync import sync_findings
from .tasks import task_findings


_MAIN = re.compile(rb"\bint\s+main\s*\(")


def check_races(path: str, dynamic: bool = True, options: Options = Options(), threads: int = 4,
                timeout_s: float = 60.0, extra_sources: list[str] = ()) -> RaceReport:
    rep = RaceReport(path)
    try:
        sf = read_source(path, options.max_bytes, strict_utf8=options.strict_utf8)
        # the pragmas as the compiler reads them: macros of the file, its local headers and -D expanded
        headers = [h.source for h in local_headers(path, sf.data, list(options.include_dirs))] \
            if options.read_headers else []
        data = expand_pragmas(sf.data, collect(headers + [sf.data], options.defines))
        fa = analyze_source(data, path, sf.language, options)
    except InputError as e:
        rep.errors.append(str(e))
        return rep
    rep.errors.extend(f"{path}:{e.line}:{e.column}: error: {e.message}" for e in fa.errors[:1])
    declared = set().union(*(declared_reductions(t.decode("utf-8", "replace")) for t in headers + [data]))
    rep.findings = pragma_findings(fa, declared) + static_findings(fa) + region_findings(fa) + task_findings(fa) \
        + sync_findings(fa)
    if dynamic:
        if _MAIN.search(fa.tu.source):
            status, found = dynamic_check([path], extra_sources, list(options.include_dirs), threads, timeout_s)
            rep.dynamic = status
            rep.findings.extend(found)
        else:
            rep.dynamic = "no main"
    return rep
