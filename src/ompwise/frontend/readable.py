"""Text tree-sitter's grammars cannot read, replaced by text of the same length that they can, as
the compiler reads it (every byte offset and line kept):

- an object-like macro that expands to nothing ('KERNEL_PREFIX void f(...)', 'SW4_HDDECLARE inline
  float_sw4& operator()(...)', the CUDA qualifiers a CPU build defines away) is blanked, as the
  preprocessor removes it; so is one that expands only to specifiers no analysis reads ('#define
  INLINE inline', 'FORCE_INLINE __attribute__((always_inline)) inline', '__host__ __device__'):
  a function's definition after one is otherwise misread (a syntax error);
- a macro ompwise cannot expand (its header not found) that stands where only specifiers can: an
  upper-case name before a type keyword at the start of a declaration ('OPAL_DECLSPEC int f(...)',
  'BOOST_ASIO_DECL void run();', 'EIGEN_DONT_INLINE typename T::Scalar g(...)', 'GLM_FUNC_QUALIFIER
  tvec4<T, P> f(...)'), or between a type keyword and a function's name ('int HID_API_EXPORT
  hid_read(...)', 'void SDLCALL f(...)'). A type cannot stand there (two types in a row are no
  declaration), so it is an export, inlining or calling-convention macro, and it is blanked (unless it
  is known to say 'static');
- C++'s 'new T*[n]' (an array of pointers, which tree-sitter-cpp cannot parse) loses its '*': the
  analyses see a fresh allocation either way;
- blanks at the end of a '#define' or '#include' line move to just after its '#': the grammars take
  the next line that is not blank as the value of '#define EMPTY ' (a declaration, a class's head
  lost), and '#include "a.h" ' is a syntax error;
- the argument of '__has_include("mpi-ext.h")' in an '#if' becomes '0' (the grammars read no string
  there); ompwise keeps both branches of such an '#if' (conditional.py);
- CUDA's function qualifiers ('__host__ __device__ float_sw4 f(...)' in a header that a CUDA build
  includes) are blanked where the file does not define them: they are specifiers to nvcc, and no
  analysis reads them;
- in C++, a macro pasted between string literals ('"variant: " VARIANT_STRING "\\n"', '"%" PRId64')
  becomes a string literal of its length, as the preprocessor makes it: tree-sitter-cpp takes the
  name for a literal's suffix and fails.
"""
from __future__ import annotations

import re

