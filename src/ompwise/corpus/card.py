"""The dataset's card (``CARD.md``), generated from dataset.json, the stats and the inputs' manifests."""
from __future__ import annotations

import os

from .store import stats

_BIASES = """\
- **Course exercises.** Many repositories are small course or exercise projects: the same textbook
  kernels (matrix product, pi by integration, prefix sums, Mandelbrot, n-body, Jacobi) recur with
  small changes. Deduplication removes exact copies after normalizing identifiers, not variants.
- **Copied kernels.** Benchmark and proxy-application kernels are copied between repositories; copies of the
  evaluation sets' loops are dropped (see Leakage), other shared kernels stay once.
- **Label noise.** A label is what a developer wrote, not ground truth of legality: missing pragmas on
  parallel loops (negatives that are really positives) and racy pragmas both occur. Negatives are
  the loops without a pragma in the same files, so files without any OpenMP give no rows.
- **Selection.** Repositories that use OpenMP, at most 400 files each, files of 200 B to 200 KB; languages
  and directive styles follow what such repositories hold on GitHub (C and C++ only here).
"""


def _table(header: tuple[str, ...], rows) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(str(c) for c in r) + " |" for r in rows)
    return out


def card_text(ds: str, info: dict, manifests: list[dict | None]) -> str:
    s = stats(ds, top=15)
    c = info["counts"]
    lines = ["# Corpus card", "",
             f"Built by `{info['command']}` on {info['created_utc']} "
             f"(ompwise {info['versions'].get('ompwise')}, tree-sitter {info['versions'].get('tree-sitter')}, "
             f"pyarrow {info['versions'].get('pyarrow')}).", "",
             "## Sources and licenses", ""]
    for src, man in zip(info["sources"], manifests):
        lines.append(f"- `{src['path']}` ({', '.join(src['kinds'])}): {src['units']:,} units, {src['files']:,} C/C++ files, "
                     f"{src['repos']:,} repositories.")
        if man:
            lines.append(f"  Its MANIFEST.json: \"{man.get('description', '')}\"")
    lines += ["", "Every file keeps the license of the repository it came from (`repo` at `commit` in each row); "
              "check it before redistributing. The repositories, commits and loop counts are in the table at the end.", "",
              "## Counts", ""]
    lines += _table(("what", "count"), [
        ("units (repositories or directories)", f"{c['units']:,}"), ("files mined", f"{c['files']:,}"),
        ("loops mined", f"{c['loops_mined']:,}"), ("duplicates dropped (normalized)", f"{c['duplicates_dropped']:,}"),
        ("evaluation-set loops dropped", f"{c['leaked_dropped']:,}"), ("loops kept", f"{c['loops']:,}"),
        ("train / valid", f"{c['train']:,} / {c['valid']:,}"), ("files with errors (errors.jsonl)", f"{c['errors']:,}")])
    sp = info["split"]
    lines += ["", f"Split by repository: {sp['valid_fraction']:.0%} of repositories (by a hash of the name, seed "
              f"{sp['seed']}) are `valid`; no repository is on both sides.", "", "## Labels", "",
              f"{s['positives']:,} of {s['loops']:,} loops ({100 * s['positives'] / max(1, s['loops']):.1f}%) carry a "
              "work-sharing pragma (`l_omp`).", ""]
    lines += _table(("directive", "loops"), [(k or "(none)", f"{v:,}") for k, v in s["directives"].items()])
    lines += [""] + _table(("clause", "loops with it"), [(k, f"{v:,}") for k, v in s["clauses"].items()])
    lines += [""] + _table(("language", "loops", "positives"),
                           [(k, f"{v['loops']:,}", f"{v['positives']:,}") for k, v in s["languages"].items()])
    lines += ["", "## Deduplication and leakage", "",
              "Each loop's code (pragmas removed) is normalized for comments, whitespace and identifiers; the first copy "
              "in source order is kept. Loops whose normalized form occurs in an evaluation set are dropped."]
    sets = info["leakage"].get("sets") or {}
    if sets:
        lines += ["", f"Evaluation data: `{info['leakage']['eval_data']}`. Leakage after filtering: 0.", ""]
        lines += _table(("evaluation set", "distinct loops", "found in the corpus", "corpus rows dropped"),
                        [(k, f"{v['size']:,}", f"{v['distinct_loops_found']:,}", f"{v['corpus_rows_found']:,}")
                         for k, v in sets.items()])
    else:
        lines += ["", "**Not checked against evaluation sets** (built without evaluation data)."]
    lines += ["", "## Known biases", "", _BIASES, "## Errors", ""]
    lines += _table(("reason", "files"), [(k, f"{v:,}") for k, v in info["errors_by_kind"].items()]) if info["errors_by_kind"] else ["None."]
    repos = _repos(ds)
    lines += ["", "## Repositories", "", "<details><summary>" + f"{len(repos):,} repositories with kept loops</summary>", ""]
    lines += _table(("repository", "commit", "loops", "positives", "split"), repos)
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _repos(ds: str) -> list[tuple]:
    from .store import connect
    con = connect(ds)
    return con.execute("select repo, any_value(commit)[:12], count(*), count(*) filter (where l_omp), any_value(split) "
                       "from loops group by 1 order by 1").fetchall()


def write_card(ds: str, info: dict, manifests: list[dict | None]) -> None:
    path = os.path.join(ds, "CARD.md")
    tmp = os.path.join(ds, f".tmp-{os.getpid()}-CARD.md")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(card_text(ds, info, manifests))
    os.replace(tmp, path)
