"""The OpenAI-compatible backend against real (fake) HTTP servers: every failure is one line."""
import socket
import time

import pytest

from ompwise.llm.backend import LLMError, LLMOptions, make_backend
from ompwise.llm.openai_http import OpenAIHTTP

from .fakes import FakeServer, always, completion

MSG = [{"role": "user", "content": "hi"}]


@pytest.fixture
def server(request):
    s = FakeServer(request.param)
    yield s
    s.close()


def backend(url, **kw):
    kw.setdefault("retries", 0)
    return OpenAIHTTP(url, "m", None, **kw)


@pytest.mark.parametrize("server", [always("#pragma omp parallel for")], indirect=True)
def test_answer_and_request(server, monkeypatch):
    monkeypatch.setenv("OMPWISE_LLM_API_KEY", "sekrit")
    b = make_backend(LLMOptions(server.url, "tiny"))
    r = b.complete(MSG, max_tokens=7)
    assert r.text == "#pragma omp parallel for" and not r.truncated
    req = server.requests[0]
    assert req["model"] == "tiny" and req["max_tokens"] == 7 and req["messages"] == MSG and req["temperature"] == 0


@pytest.mark.parametrize("server, message", [
    (lambda req: (200, b"<html>hello</html>"), "not a chat completion: '<html>hello</html>'"),
    (lambda req: (200, b'{"choices": []}'), "not a chat completion"),
    (lambda req: (404, b"no such route"), "answered HTTP 404: no such route"),
    (lambda req: (500, b"boom"), "answered HTTP 500: boom"),
], indirect=["server"])
def test_garbage_is_one_line(server, message):
    with pytest.raises(LLMError) as e:
        backend(server.url).complete(MSG, max_tokens=8)
    assert message in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("server", [always("")], indirect=True)
def test_empty_answer_is_empty_text(server):
    assert backend(server.url).complete(MSG, max_tokens=8).text == ""


@pytest.mark.parametrize("server", [lambda req: (200, completion("#pragma omp parallel", "length"))], indirect=True)
def test_truncation_is_reported(server):
    assert backend(server.url).complete(MSG, max_tokens=3).truncated


@pytest.mark.parametrize("server", [lambda req: "hang"], indirect=True)
def test_slow_server_times_out(server):
    t = time.monotonic()
    with pytest.raises(LLMError, match=r"did not answer within 0.5 s"):
        backend(server.url, timeout_s=0.5).complete(MSG, max_tokens=8)
    assert time.monotonic() - t < 3


@pytest.mark.parametrize("server", [lambda req: "endless"], indirect=True)
def test_endless_answer_is_cut_by_the_deadline(server):
    t = time.monotonic()
    with pytest.raises(LLMError, match=r"did not finish its answer within 1 s"):
        backend(server.url, timeout_s=1).complete(MSG, max_tokens=8)
    assert time.monotonic() - t < 4


def test_server_down_retries_then_stops_asking():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    b = backend(f"http://127.0.0.1:{port}/v1", retries=1)
    for _ in range(3):
        with pytest.raises(LLMError, match=r"unreachable.*after 2 tries"):
            b.complete(MSG, max_tokens=8)
    t = time.monotonic()
    with pytest.raises(LLMError, match="no more requests"):
        b.complete(MSG, max_tokens=8)
    assert time.monotonic() - t < 0.1


def test_retry_recovers_from_a_passing_failure():
    calls = []

    def flaky(req):
        calls.append(1)
        return (503, b"busy") if len(calls) == 1 else (200, completion("NONE"))
    s = FakeServer(flaky)
    try:
        assert backend(s.url, retries=2).complete(MSG, max_tokens=8).text == "NONE"
        assert len(calls) == 2
    finally:
        s.close()


@pytest.mark.parametrize("spec", ["ftp://x", "localhost:8000", "locale"])
def test_bad_spec(spec):
    with pytest.raises(LLMError, match="expected http"):
        make_backend(LLMOptions(spec))
