"""`explain --llm`: the facts go into the prompt; the output marks what comes from the
analysis and what from the LLM, and whether an LLM sentence cites a fact."""
import pytest

from ompwise.cli import main
from tests.llm.fakes import FakeServer, always

SRC = "void g(double *);\nvoid f(int n, double *a) {\n  for (int i = 0; i < n; i++)\n    g(&a[i]);\n}\n"


@pytest.fixture
def fake():
    s = FakeServer(always("The call to g may write shared memory [2]. It is fine, trust me.\x1b[2J"))
    yield s
    s.close()


def test_explain_with_llm_marks_sources(fake, tmp_path, capsys):
    p = tmp_path / "x.c"
    p.write_text(SRC)
    assert main(["explain", f"{p}:3", "--llm", fake.url]) == 0
    out = capsys.readouterr().out
    prompt = fake.requests[0]["messages"][1]["content"]
    assert "[2] CALL-UNKNOWN" in prompt and "4|     g(&a[i]);" in prompt
    assert "[analysis] Call with unknown effects [CALL-UNKNOWN]" in out
    assert "[llm, citing [2]] The call to g may write shared memory [2]." in out
    assert "[llm, cites no fact: not checked] It is fine, trust me." in out and "\x1b" not in out


def test_explain_llm_down_keeps_the_template(tmp_path, capsys):
    p = tmp_path / "x.c"
    p.write_text(SRC)
    assert main(["explain", f"{p}:3", "--llm", "http://127.0.0.1:9/v1", "--llm-timeout", "2"]) == 0
    cap = capsys.readouterr()
    assert "[analysis]" in cap.out and "warning: LLM:" in cap.err and len(cap.err.strip().splitlines()) == 1
