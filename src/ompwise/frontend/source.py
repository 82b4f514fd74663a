"""Reading user files safely: every failure becomes an ``InputError`` with one clear line."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .newlines import as_lf
from .parse import language_for

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "build", "CMakeFiles"}


class InputError(Exception):
    """A user input problem; ``str(e)`` is the one-line message (with path)."""


@dataclass(frozen=True)
class SourceFile:
    path: str
    language: str
    data: bytes  # as read (analysis sees lone CRs as LFs, see newlines.py)
    stat: os.stat_result | None = None  # of the file the data was read from


def discover(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Expand directories into the C/C++ sources they contain (sorted, deterministic)."""
    files: list[str] = []
    errors: list[InputError] = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                # headers too: real C++ projects keep kernels in them (miniFE's Vector_functions.hpp)
                found.extend(os.path.join(root, n) for n in sorted(names) if language_for(n))
            if not found:
                errors.append(InputError(f"{p}: error: directory contains no C or C++ sources"))
            files.extend(found)
        elif os.path.exists(p):
            files.append(p)
        elif os.path.islink(p):
            errors.append(InputError(f"{p}: error: cannot read: broken symbolic link (or a loop of them)"))
        else:
            errors.append(InputError(f"{p}: error: no such file or directory"))
    seen: set[str] = set()
    unique = []
    for f in files:  # 'check . main.c' names main.c twice: analyze it once
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


HEADER_SUFFIXES = (".h", ".hpp", ".hh", ".hxx", ".H")


def header_language(files: list[str]) -> str:
    """The language a plain '.h' of these files is written in: C++ when any source is C++."""
    return "cpp" if any(language_for(f) == "cpp" and not f.endswith(HEADER_SUFFIXES) for f in files) else "c"


def human_size(n: int) -> str:
    """'12 bytes', '1.5k', '8M': the units --max-file-size takes, with a decimal only when
    it tells the two sides of a limit apart."""
    for unit, scale in (("G", 1 << 30), ("M", 1 << 20), ("k", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + unit
    return f"{n} byte{'s' if n != 1 else ''}"


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None,
                strict_utf8: bool = True) -> SourceFile:
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise InputError(f"{path}: error: cannot read: {e.strerror or e}") from None
    if not os.path.isfile(path):
        raise InputError(f"{path}: error: not a regular file")
    if size > max_bytes:
        big, limit = human_size(size), human_size(max_bytes)
        if big == limit:  # (1.0M + 1 byte > 1M: rounding must not make the two look equal)
            big, limit = f"{size} bytes", f"{max_bytes} bytes"
        raise InputError(f"{path}: error: file too large ({big} > {limit} limit; raise it with --max-file-size)")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
            st = os.fstat(fh.fileno())
    except OSError as e:
        raise InputError(f"{path}: error: cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise InputError(f"{path}: error: empty file")
    if b"\0" in data[:65536]:
        raise InputError(f"{path}: error: binary file, not C or C++ source")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        if not strict_utf8:
            return SourceFile(path, language or language_for(path) or "c", data, st)
        line = as_lf(data[:e.start]).count(b"\n") + 1
        raise InputError(f"{path}:{line}: error: not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None
    lang = language or language_for(path)
    if lang is None:
        raise InputError(f"{path}: error: unknown source language (expected .c, .h, .cc, .cpp, .cxx, .hpp)")
    return SourceFile(path, lang, data, st)
