"""The bundled SmolLM2 model, behind a real llama_cpp.server and in-process: it tests the
plumbing and the safety net (its OpenMP answers are weak), never the quality of advice."""
import os
import shutil
from dataclasses import replace

import pytest

from ompwise.api import analyze_file, read_file
from ompwise.cli import main
from ompwise.llm.backend import LLMError
from ompwise.llm.openai_http import OpenAIHTTP
from ompwise.llm.suggest import suggest
from ompwise.verify.program import VerifyOptions

from .conftest import LlamaServer, needs_llm

DATA = os.path.join(os.path.dirname(__file__), "data")
needs_clang = pytest.mark.skipif(not shutil.which("clang-14"), reason="needs clang-14 (make system)")
pytestmark = needs_llm
MSG = [{"role": "user", "content": "Write one OpenMP pragma for a loop adding two arrays."}]


def test_server_answers_through_the_http_backend(llama_server):
    r = OpenAIHTTP(llama_server.url, "smollm2", None, timeout_s=120).complete(MSG, max_tokens=24)
    assert isinstance(r.text, str) and r.text.strip() and r.seconds > 0


@needs_clang
def test_server_answers_never_put_an_unsafe_pragma_in_the_file(llama_server, tmp_path, capsys):
    src = os.path.join(DATA, "histogram.c")
    base, out = tmp_path / "base.c", tmp_path / "out.c"
    assert main(["parallelize", src, "-o", str(base)]) == 0
    assert main(["parallelize", src, "-o", str(out), "--llm", llama_server.url, "--llm-timeout", "120",
                 "--repair-rounds", "1", "--no-timing", "--no-cache"]) == 0
    assert out.read_bytes() == base.read_bytes()
    assert "histogram.c:10:3: note: LLM suggestion" in capsys.readouterr().err


def test_tiny_max_tokens_is_one_line_and_the_analysis_stands(llama_server, tmp_path, capsys):
    src = tmp_path / "p.c"
    src.write_text("void ext(double *);\nvoid f(int n, double *b) {\n  for (int i = 0; i < n; i++) ext(&b[i]);\n"
                   "  for (int i = 0; i < n; i++) b[i] = 1;\n}\n")
    assert main(["parallelize", str(src), "-o", str(tmp_path / "o.c"), "--llm", llama_server.url,
                 "--llm-max-tokens", "2", "--repair-rounds", "0"]) == 0
    err = capsys.readouterr().err
    assert "p.c:3:3: note: LLM suggestion" in err and "rejected by grammar" in err
    assert "#pragma omp parallel for\n  for (int i = 0; i < n; i++) b[i] = 1;" in (tmp_path / "o.c").read_text()


def test_server_stopped_mid_run(smollm_path, tmp_path):
    server = LlamaServer(smollm_path)
    try:
        http = OpenAIHTTP(server.url, "smollm2", None, timeout_s=60, retries=1)
        calls = []

        class StopsAfterFirst:  # the server goes down after answering the first loop
            name, concurrency = http.name, 1

            def complete(self, messages, *, max_tokens):
                calls.append(1)
                if len(calls) == 2:
                    server.stop()
                return http.complete(messages, max_tokens=max_tokens)
        src = tmp_path / "p.c"
        src.write_text("void ext(double *);\nvoid f(int n, double *b) {\n" +
                       "  for (int i = 0; i < n; i++) ext(&b[i]);\n" * 5 + "  for (int i = 0; i < n; i++) b[i] = 1;\n}\n")
        fa = analyze_file(str(src))
        loops, log = suggest(fa, read_file(str(src)).data, StopsAfterFirst(), repair_rounds=0, max_tokens=16)
        fates = [s.attempts[-1].fate for s in log]
        assert fates[0] != "no answer" and fates[1:] == ["no answer"] * 4
        assert "unreachable" in log[1].attempts[-1].detail and "no more requests" in log[4].attempts[-1].detail
        assert loops[-1].pragma == "#pragma omp parallel for"  # the analysis' advice stands
    finally:
        server.stop()


def test_in_process_backend_on_the_same_model(smollm_path):
    from ompwise.llm.local import LocalLlama
    b = LocalLlama()
    assert b.path == smollm_path
    r = b.complete(MSG, max_tokens=16)
    assert r.text.strip() and r.seconds > 0
    with pytest.raises(LLMError, match="no such model file"):
        LocalLlama("/nonexistent/model.gguf")


@needs_clang
def test_in_process_backend_through_the_net(tmp_path):
    from ompwise.llm.local import LocalLlama
    src = os.path.join(DATA, "histogram.c")
    fa = analyze_file(src)
    o = replace(VerifyOptions(), timing=False, use_cache=False)
    loops, log = suggest(fa, read_file(src).data, LocalLlama(), verify_options=o, repair_rounds=1, max_tokens=48)
    assert [s.line for s in log] == [10]
    assert all(a.pragma == b.pragma for a, b in zip(loops, fa.loops))  # a racy loop: nothing gets through
