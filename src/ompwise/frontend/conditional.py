"""The active configuration of a file: `#if`, `#ifdef`, `#elif` evaluated as the compiler would.

The conditions are evaluated with the macros the user gave (-D, compile_commands.json), those of
the local headers and those the file defines before the directive; an identifier that is not a
macro is 0, as in C. Lines of inactive branches, and the conditional directives themselves, are
blanked byte for byte (newlines kept), so line numbers and byte offsets stay the original's and
the rewrite still inserts into the user's text. A condition that cannot be decided (a function-like
macro, `__has_include`) keeps every branch and its directives, as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|define|undef|elifdef|elifndef)\b(.*)$", re.S)
# a compiler's own loop hints ('#pragma ivdep', '#pragma simd', '#pragma GCC unroll') may sit between a
# loop header and its body, where no grammar expects a directive; they change no semantics
_FOREIGN_PRAGMA = re.compile(rb"^[ \t]*#[ \t]*pragma[ \t]+(?!omp\b)")
_LOOP = re.compile(rb"\b(for|while)\s*\(")
_IDENT = re.compile(r"[A-Za-z_]\w*")

# what gcc 12 on x86-64 Linux predefines and code tests for, with -fopenmp: the advice is for the
# OpenMP build, where '#ifdef _OPENMP' holds the directives a loop already has (a second one would not
# compile) and the calls a parallel loop makes ('omp_get_thread_num()'). _OPENMP is clang-14's
# (OpenMP 5.0; gcc 12 says 201511): a directive under '#if _OPENMP >= 201811' is one that a build has
PREDEFINED_C = {"_OPENMP": "201811", "__STDC__": "1", "__STDC_VERSION__": "201710L", "__STDC_HOSTED__": "1", "__GNUC__": "12",
                "__GNUC_MINOR__": "2", "__GNUC_PATCHLEVEL__": "0", "__linux__": "1", "__linux": "1", "linux": "1",
                "__unix__": "1", "__unix": "1", "unix": "1", "__x86_64__": "1", "__x86_64": "1", "__amd64__": "1",
                "__LP64__": "1", "_LP64": "1", "__CHAR_BIT__": "8", "__SIZEOF_INT__": "4", "__SIZEOF_LONG__": "8",
                "__SIZEOF_POINTER__": "8", "__SIZEOF_DOUBLE__": "8", "__SIZEOF_FLOAT__": "4", "__ELF__": "1",
                "__ORDER_LITTLE_ENDIAN__": "1234", "__BYTE_ORDER__": "1234"}
PREDEFINED_CPP = dict(PREDEFINED_C, __cplusplus="201703L", __GNUG__="12")
del PREDEFINED_CPP["__STDC_VERSION__"]


class FunctionMacro(str):
    """The body of a function-like macro (an #if cannot evaluate a call of one)."""


# 'ZERO(a, n)' alone on a line, as a statement: gcc accepts it without ';' when the macro's body is a
# block or ends with one, tree-sitter does not
_STMT_MACRO = re.compile(rb"^([ \t]+)([A-Za-z_]\w*)[ \t]*(\(.*\))[ \t]*$")


def _statement_macro(line: bytes, macros: dict) -> bytes | None:
    m = _STMT_MACRO.match(line.rstrip(b"\r"))
    if m is None:
        return None
    body = macros.get(m.group(2).decode())
    if not isinstance(body, FunctionMacro) or not body.rstrip().endswith(("}", ";")):
        return None
    args = m.group(3)
    if args.count(b"(") != args.count(b")"):
        return None
    # one byte of indentation becomes the ';' the parser needs: offsets stay, the column moves by one
    cr = b"\r" if line.endswith(b"\r") else b""
    core = line[:len(line) - len(cr)].rstrip()
    return core[1:] + b";" + b" " * (len(line) - len(cr) - len(core)) + cr


@dataclass
class Configuration:
    source: bytes  # the active text, same length and line breaks as the original
    inactive_loops: int = 0  # loop headers in branches the configuration leaves out
    activating: tuple[str, ...] = ()  # macros named in the conditions of those branches
    undecided: int = 0  # conditions that could not be evaluated (every branch kept)
    inactive_lines: tuple[tuple[int, int], ...] = ()  # 1-based line ranges left out


@dataclass
class _Frame:
    parent: bool  # the enclosing code is active
    active: bool  # this branch is active
    taken: bool  # a branch of this chain was taken
    decided: bool
    names: set[str] = field(default_factory=set)  # macros in this chain's conditions


class Undecidable(Exception):
    pass


def _blank(line: bytes) -> bytes:
    return re.sub(rb"[^\r\n]", b" ", line)


def active_configuration(source: bytes, defines: dict[str, str], language: str = "c") -> Configuration:
    if b"#" not in source:
        return Configuration(source)  # (no directive: nothing to select or blank)
    macros: dict[str, str | None] = dict(PREDEFINED_CPP if language == "cpp" else PREDEFINED_C)
    macros.update(defines)  # value None: a function-like macro
    lines = source.split(b"\n")
    out: list[bytes] = []
    stack: list[_Frame] = []
    inactive = 0
    activating: set[str] = set()
    undecided = 0
    blanked: list[list[int]] = []
    i = 0
    while i < len(lines):
        # a directive continues over backslash-newlines: treat the group as one
        j = i
        while lines[j].rstrip(b"\r").endswith(b"\\") and j + 1 < len(lines):
            j += 1
        group = lines[i:j + 1]
        text = b" ".join(g.rstrip(b"\r")[:-1] if g.rstrip(b"\r").endswith(b"\\") else g for g in group)
        m = _DIRECTIVE.match(text)
        on = all(f.active for f in stack)
        if m is None:
            if on and _FOREIGN_PRAGMA.match(text):
                out.extend(_blank(g) for g in group)
            elif on:
                fixed = _statement_macro(group[0], macros) if len(group) == 1 else None
                out.append(fixed) if fixed is not None else out.extend(group)
            else:
                _extend(blanked, i + 1, j + 1)
                body = b"\n".join(group)
                inactive += len(_LOOP.findall(_strip_comments(body)))
                if _LOOP.search(body):
                    for f in stack:
                        if not f.active or not f.decided:
                            activating |= f.names
                out.extend(_blank(g) for g in group)
            i = j + 1
            continue
        kind = m.group(1).decode()
        rest = _strip_comments(m.group(2)).strip().decode("utf-8", "replace")
        keep = True  # the directive line stays for the parser (undecided chains, #define)
        if kind in ("if", "ifdef", "ifndef"):
            val, names = _condition(kind, rest, macros)
            frame = _Frame(parent=on, active=on and val is not False, taken=val is True,
                           decided=val is not None, names=names)
            undecided += val is None and on
            stack.append(frame)
            keep = not frame.decided
        elif kind in ("elif", "elifdef", "elifndef") and stack:
            f = stack[-1]
            if not f.decided:
                f.active = f.parent
            elif f.taken:
                f.active = False
            else:
                val, names = _condition({"elif": "if", "elifdef": "ifdef", "elifndef": "ifndef"}[kind], rest, macros)
                f.names |= names
                if val is None:  # the rest of the chain is kept whole
                    f.decided, f.active = False, f.parent
                    undecided += f.parent
                else:
                    f.active, f.taken = f.parent and val, val
            keep = not f.decided
        elif kind == "else" and stack:
            f = stack[-1]
            f.active = f.parent and (not f.taken if f.decided else True)
            keep = not f.decided
        elif kind == "endif" and stack:
            keep = not stack.pop().decided
        elif kind in ("define", "undef") and on:
            dm = re.match(r"([A-Za-z_]\w*)(\()?\s*(.*)", rest, re.S)
            if dm:
                if kind == "undef":
                    macros.pop(dm.group(1), None)
                else:
                    body = dm.group(3).strip()
                    macros[dm.group(1)] = FunctionMacro(body.split(")", 1)[-1]) if dm.group(2) else body
        elif not on:
            keep = False
        if keep and (on or kind in ("if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif")):
            out.extend(group)
        else:
            out.extend(_blank(g) for g in group)
        i = j + 1
    return Configuration(b"\n".join(out), inactive, tuple(sorted(activating)), undecided,
                         tuple((a, b) for a, b in blanked))


def _extend(ranges: list[list[int]], first: int, last: int) -> None:
    if ranges and ranges[-1][1] >= first - 2:  # (a directive line between two inactive lines)
        ranges[-1][1] = last
    else:
        ranges.append([first, last])


def _strip_comments(b: bytes) -> bytes:
    return re.sub(rb"/\*.*?\*/|//[^\n]*", b" ", b, flags=re.S)


def _condition(kind: str, rest: str, macros: dict) -> tuple[bool | None, set[str]]:
    if kind in ("ifdef", "ifndef"):
        m = _IDENT.match(rest)
        if m is None:
            return None, set()
        return (m.group(0) in macros) == (kind == "ifdef"), {m.group(0)}
    names = {n for n in _IDENT.findall(rest) if n != "defined" and not n.startswith("__")}
    try:
        return bool(_Eval(rest, macros).value()), names
    except (Undecidable, ZeroDivisionError, RecursionError, IndexError, ValueError):
        return None, names


_TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|'(\\.|[^'])'|"
                    r"(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>!~&|^?:()]))")