_EMPTY_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]*(?://.*|/\*.*\*/[ \t]*)?\r?$", re.M)
_OTHER_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*(\S.*)$", re.M)
_NEW_POINTERS = re.compile(rb"\bnew[ \t]+[A-Za-z_][\w:]*(?:[ \t]*<[^<>;()]*>)?([ \t]*\*+)[ \t]*\[")


_TRAILING_BLANKS = re.compile(rb"^([ \t]*#)([ \t]*(?:define|include)\b.*?(?<![\\ \t]))([ \t]+)$", re.M)


_HAS_INCLUDE = re.compile(rb"^[ \t]*#[ \t]*(?:el)?if\b.*\b__has_include(?:_next)?[ \t]*\(.*$", re.M)
_INCLUDE_ARGUMENT = re.compile(rb"(\b__has_include(?:_next)?[ \t]*\()([^()\n]+)(\))")
# a comment, a character literal, or a string literal and the name of a macro after it; names two
# characters long or more, and before another literal only after a blank (so not 'u8"..."')
_STRING_THEN_NAME = re.compile(rb'//[^\n]*|/\*.*?\*/|\'(?:[^\'\\\n]|\\.)*\'|'
                               rb'"(?:[^"\\\n]|\\.)*"(?:([ \t]+)([A-Za-z_]\w+)(?=[ \t]+"|[ \t]*[),;]))?', re.S)
_CUDA_QUALIFIER = re.compile(rb"\b__(?:host|device|global|forceinline|noinline)__\b")
_MAYBE_PASTED = re.compile(rb'"[ \t]+[A-Za-z_]\w+(?:[ \t]+"|[ \t]*[),;])')


def _blank_outside_directives(text: bytes, pattern: re.Pattern, keep: set[bytes] = frozenset()) -> bytes:
    """``pattern``'s matches blanked, but in directives ('#ifndef GUARD', '#define EMPTY' keep their
    names) and where the match is in ``keep``."""
    lines = text.split(b"\n")
    for i, line in enumerate(lines):
        if not line.lstrip().startswith(b"#") and pattern.search(line):
            lines[i] = pattern.sub(lambda m: m.group(0) if m.group(0) in keep else b" " * len(m.group(0)), line)
    return b"\n".join(lines)


def _pasted(m: re.Match) -> bytes:
    if m.group(2) is None:
        return m.group(0)
    name = m.group(2)
    return m.group(0)[:m.start(2) - m.start()] + b'"' + b"_" * (len(name) - 2) + b'"'


def readable(text: bytes, language: str, macros: dict[str, str] | None = None) -> bytes:
    if b" \n" in text or b"\t\n" in text or text.endswith((b" ", b"\t")):
        text = _TRAILING_BLANKS.sub(lambda m: m.group(1) + m.group(3) + m.group(2), text)
    if b"__has_include" in text:
        text = _HAS_INCLUDE.sub(lambda line: _INCLUDE_ARGUMENT.sub(
            lambda m: m.group(1) + b"0" + b" " * (len(m.group(2)) - 1) + m.group(3), line.group(0)), text)
    if b"__" in text and _CUDA_QUALIFIER.search(text):
        defined = {m.group(1) for m in _OBJECT_DEFINE.finditer(text)} | {k.encode() for k in macros or {}}
        text = _blank_outside_directives(text, _CUDA_QUALIFIER, defined)
    if language == "cpp" and _MAYBE_PASTED.search(text):
        text = _STRING_THEN_NAME.sub(_pasted, text)
    empty = _empty_macros(text, macros or {})
    if empty:
        names = b"|".join(re.escape(n.encode()) for n in sorted(empty, key=len, reverse=True))
        text = _blank_outside_directives(text, re.compile(rb"\b(?:" + names + rb")\b"))
    if _MAYBE_MACRO.search(text) and (_SPECIFIER_MACRO.search(text) or _CONVENTION_MACRO.search(text)):
        # (whatever a macro there expands to is specifiers and attributes: all but 'static', which
        # decides linkage, and a function-like macro's name, are blanked)
        bodies = {k: v for k, v in (macros or {}).items() if v is not None}
        bodies.update((m.group(1).decode(), m.group(2).decode("utf-8", "replace")) for m in _OTHER_DEFINE.finditer(text))
        known = {k for k, v in bodies.items() if type(v) is not str or _says_static(v, bodies)}

        def blank(m: re.Match) -> bytes:
            group = "name" if m.group("name") is not None else "name0"
            if m.group(group).decode() in known:
                return m.group(0)
            a, b = m.span(group)
            return m.group(0)[:a - m.start()] + b" " * (b - a) + m.group(0)[b - m.start():]
        text = _SPECIFIER_MACRO.sub(blank, text)
        text = _CONVENTION_MACRO.sub(blank, text)
    if language == "cpp" and b"new" in text:
        text = _NEW_POINTERS.sub(lambda m: m.group(0).replace(m.group(1), b" " * len(m.group(1))), text)
    return text


def _says_static(body: str, bodies: dict, depth: int = 0) -> bool:
    """Does a macro's body say 'static', itself or through the macros it names ('#define PERSIST
    INTERNAL' with '#define INTERNAL static')?"""
    if re.search(r"\bstatic\b", body):
        return True
    return depth < 4 and any(type(bodies.get(w)) is str and _says_static(bodies[w], bodies, depth + 1)
                             for w in re.findall(r"[A-Za-z_]\w*", body) if w in bodies)


def _empty_macros(text: bytes, macros: dict[str, str]) -> set[str]:
    """Object-like macros defined to nothing (or to specifiers only) and never to something else
    (the file's active definitions, and those of its headers and -D)."""
    empty = {k for k, v in macros.items() if type(v) is str and _ignorable(v)}
    if b"define" in text:
        empty |= {m.group(1).decode() for m in _EMPTY_DEFINE.finditer(text)}
        for m in _OTHER_DEFINE.finditer(text):
            name = m.group(1).decode()
            if _ignorable(m.group(2).decode("utf-8", "replace")) and name not in macros:
                empty.add(name)
            else:
                empty.discard(name)
    empty -= {k for k, v in macros.items() if type(v) is not str or not _ignorable(v)}
    return empty


_TYPE_WORDS = rb"(?:void|int|char|bool|double|float|unsigned|signed|long|short|static|inline|struct|enum|union|" \
    rb"virtual|explicit|extern|auto|typename|template|class|friend|constexpr)"
_MAYBE_MACRO = re.compile(rb"[A-Z][A-Z0-9_]*[A-Z0-9][ \t*&]+[a-z_]")  # (both need one: a cheap test first)
# (only before a function's declaration: 'PERSIST int calls = 0;' in a body may say 'static', which
# makes the variable one for every call; 'f(int n' or 'f()' or 'f(void' after the name, or column 0)
_DECLARATOR = rb"[\w:<>, \t*&]*?[A-Za-z_]\w*[ \t]*\((?:[ \t]*\)|[ \t]*(?:const[ \t]+)?" + _TYPE_WORDS + \
    rb"\b|[ \t]*[A-Za-z_][\w:]*(?:<[^<>()]*>)?[ \t*&]+[A-Za-z_]\w*[ \t]*[,)=])"
_SPECIFIER_MACRO = re.compile(
    rb"^(?:(?P<name0>[A-Z][A-Z0-9_]*[A-Z0-9])[ \t]+(?=" + _TYPE_WORDS + rb"\b)|[ \t]*(?:template[ \t]*<[^<>\n]*>[ \t]*)?"
    rb"(?:(?:static|inline|extern|virtual)[ \t]+)*"
    rb"(?P<name>[A-Z][A-Z0-9_]*[A-Z0-9])[ \t]+(?=(?:" + _TYPE_WORDS + rb"\b[ \t]*|[A-Za-z_][\w:]*[ \t]*<[^;{}()\n]*>[ \t*&]+)"
    + _DECLARATOR + rb"))", re.M)
_CONVENTION_MACRO = re.compile(
    rb"^[ \t]*(?:(?:static|inline|extern|const|unsigned|signed|long|short)[ \t]+)*"
    rb"(?:void|int|char|bool|double|float|long|short|unsigned)[ \t*&]+"
    rb"(?P<name>[A-Z][A-Z0-9_]*[A-Z0-9])[ \t*&]+[A-Za-z_]\w*[ \t]*\(", re.M)
_SPECIFIERS = frozenset(("inline", "__inline", "__inline__", "__forceinline", "__forceinline__",
                         "__host__", "__device__", "extern"))
_ATTRIBUTE = re.compile(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)|__declspec\s*\([^()]*\)")


def _ignorable(body: str) -> bool:
    """Does a macro's body hold nothing, or only specifiers the analyses do not read?"""
    body = re.sub(r"/\*.*?\*/|//.*", " ", body)
    return all(w in _SPECIFIERS for w in _ATTRIBUTE.sub(" ", body).split())


_OBJECT_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*(.*)$", re.M)


def open_macros(text: bytes, macros: dict[str, str] | None = None) -> frozenset[str]:
    """Object-like macros whose text is not one operand ('#define OFF 1+1'): in 'i*OFF' the
    preprocessor pastes 'i*1+1', so an operator applied to the name is not what it says, and the
    lowering gives no expression for it (ir.Opaque), where an analysis would read 'i * OFF'."""
    bodies = {k: v for k, v in (macros or {}).items() if type(v) is str}
    if b"define" in text:
        if b"\\\n" in text or b"\\\r\n" in text:
            text = re.sub(rb"\\\r?\n", b" ", text)  # (a definition continued over lines)
        bodies.update((m.group(1).decode(), m.group(2).decode("utf-8", "replace")) for m in _OBJECT_DEFINE.finditer(text))
    out = {k for k, v in bodies.items() if _open(v)}
    grew = bool(out)
    while grew:  # '#define STRIDE OFF' with '#define OFF 1+1' pastes the same text
        more = {k for k, v in bodies.items() if k not in out and v.strip() in out}
        out |= more
        grew = bool(more)
    return frozenset(out)


def _open(body: str) -> bool:
    b = re.sub(r"/\*.*?\*/|//.*", " ", body).strip()
    b = re.sub(r"\+\+|--", " ", b)  # ('cnt++' is one operand)
    if not b or b.startswith(("#", '"', "'")) or re.fullmatch(r"[-+]?\s*[\w.]+", b):
        return False
    depth = 0
    for i, ch in enumerate(b):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch in "+-*/%<>=&|^?,!~" and i > 0:
            if (ch == "-" and b[i + 1:i + 2] == ">") or (ch == ">" and b[i - 1] == "-"):
                continue  # ('p->n': a member, one operand)
            return True
    return False
