"""Loop normalization for deduplication and leakage control: two loops are the same when their
normalized token streams are equal, and ``loop_key`` is a digest of that stream.

The evaluation sets do not hold loops as their authors wrote them: OMPify's loops went through a
pycparser round-trip (comments and pragmas gone, spacing and line breaks redone, every binary
operand parenthesized, ``int a, b;`` split into ``int a; int b;``, adjacent strings joined), and
the corpus copies loops between repositories with renamed variables. The rules, in order:

1. Comments, whitespace and every preprocessor line (``#pragma omp`` and any other directive, with
   its backslash continuations) are dropped: pycparser's output has none, and a directive is not
   part of the loop's computation. The code inside ``#if`` branches is kept.
2. String literals become one placeholder (adjacent literals too, as pycparser joins them, and a
   macro between two literals, ``"%" PRIu64 ","``, which is part of one literal):
   message texts carry no parallelization signal and differ between copies of a course exercise.
   Character and number literals are kept (``a[i+1]`` is not ``a[i+2]``), numbers lower-cased.
3. ``>>`` is split into two ``>`` so that ``vector<vector<int>>`` equals ``vector<vector<int> >``
   (a shift becomes ``> >`` on both sides alike).
4. Declarations with several declarators in a statement are split, ``T a, *b;`` -> ``T a; T *b;``,
   as pycparser does (not in a ``for`` header, where pycparser keeps the list).
5. Braces are dropped (with an initializer's trailing comma, and the empty statement pycparser
   puts after a label that ends a block), and so are grouping parentheses: every ``(`` that does not open a call's
   arguments (after a name or ``]``) or a ``for``/``if``/``while``/``switch`` header. pycparser
   adds parentheses around operands and removes redundant ones; casts lose theirs too. Loops that
   differ only in grouping or in braces around one statement then share a key; for leakage
   control that errs on the safe side (a training loop dropped too many), and such pairs are rare.
6. Identifiers are renamed ``$0, $1, ...`` in order of first appearance, one namespace for
   variables, members, functions and type names (the C++ casts ``static_cast`` and its kin
   too, which parsers read as template names). Kept: other C and C++ keywords, the primitive and
   standard fixed-width types tree-sitter's grammar knows (``int``, ``size_t``, ``uint64_t``) and
   ``NULL``/``true``/``false``/``nullptr``. Library names (``sqrt``, ``printf``, ``std``) are
   renamed too: copies swap ``sqrt`` for ``sqrtf`` or ``min`` for ``fmin``, and a coarser key is
   the safe direction for leakage; it also keeps the rule simple enough for the independent
   re-implementation in the leakage test to agree with it exactly.

A regex tokenizer, not a parser: it runs on every mined loop (~100k) and must not fail on
fragments, macros or code tree-sitter cannot parse."""
from __future__ import annotations

import hashlib
import re

# Bump when the normalized form changes: cached evaluation indexes are keyed by it.
VERSION = 2

_TOKEN = re.compile(r"""
    (?P<ws>\s+|\\\r?\n)
  | (?P<comment>//(?:\\\r?\n|[^\n])*|/\*.*?(?:\*/|\Z))
  | (?P<directive>\#(?:\\\r?\n|/\*.*?\*/|[^\n])*)
  | (?P<string>(?:u8|[uUL])?R"(?P<delim>[^()\\\s"]{0,16})\(.*?\)(?P=delim)"
              |(?:u8|[uUL])?"(?:\\.|[^"\\\n])*"?)
  | (?P<char>(?:u8|[uUL])?'(?:\\.|[^'\\\n])*'?)
  | (?P<number>\.?\d(?:[eEpP][+-]|[\w.'])*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<punct>->\*?|\.\.\.|::|\+\+|--|&&|\|\||<<=?|>>=|>>|[-+*/%&|^!=<>]=|\#\#|.)
""", re.VERBOSE | re.DOTALL)

_KEYWORDS = frozenset("""
    auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic
    _Imaginary _Noreturn _Static_assert _Thread_local __restrict __restrict__ __inline
    __inline__ __volatile__ __attribute__ __asm__ __extension__
    alignas alignof and and_eq asm bitand bitor bool catch char8_t char16_t char32_t class
    compl concept consteval constexpr constinit co_await co_return co_yield decltype
    delete explicit export false friend mutable namespace new noexcept not not_eq
    nullptr operator or or_eq private protected public requires static_assert
    template this thread_local throw true try typeid typename using virtual wchar_t
    xor xor_eq override final
    NULL TRUE FALSE
    size_t ssize_t ptrdiff_t intptr_t uintptr_t charptr_t nullptr_t max_align_t
    int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t
""".split())

