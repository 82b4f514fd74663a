"""Stand-ins for the extractor and the loop key, with faults on demand (markers in the text).

They run in the mining child, so the faults are real: a crash is a real SIGSEGV, a hang a real
sleep. ``OMPWISE_FAKE_DELAY`` (seconds per file) slows mining down for the kill/restart test."""
from __future__ import annotations

import hashlib
import os
import re
import signal
import time

from ompwise.corpus.schema import COLUMNS

_EMPTY = {"string": "", "int32": 0, "int64": None, "bool": False, "list<string>": []}


def file_rows(text: str, lang: str, prov: dict) -> list[dict]:
    if "CRASH_ME" in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "SLEEP_ME" in text:
        time.sleep(600)
    if "RAISE_ME" in text:
        raise ValueError("the fake parser gave up")
    if "MEMORY_ME" in text:
        hog = bytearray(8 << 30)  # past any test's memory limit
        return [hog]
    time.sleep(float(os.environ.get("OMPWISE_FAKE_DELAY", "0")))
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if re.search(r"\bfor\s*\(", line):
            row = {name: _EMPTY[t] for name, t in COLUMNS}
            row.update(repo=prov["repo"], commit=prov["commit"], path=prov["path"], lang=lang,
                       file_sha256=prov["sha256"], line=n, column=line.index("for") + 1, end_line=n,
                       code=line.strip(), function_code=line.strip(), f_kind="for",
                       l_omp=n > 1 and "#pragma omp" in text.splitlines()[n - 2])
            row["l_directive"] = "parallel for" if row["l_omp"] else ""
            rows.append(row)
    return rows


def loop_key(code: str) -> str:
    return hashlib.sha256(" ".join(code.split()).encode()).hexdigest()[:32]
