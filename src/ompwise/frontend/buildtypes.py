"""Types chosen by the build: a macro or typedef the project defines more than one way.

``float_sw4`` is ``#define float_sw4 double`` in ``src/double/sw4.h`` and ``float`` in
``src/float/sw4.h``, and the build's ``-I`` picks one; ``MINIFE_SCALAR`` is given by the
Makefile's ``-D`` or ``main.cpp``'s ``#ifndef`` fallback. Which definition a file sees is
not known from the files alone, but when *every* candidate definition in the project (all
``#define X ...``, ``typedef ... X;`` and ``using X = ...;`` of every file, every ``#if``
branch, comments aside) is a built-in arithmetic type, ``X`` is one whichever the build
picks. A name with any other candidate (a function-like macro, a struct, a pointer or
array typedef, a class or enum of that name, a template parameter) or with none is not.
"""
from __future__ import annotations

import re
from functools import lru_cache

# the words of a built-in arithmetic type ('unsigned long long', 'const double')
_WORDS = frozenset({"char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool",
                    "size_t", "ptrdiff_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
                    "uint32_t", "uint64_t", "intmax_t", "uintmax_t", "intptr_t", "uintptr_t",
                    "const", "volatile"})

_COMMENT = re.compile(rb"//[^\n]*|/\*.*?\*/", re.S)
_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\()?([^\n]*)$", re.M)
_IDENT = re.compile(r"[A-Za-z_]\w*")
_SIMPLE = re.compile(r"^(?:[A-Za-z_]\w*\s+)*[A-Za-z_]\w*$")
_RECORD = re.compile(rb"\b(?:struct|class|union|enum|typename)\s+(?:class\s+|struct\s+)?([A-Za-z_]\w*)")
_USING = re.compile(rb"\busing\s+([A-Za-z_]\w*)\s*=\s*([^;]*);")
_TYPEDEF = re.compile(rb"\btypedef\b")

# None: a definition that is not a type's words; (): one that cannot declare a variable
Candidates = dict[str, list[tuple[str, ...] | None]]


# a word each of the patterns below needs: a file with none of them defines nothing (most loops
# given alone), and one search says so without stripping its comments and running every pattern
_ANY_DEFINITION = re.compile(rb"define|struct|class|union|enum|typename|using|typedef")


@lru_cache(maxsize=4096)
def candidates(source: bytes) -> Candidates:
    """Every definition in one file of each name a macro, typedef or alias defines."""
    if not _ANY_DEFINITION.search(source):
        return {}
    text = _COMMENT.sub(b" ", source.replace(b"\\\r\n", b" ").replace(b"\\\n", b" "))
    out: Candidates = {}

    def add(name: bytes | str, words: tuple[str, ...] | None) -> None:
        n = name.decode("latin-1") if isinstance(name, bytes) else name
        out.setdefault(n, []).append(words)

    for m in _DEFINE.finditer(text):
        body = m.group(3).decode("latin-1").strip()
        if not m.group(2) and body.endswith(";") and _SIMPLE.match(body[:-1].strip()):
            # '#define MINIFE_SCALAR double;' (miniFE's fem/): 'X v = 0;' does not compile with
            # it (g++: "declaration does not declare anything"), so it is not the definition in
            # effect wherever the name declares a variable
            add(m.group(1), ())
            continue
        add(m.group(1), None if m.group(2) or not _SIMPLE.match(body) else tuple(body.split()))
    for m in _RECORD.finditer(text):
        add(m.group(1), None)
    for m in _USING.finditer(text):
        body = m.group(2).decode("latin-1").strip()
        add(m.group(1), tuple(body.split()) if _SIMPLE.match(body) else None)
    for m in _TYPEDEF.finditer(text):
        stmt = _statement(text, m.end()).decode("latin-1").strip()
        if _SIMPLE.match(stmt):
            words = stmt.split()
            if len(words) >= 2:
                add(words[-1], tuple(words[:-1]))
                continue
        for n in _IDENT.findall(stmt):  # 'typedef struct {...} X;', 'typedef double *P, v[3];'
            add(n, None)
    return out


def _statement(text: bytes, start: int) -> bytes:
    """From ``start`` to the ';' that ends the declaration (braces of a struct body skipped)."""
    depth = 0
    for k in range(start, min(len(text), start + 20000)):
        c = text[k]
        if c == 0x7B:  # {
            depth += 1
        elif c == 0x7D:  # }
            depth -= 1
            if depth < 0:
                return text[start:k] + b" {"  # (malformed: not simple)
        elif c == 0x3B and depth == 0:  # ;
            return text[start:k]
    return text[start:start + 200] + b" {"


def merge(parts) -> Candidates:
    out: Candidates = {}
    for p in parts:
        for k, v in p.items():
            out.setdefault(k, []).extend(v)
    return out


def arithmetic_names(defs: Candidates) -> set[str]:
    """The names every candidate definition of which is a built-in arithmetic type (directly or
    through other such names: 'typedef MINIFE_SCALAR ScalarType;')."""
    memo: dict[str, bool] = {}

    def arith(name: str, stack: frozenset) -> bool:
        if name in memo:
            return memo[name]
        if name in stack or name not in defs:
            return False
        real = [ws for ws in defs[name] if ws != ()]  # (): cannot declare a variable (above)
        ok = bool(real) and all(
            ws is not None and any(w not in ("const", "volatile") for w in ws) and
            all(w in _WORDS or (w != name and arith(w, stack | {name})) for w in ws)
            for ws in real)
        if not stack:
            memo[name] = ok
        return ok

    return {n for n in defs if n not in _WORDS and arith(n, frozenset())}


_INT_BITS = {"char": 8, "short": 16, "int": 32, "long": 64, "size_t": 64, "ptrdiff_t": 64, "intmax_t": 64,
             "uintmax_t": 64, "intptr_t": 64, "uintptr_t": 64, "ssize_t": 64}
_FIXED = re.compile(r"^(u?)int(8|16|32|64)_t$")
_QUALIFIERS = frozenset({"const", "volatile", "static", "register", "extern", "std::"})


def integer_type(t: str, defs: Candidates | None = None, _seen: frozenset = frozenset()) -> tuple[int, bool] | None:
    """(bits, signed) of an integer type on x86-64 Linux, through the typedefs and macros of
    ``defs`` when every candidate gives the same; None for any other type or one not known."""
    words = [w[5:] if w.startswith("std::") else w for w in t.split() if w not in _QUALIFIERS]
    if not words:
        return None
    if len(words) == 1 and words[0] not in _INT_BITS and words[0] not in ("signed", "unsigned"):
        w = words[0]
        m = _FIXED.match(w)
        if m:
            return int(m.group(2)), not m.group(1)
        if defs is None or w in _seen or w not in defs:
            return None
        found = {integer_type(" ".join(ws), defs, _seen | {w}) if ws else None for ws in defs[w] if ws != ()}
        return found.pop() if len(found) == 1 and None not in found else None
    if any(w not in _INT_BITS and w not in ("signed", "unsigned") for w in words):
        return None
    signed = "unsigned" not in words and not (words == ["size_t"] or words == ["uintmax_t"] or words == ["uintptr_t"])
    sizes = [w for w in words if w not in ("signed", "unsigned", "int")] or ["int"]
    bits = 64 if sizes.count("long") >= 1 else _INT_BITS[sizes[0]]
    return bits, signed