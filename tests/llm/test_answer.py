"""The LLM's answer is read with the OpenMP pragma grammar; anything else is rejected and
what is kept is rendered by ompwise."""
import pytest

from ompwise.llm.answer import parse_answer


@pytest.mark.parametrize("text, pragma", [
    ("#pragma omp parallel for private(t) reduction(+:s)", "#pragma omp parallel for private(t) reduction(+:s)"),
    ("```c\n#pragma omp parallel for schedule(dynamic, 4)\n```", "#pragma omp parallel for schedule(dynamic, 4)"),
    ("Here it is:\n  #  pragma   omp parallel for   lastprivate(x)\nDone.", "#pragma omp parallel for lastprivate(x)"),
    ("#pragma omp parallel for shared(a, b) private(j)", "#pragma omp parallel for private(j)"),
    ("#pragma omp parallel for collapse(2)", "#pragma omp parallel for collapse(2)"),
])
def test_accepted_answers_are_rendered_by_ompwise(text, pragma):
    p = parse_answer(text)
    assert p.problem == "" and p.pragma == pragma


@pytest.mark.parametrize("text, why", [
    ("", "empty"),
    ("Sure! The loop is parallel.", "no '#pragma omp'"),
    ("#pragma omp parallel for private(x) // trust me", "text after"),
    ("#pragma omp parallel for private(x); system(\"rm -rf /\")", "text after"),
    ("#pragma omp parallel for num_threads(64)", "num_threads"),
    ("#pragma omp parallel for reduction(+:a[0:3])", "plain variable"),
    ("#pragma omp parallel for private(a->b)", "plain variable"),
    ("#pragma omp parallel for private(", "unbalanced"),
    ("#pragma omp critical", "not 'parallel for'"),
    ("#pragma omp parallel for simd", "not 'parallel for'"),
    ("#pragma omp parallel for reduction(foo:s)", "operator"),
    ("#pragma omp parallel for private(x)\n#pragma omp parallel for", "2 different"),
    ("#pragma omp parallel for schedule(sometimes)", "schedule"),
    ("#pragma omp parallel for collapse(n)", "collapse"),
    ("#pragma omp parallel for \\\n private(x)", "text after"),
    ("#pragma omp parallel for private(x)\x1b[2J", "unexpected"),
])
def test_rejected_answers(text, why):
    p = parse_answer(text)
    assert p.pragma is None and p.clauses is None and why in p.problem


def test_none_declines():
    assert parse_answer("NONE").declined
    assert parse_answer("None.\nThe loop carries a dependence.").declined


def test_a_pragma_cut_at_the_token_limit_is_rejected():
    assert "cut off" in parse_answer("#pragma omp parallel for", truncated=True).problem
    assert parse_answer("#pragma omp parallel for\nbecause", truncated=True).pragma == "#pragma omp parallel for"