# type words that may begin a declaration (rule 4); a single other name may too (a typedef)
_DECL_WORDS = frozenset("""
    auto char const double enum extern float int long register restrict short signed static
    struct union unsigned void volatile _Bool _Complex _Atomic __restrict __restrict__ bool
    wchar_t char8_t char16_t char32_t constexpr thread_local _Thread_local
    size_t ssize_t ptrdiff_t intptr_t uintptr_t charptr_t nullptr_t max_align_t
    int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t
""".split())
_TAG = frozenset(("struct", "union", "enum"))
# a '(' after these opens a header or call arguments and is kept (rule 5)
_HEADER = frozenset(("for", "if", "while", "switch", "catch"))
_STATEMENT_START = frozenset((";", "{", "}", "else", "do"))
_STRING = '"S"'


def _tokens(code: str) -> list[tuple[str, str]]:
    """(kind, text) of every token that counts: rules 1-3."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(code):
        kind = m.lastgroup
        if kind in ("ws", "comment", "directive"):
            continue
        if kind == "delim":  # the raw string's inner group names the match
            kind = "string"
        text = m.group()
        if kind == "string":
            if out and out[-1][0] == "string":
                continue
            text = _STRING
        elif kind == "number":
            text = text.lower()
        elif kind == "punct":
            if text == ">>":
                out.append(("punct", ">"))
                text = ">"
            elif text == ">>=":
                out.append(("punct", ">"))
                text = ">="
        out.append((kind, text))
    # a macro between two strings is part of one literal ('"%" PRIu64 ","'): one string
    merged: list[tuple[str, str]] = []
    for k, tok in enumerate(out):
        if tok[0] == "ident" and merged and merged[-1][0] == "string" and k + 1 < len(out) and out[k + 1][0] == "string":
            continue
        if tok[0] == "string" and merged and merged[-1][0] == "string":
            continue
        merged.append(tok)
    return merged


def _declaration_end(toks: list[tuple[str, str]], i: int) -> tuple[int, int] | None:
    """When a declaration with a type prefix starts at ``i``: (end of the prefix, index of its
    ';'). The prefix is type words (``struct X`` counts as one), or one other name followed by a
    declarator (a name, or '*')."""
    j, n = i, len(toks)
    while j < n:
        kind, text = toks[j]
        if text in _TAG and j + 1 < n and toks[j + 1][0] == "ident":
            j += 2
        elif kind == "ident" and text in _DECL_WORDS:
            j += 1
        else:
            break
    if j == i:
        if not (j + 2 < n and toks[j][0] == "ident" and toks[j][1] not in _KEYWORDS
                and (toks[j + 1][0] == "ident" or toks[j + 1][1] == "*")):
            return None
        j += 1
    if j >= n or not (toks[j][0] == "ident" or toks[j][1] in ("*", "&", "(")):
        return None
    depth = 0
    for k in range(j, n):
        t = toks[k][1]
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif t == ";" and depth == 0:
            return j, k
    return None


def _split_declarations(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rule 4: ``T a, b;`` -> ``T a; T b;`` for declarations at statement start."""
    if not any(t == "," for _, t in toks):
        return toks
    out: list[tuple[str, str]] = []
    i, n = 0, len(toks)
    while i < n:
        if out and out[-1][1] in _STATEMENT_START:
            d = _declaration_end(toks, i)
            if d is not None:
                start, end = d
                prefix = toks[i:start]
                parts, depth, cur = [], 0, []
                for tok in toks[start:end]:
                    t = tok[1]
                    if t in "([{":
                        depth += 1
                    elif t in ")]}":
                        depth -= 1
                    if t == "," and depth == 0:
                        parts.append(cur)
                        cur = []
                    else:
                        cur.append(tok)
                parts.append(cur)
                for part in parts:
                    out.extend(prefix)
                    out.extend(part)
                    out.append(("punct", ";"))
                i = end + 1
                continue
        out.append(toks[i])
        i += 1
    return out


def normalize(code: str) -> str:
    """The loop as a canonical token stream, one space between tokens (see the module's rules)."""
    toks = _split_declarations(_tokens(code))
    out: list[str] = []
    names: dict[str, str] = {}
    kept: list[bool] = []  # per open '(': whether it was emitted
    prev_kind, prev = "", ""
    for i, (kind, text) in enumerate(toks):
        if text in ("{", "}"):
            continue
        if text == "," and i + 1 < len(toks) and toks[i + 1][1] == "}":
            continue  # an initializer's trailing comma, which pycparser drops
        if text == ";" and prev == ":":
            continue  # 'label: }' needs an empty statement in pycparser's output
        if text == "(":
            keep = (prev_kind == "ident" and (prev not in _KEYWORDS or prev in _HEADER)) or prev == "]"
            kept.append(keep)
            if not keep:
                continue  # prev stays: '(( x' after a name keeps only the call's paren
        elif text == ")":
            if kept and not kept.pop():
                prev_kind, prev = "punct", ")"
                continue
        if kind == "ident" and text not in _KEYWORDS:
            alias = names.get(text)
            if alias is None:
                alias = names[text] = f"${len(names)}"
            out.append(alias)
        else:
            out.append(text)
        prev_kind, prev = kind, text
    return " ".join(out)


def loop_key(code: str) -> str:
    """Hex digest (blake2b, 16 bytes) of ``normalize(code)``."""
    return hashlib.blake2b(normalize(code).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
