"""`explain --llm`: the analysis' facts go into the prompt and the answer must cite them by
number. Each sentence of the answer is shown marked [llm], with the facts it cites; one that
cites none is marked as not backed by the analysis. The text is never shown as a fact."""
from __future__ import annotations

import re

from ..advise import FileAdvice, LoopAdvice
from ..llm.backend import Backend, LLMError
from ..llm.prompts import explain_messages, facts
from ..llm.suggest import printable

_CITE = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def explain_with_llm(fa: FileAdvice, a: LoopAdvice, backend: Backend, max_tokens: int = 256) -> tuple[str, str]:
    """(the marked text, a problem in one line or '')."""
    fs = facts(fa, a)
    try:
        reply = backend.complete(explain_messages(fa, a, fs), max_tokens=max_tokens)
    except LLMError as e:
        return "", str(e)
    text = printable(reply.text, 2000)
    if not text.strip():
        return "", f"{backend.name} gave an empty explanation"
    out = [f"  LLM ({backend.name}; facts given to it, numbered as cited):"]
    out += [f"    [{k}] [{origin}] {t}" for k, (origin, t) in enumerate(fs, 1)]
    for s in _SENTENCE.split(text.strip()):
        cited = sorted({int(n) for n in _CITE.findall(s) if 1 <= int(n) <= len(fs)})
        if cited:
            out.append(f"    [llm, citing {', '.join(f'[{n}]' for n in cited)}] {s}")
        else:
            out.append(f"    [llm, cites no fact: not checked] {s}")
    problem = "the answer was cut off at the token limit" if reply.truncated else ""
    return "\n".join(out), problem
