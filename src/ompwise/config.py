"""User configuration: [tool.ompwise] in pyproject.toml and in-source suppressions."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

_SUPPRESS = re.compile(r"ompwise:\s*ignore\[([^\]]*)\]")


@dataclass(frozen=True)
class Config:
    ignore: tuple[str, ...] = ()
    path: str | None = None


@lru_cache(maxsize=256)
def find_config(start_dir: str) -> Config:
    """The nearest pyproject.toml with a [tool.ompwise] table, looking upwards."""
    d = os.path.abspath(start_dir)
    while True:
        p = os.path.join(d, "pyproject.toml")
        if os.path.isfile(p):
            try:
                with open(p, "rb") as fh:
                    table = tomllib.load(fh).get("tool", {}).get("ompwise")
            except (OSError, tomllib.TOMLDecodeError):
                table = None
            if isinstance(table, dict):
                ign = table.get("ignore", [])
                if isinstance(ign, str):
                    ign = [ign]
                return Config(tuple(str(x) for x in ign), p)
        parent = os.path.dirname(d)
        if parent == d:
            return Config()
        d = parent


def line_suppressions(source: bytes, line: int) -> tuple[str, ...]:
    """Codes silenced by '// ompwise: ignore[CODE, ...]' on the loop's line or the line above."""
    lines = source.split(b"\n")
    out: list[str] = []
    for ln in (line - 1, line - 2):
        if 0 <= ln < len(lines):
            m = _SUPPRESS.search(lines[ln].decode("utf-8", "replace"))
            if m:
                out.extend(c.strip() for c in m.group(1).split(",") if c.strip())
            if ln == line - 2 and lines[ln].strip() and not lines[ln].strip().startswith((b"//", b"/*")):
                break
    return tuple(out)
