"""The table of standard library calls and the sets effects.py derives from it."""
from ompwise.analysis import effects
from ompwise.analysis.stdlib import BY_NAME, TABLE, Reach, method_writes, reach
from ompwise.frontend import ir


def test_every_name_has_one_kind():
    seen = {}
    for x in TABLE:
        for n in x.names:
            assert n not in seen, f"{n} in two entries"
            seen[n] = x.kind
    assert all(x.kind in ("pure", "io", "rng", "alloc", "exit", "writes-args") for x in TABLE)


def test_views_agree_with_the_table():
    assert "sqrtf" in effects.PURE and "memcpy" not in effects.PURE and "frexpf" not in effects.PURE
    assert effects.WRITES_ARGS["memcpy"] == (0,) and effects.READS_ARGS["memcpy"] == (1,)
    assert effects.WRITES_ARGS["copy"] == (2,) and effects.WRITES_ARGS["sincosl"] == (1, 2)
    assert {"printf", "cout"} <= effects.IO and "rand" in effects.RNG and "free" in effects.ALLOC
    assert "UINT32_C" in effects.PURE and "clamp" in effects.PURE and "norm" in effects.PURE


def test_reaches():
    assert reach("memset", 0) == Reach("bytes", 2)
    assert reach("qsort", 0) == Reach("count", 1, 2) and BY_NAME["qsort"].calls == 3
    assert reach("sort", 0) == Reach("upto", 1) and BY_NAME["sort"].calls == 2
    assert reach("copy", 2) == Reach("span", 1, 0)
    assert reach("strcpy", 0) is None and reach("nosuch", 0) is None


def test_methods_that_set_their_object():
    assert method_writes("real", 1) and not method_writes("real", 0) and method_writes("fill", 1)
    assert "size" in effects.CONST_METHODS and "data" in effects.CONST_METHODS


def test_comparator_objects_are_pure():
    tu = ir.TranslationUnit.__new__(ir.TranslationUnit)
    object.__setattr__(tu, "macros", {})
    object.__setattr__(tu, "fmacros", {})
    object.__setattr__(tu, "language", "cpp")
    assert effects.classify_callee("greater<double>", tu) == "pure"
    assert effects.classify_callee("UINT64_C", tu) == "pure"
    assert effects.classify_callee("qsort", tu) == "writes-args"


def test_cxx_names_are_no_library_in_c():
    tu = ir.TranslationUnit.__new__(ir.TranslationUnit)
    for k, v in (("macros", {}), ("fmacros", {}), ("language", "c")):
        object.__setattr__(tu, k, v)
    assert effects.classify_callee("clamp", tu) == "unknown" and effects.classify_callee("sort", tu) == "unknown"
    assert effects.classify_callee("memcpy", tu) == "writes-args" and effects.classify_callee("qsort", tu) == "writes-args"
    assert effects.classify_callee("UINT32_C", tu) == "pure"
