"""One small interface for every LLM: ``complete(messages) -> Reply``, and the one option
(``--llm``) that picks the backend."""
from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Protocol

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}

KEY_ENV = "OMPWISE_LLM_API_KEY"  # (an environment variable: a key on the command line ends up in shell history)


class LLMError(Exception):
    """A one-line reason why the LLM gave no answer (server down, timeout, garbage)."""


@dataclass(frozen=True)
class Reply:
    text: str
    truncated: bool  # the answer was cut at max_tokens: its last line may be incomplete
    seconds: float


class Backend(Protocol):
    name: str
    concurrency: int  # the most requests worth sending at once

    def complete(self, messages: list[Message], *, max_tokens: int) -> Reply: ...


@dataclass(frozen=True)
class LLMOptions:
    spec: str  # 'http://host:port/v1' or 'local' or 'local:/path/model.gguf'
    model: str | None = None
    timeout_s: float = 60.0
    retries: int = 2
    concurrency: int = 4
    max_tokens: int = 128


_URL = re.compile(r"https?://[^\s/]+(/\S*)?")


def make_backend(o: LLMOptions) -> Backend:
    """The backend ``o.spec`` names; LLMError (one line) when it cannot be made."""
    if _URL.fullmatch(o.spec):
        from .openai_http import OpenAIHTTP
        return OpenAIHTTP(o.spec, o.model, os.environ.get(KEY_ENV), timeout_s=o.timeout_s,
                          retries=o.retries, concurrency=o.concurrency)
    if o.spec == "local" or o.spec.startswith("local:"):
        from .local import LocalLlama
        return LocalLlama(o.spec[len("local:"):] or None)
    raise LLMError(f"--llm: expected http(s)://HOST:PORT/v1 or local[:PATH.gguf], got '{o.spec}'")


def complete_all(backend: Backend, jobs: list, ask: Callable[[object], object],
                 progress: Callable[[int, int], None] | None = None) -> list:
    """``ask(job)`` for every job, at most ``backend.concurrency`` at a time; results in
    job order. ``ask`` must not raise for one job's failure (it returns the failure)."""
    if not jobs:
        return []
    done = 0
    lock = threading.Lock()

    def one(job):
        nonlocal done
        r = ask(job)
        with lock:
            done += 1
            if progress is not None:
                progress(done, len(jobs))
        return r

    with ThreadPoolExecutor(max_workers=max(1, min(backend.concurrency, len(jobs)))) as pool:
        return list(pool.map(one, jobs))
