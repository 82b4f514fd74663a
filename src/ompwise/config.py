"""User configuration: [tool.ompwise] in pyproject.toml and in-source suppressions."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .frontend.newlines import as_lf

_SUPPRESS = re.compile(r"ompwise:\s*ignore\[([^\]]*)\]")


@dataclass(frozen=True)
class Config:
    ignore: tuple[str, ...] = ()
    path: str | None = None


class ConfigError(Exception):
    """A [tool.ompwise] table that cannot be used: one line naming the file."""


@lru_cache(maxsize=256)
def find_config(start_dir: str) -> Config:
    """The nearest pyproject.toml with a [tool.ompwise] table, looking upwards (files
    without one are passed over). A table that cannot be read or holds unknown keys or
    values raises ConfigError."""
    from .reasons import unknown_patterns
    d = os.path.abspath(start_dir)
    while True:
        p = os.path.join(d, "pyproject.toml")
        if os.path.isfile(p):
            try:
                with open(p, "rb") as fh:
                    raw = fh.read()
            except OSError as e:  # it may hold our table: going on without it would unsilence codes
                raise ConfigError(f"{p}: error: cannot read: {e.strerror or e}") from None
            try:
                data = tomllib.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                if b"tool.ompwise" in raw:  # ours, and broken: say so rather than ignore it
                    raise ConfigError(f"{p}: error: cannot read [tool.ompwise]: {e}") from None
                data = {}  # someone else's file
            tool = data.get("tool")
            table = tool.get("ompwise") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{p}: error: [tool.ompwise] must be a table")
                for k in table:
                    if k != "ignore":
                        raise ConfigError(f"{p}: error: unknown key '{k}' in [tool.ompwise] (known: ignore)")
                ign = table.get("ignore", [])
                if isinstance(ign, str):
                    ign = [ign]
                if not isinstance(ign, list) or not all(isinstance(x, str) for x in ign):
                    raise ConfigError(f"{p}: error: [tool.ompwise] ignore must be a list of reason codes or globs")
                bad = unknown_patterns(ign)
                if bad:
                    raise ConfigError(f"{p}: error: [tool.ompwise] ignore: '{bad[0]}' matches no reason code "
                                      "(see 'ompwise reasons')")
                return Config(tuple(ign), p)
        parent = os.path.dirname(d)
        if parent == d:
            return Config()
        d = parent


_LINES: list = [None, None]  # the last source asked about and its lines


def line_suppressions(source: bytes, line: int) -> tuple[str, ...]:
    """Codes silenced by '// ompwise: ignore[CODE, ...]' on the loop's line or the line above."""
    if _LINES[0] is not source:  # asked once per loop of the same file: split it once
        _LINES[0], _LINES[1] = source, as_lf(source).split(b"\n") if b"ompwise" in source else None
    lines = _LINES[1]
    if lines is None:
        return ()
    out: list[str] = []
    for ln in (line - 1, line - 2):
        if 0 <= ln < len(lines):
            m = _SUPPRESS.search(lines[ln].decode("utf-8", "replace"))
            if m:
                out.extend(c.strip() for c in m.group(1).split(",") if c.strip())
            if ln == line - 2 and lines[ln].strip() and not lines[ln].strip().startswith((b"//", b"/*")):
                break
    return tuple(out)


def suppression_errors(path: str, source: bytes) -> list[str]:
    """One line per code in a '// ompwise: ignore[...]' comment that matches no reason
    code: a typo there would silence nothing, silently."""
    from .reasons import unknown_patterns
    if b"ompwise" not in source:
        return []
    out = []
    for n, line in enumerate(as_lf(source).split(b"\n"), 1):
        m = _SUPPRESS.search(line.decode("utf-8", "replace")) if b"ompwise" in line else None
        if m:
            out += [f"{path}:{n}: error: '{c}' in 'ompwise: ignore[...]' matches no reason code (see 'ompwise reasons')"
                    for c in unknown_patterns(m.group(1).split(","))]
    return out
