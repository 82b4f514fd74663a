"""A built dataset on DuckDB: views over its files, ``stats`` and ``query``.

Views: ``loops`` (the kept rows, train and valid, with ``split``, and ``directive`` for
``l_directive``), ``train``, ``valid``,
``removed`` (dropped duplicates and evaluation-set loops, with why), ``mined`` (every row the
units produced, before dedup) and ``errors`` (errors.jsonl)."""
from __future__ import annotations

import glob
import json
import os


class DatasetError(Exception):
    """A directory that is not a built dataset, or a query DuckDB refuses (one line)."""


def _lit(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def load_info(ds: str) -> dict:
    try:
        with open(os.path.join(ds, "dataset.json"), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise DatasetError(f"{ds}: not a built dataset (no dataset.json; run 'ompwise corpus build ... -o {ds}')") from None
    except (OSError, ValueError) as e:
        raise DatasetError(f"{ds}/dataset.json: unreadable: {e}") from None


def connect(ds: str):
    import duckdb
    load_info(ds)
    con = duckdb.connect(":memory:")
    files = {name: os.path.join(ds, f"{name}.parquet") for name in ("train", "valid", "removed")}
    for name, path in files.items():
        if not os.path.exists(path):
            raise DatasetError(f"{ds}: {name}.parquet is missing")
        con.execute(f"create view {name} as select * from read_parquet({_lit(path)})")
    # ('directive': the label's short name, as the example query spells it)
    con.execute("create view loops as select *, l_directive as directive from "
                "(select * from train union all by name select * from valid)")
    part_glob = os.path.join(ds, "parts", "*.parquet")
    if glob.glob(part_glob):
        con.execute(f"create view mined as select * from read_parquet({_lit(part_glob)}, union_by_name = true)")
    errors = os.path.join(ds, "errors.jsonl")
    if os.path.exists(errors) and os.path.getsize(errors):
        con.execute(f"create view errors as select * from read_json({_lit(errors)}, format = 'newline_delimited', "
                    "columns = {unit: 'VARCHAR', repo: 'VARCHAR', path: 'VARCHAR', reason: 'VARCHAR'})")
    else:
        con.execute("create view errors as select * from (values (NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, "
                    "NULL::VARCHAR)) t(unit, repo, path, reason) where false")
    return con


def query(ds: str, sql: str) -> tuple[list[str], list[tuple]]:
    import duckdb
    con = connect(ds)
    try:
        cur = con.execute(sql)
    except duckdb.Error as e:
        raise DatasetError(" ".join(str(e).split())) from None
    if cur.description is None:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


_CLAUSES = {
    "private": "len(l_private) > 0", "firstprivate": "len(l_firstprivate) > 0",
    "lastprivate": "len(l_lastprivate) > 0", "shared": "len(l_shared) > 0",
    "reduction": "len(l_reduction) > 0", "schedule": "coalesce(l_schedule, '') <> ''",
    "collapse": "coalesce(l_collapse, 0) > 1", "nowait": "coalesce(l_nowait, false)",
    "num_threads": "coalesce(l_num_threads, '') <> ''",
}


def stats(ds: str, top: int = 20) -> dict:
    info = load_info(ds)
    con = connect(ds)

    def rows(sql):
        return con.execute(sql).fetchall()

    total, pos, repos, files = rows("select count(*), count(*) filter (where l_omp), count(distinct repo), "
                                    "count(distinct repo || '/' || path) from loops")[0]
    clause_sql = ", ".join(f"count(*) filter (where {cond})" for cond in _CLAUSES.values())
    clause_counts = rows(f"select {clause_sql} from loops where l_omp")[0]
    out = {
        "loops": total, "positives": pos, "repos": repos, "files_with_loops": files,
        "splits": {s: {"loops": n, "positives": p, "repos": r} for s, n, p, r in rows(
            "select split, count(*), count(*) filter (where l_omp), count(distinct repo) from loops group by 1 order by 1")},
        "directives": dict(rows("select l_directive, count(*) from loops where l_omp group by 1 order by 2 desc, 1")),
        "clauses": dict(zip(_CLAUSES, clause_counts)),
        "reduction_ops": dict(rows("select split_part(r, ':', 1), count(*) from (select unnest(l_reduction) r from loops) "
                                   "group by 1 order by 2 desc, 1")),
        "schedules": dict(rows("select l_schedule, count(*) from loops where coalesce(l_schedule, '') <> '' "
                               "group by 1 order by 2 desc, 1")),
        "languages": {lang: {"loops": n, "positives": p} for lang, n, p in rows(
            "select lang, count(*), count(*) filter (where l_omp) from loops group by 1 order by 2 desc")},
        "analysis_vs_labels": {f"{'parallel' if fp else 'not parallel'} / {'pragma' if lo else 'no pragma'}": n
                               for fp, lo, n in rows("select coalesce(f_parallel, false), l_omp, count(*) from loops "
                                                     "group by 1, 2 order by 1 desc, 2 desc")},
        "top_repos": [{"repo": r, "loops": n, "positives": p, "split": s} for r, n, p, s in rows(
            f"select repo, count(*), count(*) filter (where l_omp), any_value(split) from loops "
            f"group by 1 order by 2 desc, 1 limit {int(top)}")],
        "removed": dict(rows("select reason, count(*) from removed group by 1 order by 1")),
        "leakage": info.get("leakage", {}),
        "errors_by_kind": info.get("errors_by_kind", {}),
        "counts": info.get("counts", {}),
    }
    return out


def render_stats(s: dict) -> str:
    pct = (lambda a, b: f"{100 * a / b:.1f}%" if b else "-")
    lines = [f"loops {s['loops']:,} ({s['positives']:,} with a work-sharing pragma, {pct(s['positives'], s['loops'])}) "
             f"in {s['files_with_loops']:,} files of {s['repos']:,} repositories"]
    for name, d in s["splits"].items():
        lines.append(f"  {name}: {d['loops']:,} loops, {d['positives']:,} positives, {d['repos']:,} repositories")
    c = s["counts"]
    if c:
        lines.append(f"mined {c.get('loops_mined', 0):,} loops from {c.get('files', 0):,} files; dropped "
                     f"{c.get('duplicates_dropped', 0):,} duplicates and {c.get('leaked_dropped', 0):,} evaluation-set "
                     f"loops; {c.get('errors', 0):,} errors")

    def section(title, d):
        if d:
            lines.append(title)
            lines.extend(f"  {k or '(none)':<28} {v:>9,}" for k, v in d.items())

    section("directives", s["directives"])
    section("clauses (on loops with a pragma)", s["clauses"])
    section("reduction operators", s["reduction_ops"])
    section("schedules", s["schedules"])
    lines.append("languages")
    lines.extend(f"  {k:<28} {v['loops']:>9,} loops {v['positives']:>8,} positives" for k, v in s["languages"].items())
    section("analysis (f_parallel) against labels (l_omp)", s["analysis_vs_labels"])
    lines.append(f"top {len(s['top_repos'])} repositories")
    lines.extend(f"  {r['repo']:<40} {r['loops']:>7,} loops {r['positives']:>6,} positives  {r['split']}"
                 for r in s["top_repos"])
    sets = s["leakage"].get("sets") or {}
    if sets:
        lines.append("leakage (evaluation loops found in the corpus, all dropped)")
        lines.extend(f"  {k:<28} {v['distinct_loops_found']:>6,} of {v['size']:>6,} distinct loops "
                     f"({v['corpus_rows_found']:,} corpus rows)" for k, v in sets.items())
    else:
        lines.append("leakage: not checked (built without evaluation data)")
    section("errors", s["errors_by_kind"])
    return "\n".join(lines)


def render(columns: list[str], rows: list[tuple], fmt: str = "table", width: int = 60) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], default=str, ensure_ascii=False, indent=1)
    if fmt == "csv":
        import csv
        import io
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return buf.getvalue().rstrip("\n")

    def cell(v):
        t = "" if v is None else str(v)
        t = " ".join(t.split()) if "\n" in t else t  # code on one line in a table
        return t if len(t) <= width else t[:width - 1] + "…"

    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) and rows for i in range(len(columns))]
    fmt_row = (lambda r: "  ".join(v.rjust(w) if numeric[i] else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths))).rstrip())
    out = [fmt_row(columns), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
