"""Any OpenAI-compatible chat endpoint (vLLM, llama.cpp's server, ollama, TGI) over the
standard library's HTTP client: no new dependency.

Every failure is an LLMError of one line. A deadline covers the whole request (a server
that streams bytes forever is cut off, not only one that is silent), answers are capped in
size, and failures that may pass (refused connection, 429, 5xx, timeout) are retried with
exponential backoff. After ``BREAK_AFTER`` failures in a row the backend stops asking,
so that a server that went down costs one timeout, not one per loop.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request

from .backend import LLMError, Message, Reply

MAX_BYTES = 1 << 20  # an answer of one pragma line is tiny; more is a broken or hostile server
BREAK_AFTER = 3
BACKOFF_S = 0.5


class _Retry(Exception):
    pass


class OpenAIHTTP:
    def __init__(self, base_url: str, model: str | None, api_key: str | None, *, timeout_s: float = 60.0,
                 retries: int = 2, concurrency: int = 4):
        self.base = base_url.rstrip("/")
        self.name = base_url
        self.model = model or "default"
        self.key = api_key
        self.timeout_s = timeout_s
        self.retries = retries
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._failures = 0
        self._broken: str | None = None

    def complete(self, messages: list[Message], *, max_tokens: int) -> Reply:
        with self._lock:
            if self._broken:
                raise LLMError(self._broken)
        start = time.monotonic()
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                text, truncated = self._once(messages, max_tokens)
            except _Retry as e:
                last = str(e)
                continue
            except LLMError as e:
                self._failed(str(e))
                raise
            with self._lock:
                self._failures = 0
            return Reply(text, truncated, time.monotonic() - start)
        msg = last + (f" (after {self.retries + 1} tries)" if self.retries else "")
        self._failed(msg)
        raise LLMError(msg)

    def _failed(self, msg: str) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= BREAK_AFTER and not self._broken:
                self._broken = f"{msg}; no more requests to {self.base} in this run"

    def _once(self, messages: list[Message], max_tokens: int) -> tuple[str, bool]:
        body = json.dumps({"model": self.model, "messages": messages, "max_tokens": max_tokens,
                           "temperature": 0.0, "stream": False}).encode()
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        req = urllib.request.Request(self.base + "/chat/completions", body, headers, method="POST")
        deadline = time.monotonic() + self.timeout_s
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                raw = self._read(resp, deadline)
        except urllib.error.HTTPError as e:
            detail = _first_line(e.read(300).decode("utf-8", "replace")) if e.fp else ""
            msg = f"LLM server {self.base} answered HTTP {e.code}" + (f": {detail}" if detail else "")
            if e.code in (408, 429) or e.code >= 500:
                raise _Retry(msg) from None
            raise LLMError(msg) from None
        except urllib.error.URLError as e:
            why = e.reason
            if isinstance(why, (socket.timeout, TimeoutError)):
                raise _Retry(f"LLM server {self.base} did not answer within {self.timeout_s:g} s") from None
            raise _Retry(f"LLM server {self.base} unreachable: {_first_line(str(getattr(why, 'strerror', None) or why))}") from None
        except (socket.timeout, TimeoutError):
            raise _Retry(f"LLM server {self.base} did not answer within {self.timeout_s:g} s") from None
        except (ConnectionError, OSError) as e:  # reset mid-answer, server killed
            raise _Retry(f"LLM server {self.base} dropped the connection: {_first_line(str(e))}") from None
        return _content(raw, self.base)

    def _read(self, resp, deadline: float) -> bytes:
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise _Retry(f"LLM server {self.base} did not finish its answer within {self.timeout_s:g} s")
            b = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not b:
                return b"".join(chunks)
            chunks.append(b)
            size += len(b)
            if size > MAX_BYTES:
                raise LLMError(f"LLM server {self.base} sent more than {MAX_BYTES >> 20} MiB; answer dropped")


def _first_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line[:width] + ("..." if len(line) > width else "")


def _content(raw: bytes, base: str) -> tuple[str, bool]:
    """The answer's text from an OpenAI chat completion; LLMError for anything else."""
    try:
        doc = json.loads(raw)
        choice = doc["choices"][0]
        text = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        shown = _first_line(raw.decode("utf-8", "replace"), 60) or "nothing"
        raise LLMError(f"LLM server {base} answered something that is not a chat completion: {shown!r}") from None
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise LLMError(f"LLM server {base} answered a chat completion without text")
    return text, choice.get("finish_reason") == "length"
