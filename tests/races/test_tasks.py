"""Tasks against their siblings and their generating task."""
from ompwise import analyze_source
from ompwise.races import sync_findings, task_findings


def all_codes(code: str, lang: str = "c"):
    fa = analyze_source(code.encode(), "t." + lang, lang)
    return sorted({(f.code, f.variable) for f in task_findings(fa) + sync_findings(fa)})


# Tasks: siblings ordered only by dependences, children complete at taskwait/taskgroup/barrier.
PRODUCER = ("#include <stdio.h>\nint main(void) {\n  int total = 0, count = 0;\n#pragma omp parallel num_threads(4)\n"
            "#pragma omp single\n  {\n#pragma omp task shared(total) TOTALDEP\n    total = 40;\n"
            "#pragma omp task shared(total, count) COUNTDEP\n    count = total + 2;\n  }\n"
            "  printf(\"%d\\n\", count);\n  return 0;\n}\n")


def test_sibling_tasks_need_a_dependence():
    racy = PRODUCER.replace("TOTALDEP", "").replace("COUNTDEP", "")
    assert all_codes(racy) == [("RACE-TASK-DEPEND", "total")]
    ordered = PRODUCER.replace("TOTALDEP", "depend(out: total)").replace("COUNTDEP", "depend(in: total)")
    assert all_codes(ordered) == []
    readers = PRODUCER.replace("TOTALDEP", "depend(in: total)").replace("COUNTDEP", "depend(in: total)")
    assert all_codes(readers) == [("RACE-TASK-DEPEND", "total")]  # in/in does not order a writer


STEPS = ("#include <stdio.h>\nstatic void steps(void) {\n  int left = 1, right = 5;\n"
         "#pragma omp task depend(inout: left) shared(left)\n  left *= 3;\n"
         "#pragma omp task shared(right)\n  right += 7;\n  WAIT\n  printf(\"%d\\n\", left);\n  READ\n"
         "#pragma omp taskwait\n}\nint main(void) {\n#pragma omp parallel\n#pragma omp master\n  steps();\n  return 0;\n}\n")


def test_taskwait_depend_waits_only_for_named_tasks():
    read = 'printf("%d\\n", right);'
    racy = STEPS.replace("WAIT", "#pragma omp taskwait depend(in: left)").replace("READ", read)
    assert all_codes(racy) == [("RACE-TASK", "right")]
    undeferred = STEPS.replace("WAIT", "#pragma omp task depend(in: left) if(0)\n  { }").replace("READ", read)
    assert all_codes(undeferred) == [("RACE-TASK", "right")]
    full = STEPS.replace("WAIT", "#pragma omp taskwait").replace("READ", read)
    assert all_codes(full) == []
    later = STEPS.replace("WAIT", "#pragma omp taskwait depend(in: left)").replace("READ", "")
    assert all_codes(later) == []


NESTED = ("#include <stdio.h>\nint main(void) {\n  int part[2] = {0, 0};\n#pragma omp parallel\n  {\n"
          "#pragma omp single\n    {\n      GROUP\n      {\n#pragma omp task\n        {\n#pragma omp task\n"
          "          part[1] = 20;\n          part[0] = 10;\n        }\n      }\n      WAIT\n"
          "      printf(\"%d\\n\", part[0] + part[1]);\n    }\n  }\n  return 0;\n}\n")


def test_taskwait_does_not_wait_for_grandchildren():
    racy = NESTED.replace("GROUP", "").replace("WAIT", "#pragma omp taskwait")
    assert all_codes(racy) == [("RACE-TASK", "part")]
    group = NESTED.replace("GROUP", "#pragma omp taskgroup").replace("WAIT", "")
    assert all_codes(group) == []


def test_parent_reads_before_taskwait():
    code = ("int work(int n) {\n  int a, b;\n  if (n < 2) return n;\n#pragma omp task shared(a)\n  a = work(n - 1);\n"
            "#pragma omp task shared(b)\n  b = work(n - 2);\n  int s = a + b;\n#pragma omp taskwait\n  return s;\n}\n"
            "int main(void) {\n  int r;\n#pragma omp parallel\n#pragma omp single\n  r = work(20);\n  return r;\n}\n")
    assert all_codes(code) == [("RACE-TASK", "a"), ("RACE-TASK", "b")]
    fixed = code.replace("  int s = a + b;\n#pragma omp taskwait\n", "#pragma omp taskwait\n  int s = a + b;\n")
    assert all_codes(fixed) == []


def test_tasks_created_by_every_thread():
    code = ("int hits;\nint main(void) {\n#pragma omp parallel\n  {\n#pragma omp task depend(inout: hits)\n"
            "    hits += 1;\n  }\n  return hits;\n}\n")
    assert all_codes(code) == [("RACE-TASK", "hits")]
    atomic = code.replace("    hits += 1;", "    {\n#pragma omp atomic\n      hits += 1;\n    }")
    assert all_codes(atomic) == []


def test_task_in_a_loop_and_undeferred_tasks():
    code = ("int main(void) {\n  int acc = 0;\n#pragma omp parallel\n#pragma omp single\n  for (int k = 0; k < 8; k++) {\n"
            "#pragma omp task shared(acc) CLAUSE\n    acc += k;\n  }\n  return acc;\n}\n")
    assert all_codes(code.replace("CLAUSE", "")) == [("RACE-TASK-DEPEND", "acc")]
    assert all_codes(code.replace("CLAUSE", "if(0)")) == []
    assert all_codes(code.replace("CLAUSE", "depend(inout: acc)")) == []


def test_mergeable_task_writing_a_firstprivate_variable():
    code = ("#include <stdio.h>\nint main(void) {\n  int level = 3;\n#pragma omp task mergeable CLAUSE\n"
            "  level -= 1;\n#pragma omp taskwait\n  printf(\"%d\\n\", level);\n  return 0;\n}\n")
    assert all_codes(code.replace("CLAUSE", "")) == [("RACE-MERGEABLE", "level")]
    assert all_codes(code.replace("CLAUSE", "shared(level)")) == []