class _Eval:
    """A C constant expression as `#if` sees it (integers only, undefined identifiers 0)."""

    def __init__(self, text: str, macros: dict, depth: int = 0):
        self.macros = macros
        self.toks = self._expand(self._tokens(text), depth)
        self.pos = 0

    @staticmethod
    def _tokens(text: str) -> list:
        out, pos = [], 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise Undecidable(text[pos:])
            pos = m.end()
            if m.group(1):
                out.append(int(m.group(1), 0) if not (m.group(1).startswith("0") and m.group(1).isdigit()
                                                      and len(m.group(1)) > 1) else int(m.group(1), 8))
            elif m.group(2):
                out.append(("id", m.group(2)))
            elif m.group(3):
                out.append(ord(m.group(3)[-1]))
            else:
                out.append(m.group(4))
        return out

    def _expand(self, toks: list, depth: int) -> list:
        if depth > 16:
            raise Undecidable("macro recursion")
        out, k = [], 0
        while k < len(toks):
            t = toks[k]
            if isinstance(t, tuple) and t[1] == "defined":
                paren = k + 1 < len(toks) and toks[k + 1] == "("
                name = toks[k + 2] if paren else toks[k + 1] if k + 1 < len(toks) else None
                if not isinstance(name, tuple):
                    raise Undecidable("defined")
                out.append(int(name[1] in self.macros))
                k += 4 if paren else 2
                continue
            if isinstance(t, tuple):
                name = t[1]
                if name in ("true", "false"):
                    out.append(int(name == "true"))
                elif name in self.macros:
                    val = self.macros[name]
                    if val is None or isinstance(val, FunctionMacro):
                        raise Undecidable(name)
                    out.extend(self._expand(self._tokens(val), depth + 1) if val else [])
                elif k + 1 < len(toks) and toks[k + 1] == "(":
                    raise Undecidable(name)  # __has_include(...), a macro of a header not read
                else:
                    out.append(0)
            else:
                out.append(t)
            k += 1
        return out

    def value(self) -> int:
        v = self._ternary()
        if self.pos != len(self.toks):
            raise Undecidable("trailing tokens")
        return v

    def _peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _ternary(self) -> int:
        c = self._binary(0)
        if self._peek() == "?":
            self.pos += 1
            a = self._ternary()
            if self._peek() != ":":
                raise Undecidable("?:")
            self.pos += 1
            b = self._ternary()
            return a if c else b
        return c

    _LEVELS = (("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!="), ("<", "<=", ">", ">="),
               ("<<", ">>"), ("+", "-"), ("*", "/", "%"))

    def _binary(self, level: int) -> int:
        if level == len(self._LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in self._LEVELS[level]:
            op = self.toks[self.pos]
            self.pos += 1
            right = self._binary(level + 1)
            left = _apply(op, left, right)
        return left

    def _unary(self) -> int:
        t = self._peek()
        if t in ("!", "~", "-", "+"):
            self.pos += 1
            v = self._unary()
            return {"!": lambda: int(not v), "~": lambda: ~v, "-": lambda: -v, "+": lambda: v}[t]()
        if t == "(":
            self.pos += 1
            v = self._ternary()
            if self._peek() != ")":
                raise Undecidable(")")
            self.pos += 1
            return v
        if isinstance(t, int):
            self.pos += 1
            return t
        raise Undecidable(str(t))


def _apply(op: str, a: int, b: int) -> int:
    if op == "||":
        return int(bool(a) or bool(b))
    if op == "&&":
        return int(bool(a) and bool(b))
    if op in ("/", "%"):
        if b == 0:
            raise ZeroDivisionError
        q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)  # C truncates toward zero
        return q if op == "/" else a - q * b
    return {"|": a | b, "^": a ^ b, "&": a & b, "==": int(a == b), "!=": int(a != b), "<": int(a < b),
            "<=": int(a <= b), ">": int(a > b), ">=": int(a >= b), "<<": a << min(b, 64), ">>": a >> min(b, 64),
            "+": a + b, "-": a - b, "*": a * b}[op]
