"""Synchronization: critical names, locks, atomics, flag handshakes, distribute loops."""
from ompwise import analyze_source
from ompwise.races import sync_findings, task_findings


def all_codes(code: str, lang: str = "c"):
    fa = analyze_source(code.encode(), "t." + lang, lang)
    return sorted({(f.code, f.variable) for f in task_findings(fa) + sync_findings(fa)})


def test_critical_sections_with_different_names():
    code = ("int queue_len;\nint main(void) {\n#pragma omp parallel sections\n  {\n#pragma omp section\n"
            "    for (int k = 0; k < 50; k++) {\n#pragma omp critical(push)\n      queue_len++;\n    }\n"
            "#pragma omp section\n    for (int k = 0; k < 50; k++) {\n#pragma omp critical(pop)\n"
            "      if (queue_len > 0) queue_len--;\n    }\n  }\n  return queue_len;\n}\n")
    assert all_codes(code) == [("RACE-CRITICAL-NAME", "queue_len")]
    assert all_codes(code.replace("critical(pop)", "critical(push)")) == []


def test_lock_held_for_one_access_only():
    code = ("#include <omp.h>\nomp_lock_t guard;\ndouble level;\nint main(void) {\n  omp_init_lock(&guard);\n"
            "#pragma omp parallel num_threads(2)\n  {\n    int me = omp_get_thread_num();\n    if (me == 0) {\n"
            "      omp_set_lock(&guard);\n      level = 1.5;\n      omp_unset_lock(&guard);\n    } else {\n"
            "      omp_set_lock(&guard);\n      omp_unset_lock(&guard);\n      level = 2.5;\n    }\n  }\n"
            "  omp_destroy_lock(&guard);\n  return (int)level;\n}\n")
    assert all_codes(code) == [("RACE-LOCK", "level")]
    held = code.replace("      omp_unset_lock(&guard);\n      level = 2.5;\n", "      level = 2.5;\n      omp_unset_lock(&guard);\n")
    assert all_codes(held) == []
    phases = code.replace("    } else {\n      omp_set_lock(&guard);\n      omp_unset_lock(&guard);\n      level = 2.5;\n    }\n",
                          "    }\n#pragma omp barrier\n    if (me == 1)\n      level = 2.5;\n")
    assert "barrier" in phases and all_codes(phases) == []
    array_of_locks = ("#include <omp.h>\nomp_lock_t row_lock[64];\ndouble row[64];\nvoid add(int *idx, double *v, int n) {\n"
                      "#pragma omp parallel for\n  for (int k = 0; k < n; k++) {\n    omp_set_lock(&row_lock[idx[k]]);\n"
                      "    row[idx[k]] += v[k];\n    omp_unset_lock(&row_lock[idx[k]]);\n  }\n}\n")
    assert all_codes(array_of_locks) == []


def test_atomic_mixed_with_plain_access():
    code = ("int ready;\nint main(void) {\n  int seen = 0;\n#pragma omp parallel sections\n  {\n#pragma omp section\n"
            "    ready = 1;\n#pragma omp section\n    while (!seen) {\n#pragma omp atomic read\n      seen = ready;\n    }\n"
            "  }\n  return seen;\n}\n")
    assert all_codes(code) == [("RACE-ATOMIC", "ready")]
    assert all_codes(code.replace("    ready = 1;", "#pragma omp atomic write\n    ready = 1;")) == []


def test_flag_handshake_without_release():
    code = ("#include <omp.h>\nint main(void) {\n  int data = 0, flag = 0;\n#pragma omp parallel num_threads(2)\n  {\n"
            "    if (omp_get_thread_num() == 0) {\n      data = 42;\n      FLUSH\n#pragma omp atomic write WRITEORDER\n"
            "      flag = 1;\n    } else {\n      int go = 0;\n      while (!go) {\n#pragma omp atomic read acquire\n"
            "        go = flag;\n      }\n      data += 1;\n    }\n  }\n  return data;\n}\n")
    assert all_codes(code.replace("FLUSH", "").replace("WRITEORDER", "")) == [("RACE-FLAG", "data")]
    assert all_codes(code.replace("FLUSH", "").replace("WRITEORDER", "release")) == []
    assert all_codes(code.replace("FLUSH", "#pragma omp flush").replace("WRITEORDER", "")) == []


def test_distribute_loops_without_barrier():
    code = ("#define M 64\ndouble u[M], w[M];\nint main(void) {\n#pragma omp target map(tofrom: u, w)\n"
            "#pragma omp teams num_teams(4)\n  {\n#pragma omp distribute\n    for (int k = 0; k < M; k++)\n"
            "      w[k] = 2.0 * u[k];\n#pragma omp distribute\n    for (int k = SECOND)\n      u[k] = w[k] + 1.0;\n"
            "  }\n  return 0;\n}\n")
    racy = code.replace("k = SECOND", "k = M - 1; k >= 0; k--")
    assert all_codes(racy) == [("RACE-DISTRIBUTE", "u"), ("RACE-DISTRIBUTE", "w")]
    same = code.replace("k = SECOND", "k = 0; k < M; k++")
    assert all_codes(same) == []
    one_team = racy.replace("num_teams(4)", "num_teams(1)")
    assert all_codes(one_team) == []
