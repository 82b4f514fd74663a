"""The columns of one loop row of the dataset (one Parquet table, ``loops``).

Three groups: provenance (where the loop is), the analysis' facts about the loop with every
OpenMP pragma removed (what ompwise knows when a user runs it on serial code), and the labels
read from the authors' original pragma. Facts are prefixed ``f_``, labels ``l_``."""
from __future__ import annotations

# (name, arrow type name): kept as strings so this module imports without pyarrow
COLUMNS: tuple[tuple[str, str], ...] = (
    # provenance
    ("repo", "string"), ("commit", "string"), ("path", "string"), ("lang", "string"),
    ("file_sha256", "string"), ("line", "int32"), ("column", "int32"), ("end_line", "int32"),
    ("function", "string"),
    # text, with every OpenMP pragma line blanked (line numbers kept)
    ("code", "string"), ("function_code", "string"),
    # facts (analysis of the stripped file)
    ("f_kind", "string"),            # for, range-for, while, do
    ("f_canonical", "bool"),         # OpenMP canonical loop form
    ("f_parallel", "bool"),          # proven legal to run in parallel
    ("f_first_reason", "string"),    # first reason code ('' when legal)
    ("f_reasons", "list<string>"),   # every reason code, in order, deduplicated
    ("f_advice", "string"),          # the pragma ompwise recommends ('' for none)
    ("f_advice_code", "string"),     # reason code of the recommendation (OMP-PARALLEL, SMALL-TRIP, ...)
    ("f_private", "list<string>"), ("f_firstprivate", "list<string>"), ("f_lastprivate", "list<string>"),
    ("f_reduction", "list<string>"),  # 'op:var'
    ("f_collapse", "int32"),         # collapse depth the analysis proves (0: none)
    ("f_trip_count", "int64"),       # null when unknown
    ("f_triangular", "bool"), ("f_irregular", "bool"),
    ("f_depth", "int32"),            # loops enclosing this one in its function
    ("f_children", "int32"),         # loops directly inside
    ("f_height", "int32"),           # deepest nest below (1: innermost)
    ("f_perfect", "bool"),           # perfectly nested with its single inner loop
    ("f_position", "int32"),         # index among its siblings (top-level loops of the function, or parent's children)
    ("f_lines", "int32"),            # lines of the loop's text
    ("f_calls", "list<string>"),     # callee names in the loop, in order, deduplicated
    ("f_dependences", "int32"),      # dependence pairs found
    ("f_in_region", "bool"),         # inside a '#pragma omp parallel' region in the original file
    # labels (the authors' pragma on this loop)
    ("l_omp", "bool"),               # has a work-sharing directive (for, simd, loop, distribute, taskloop)
    ("l_pragma", "string"),          # the original directive text ('' for none)
    ("l_directive", "string"),       # its directive words: 'parallel for', 'for', 'simd', ...
    ("l_private", "list<string>"), ("l_firstprivate", "list<string>"), ("l_lastprivate", "list<string>"),
    ("l_shared", "list<string>"), ("l_reduction", "list<string>"),  # 'op:var'
    ("l_schedule", "string"), ("l_chunk", "string"), ("l_collapse", "int32"), ("l_nowait", "bool"),
    ("l_num_threads", "string"),
)

NAMES = tuple(n for n, _ in COLUMNS)


def arrow_schema():
    import pyarrow as pa
    base = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "bool": pa.bool_(),
            "list<string>": pa.list_(pa.string())}
    return pa.schema([(n, base[t]) for n, t in COLUMNS])
