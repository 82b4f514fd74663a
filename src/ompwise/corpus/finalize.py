"""From the units' parts to the dataset: dedup, leakage filter, split by repository, files.

Rows are taken in source order (the SRC arguments, the units in each, files and loops in each
unit), so "the first copy is kept" means the same thing on every run. A loop is identified by
its normalized key (comments, whitespace and identifiers normalized); a key that an evaluation
set also holds is dropped with all its copies. The split is by repository, from a hash of the
repository's name and a seed, so that no repository has loops on both sides and adding
repositories never moves an old one.

Writes ``train.parquet``, ``valid.parquet`` (the kept rows, with ``split``), ``removed.parquet``
(provenance and key of every dropped row, and why), ``errors.jsonl``, ``dataset.json`` (last: a
directory without it is not a finished dataset) and ``CARD.md``."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import sys
from collections import Counter

from . import parts
from .sources import Unit, manifest_of

SPLITS = ("train", "valid")


def split_of(repo: str, fraction: float, seed: int) -> str:
    h = int(hashlib.sha256(f"{seed}:{repo}".encode()).hexdigest()[:15], 16) / 16 ** 15
    return "valid" if h < fraction else "train"


def _versions() -> dict:
    from importlib import metadata

    from .. import __version__
    out = {"ompwise": __version__, "python": platform.python_version()}
    for dist in ("tree-sitter", "tree-sitter-c", "tree-sitter-cpp", "islpy", "pyarrow", "duckdb"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def error_kind(reason: str) -> str:
    """'time limit (10 s) exceeded' -> 'time limit': the reason without its particulars."""
    return reason.split(" (")[0].split(":")[0].split(";")[0].strip()


def _eval_index(data_dir: str | None):
    if not data_dir:
        return None
    from .evalsets import EvalIndex
    return EvalIndex.load(data_dir)


def _sources(srcs: list[str], plan: list[Unit]) -> list[dict]:
    out = []
    for src in srcs:
        path = os.path.abspath(src)
        units = [u for u in plan if u.source == path or os.path.dirname(u.source) == path]
        entry = {"path": path, "kinds": sorted({u.kind for u in units}), "units": len(units),
                 "files": sum(u.files for u in units), "repos": len({u.repo for u in units})}
        man = manifest_of(src) if "shard" in entry["kinds"] else None
        if man:
            entry["manifest"] = {"description": man.get("description", ""),
                                 "shards": man.get("shards", []), "totals": man.get("totals", {})}
        out.append(entry)
    return out


class _Writers:
    """One Parquet writer per output file, each under a temporary name until ``commit``."""

    def __init__(self, out: str, schemas: dict):
        import pyarrow.parquet as pq
        self.out = out
        self.files = {name: os.path.join(out, f".tmp-{os.getpid()}-{name}.parquet") for name in schemas}
        self.w = {name: pq.ParquetWriter(self.files[name], schema, compression="zstd") for name, schema in schemas.items()}

    def write(self, name: str, table) -> None:
        if table.num_rows:
            self.w[name].write_table(table)

    def commit(self) -> None:
        for name, w in self.w.items():
            w.close()
            os.replace(self.files[name], os.path.join(self.out, f"{name}.parquet"))

    def abort(self) -> None:
        for name, w in self.w.items():
            try:
                w.close()
                os.unlink(self.files[name])
            except OSError:
                pass


def _removed_schema():
    import pyarrow as pa
    return pa.schema([("repo", pa.string()), ("commit", pa.string()), ("path", pa.string()), ("line", pa.int32()),
                      ("key", pa.string()), ("reason", pa.string()), ("sets", pa.list_(pa.string()))])


def finalize(out: str, plan: list[Unit], srcs: list[str], opts, run_info: dict) -> dict:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parts_dir = os.path.join(out, parts.PARTS)
    index = _eval_index(opts.eval_data)
    row_schema = parts.row_schema().append(pa.field("split", pa.string()))
    writers = _Writers(out, {"train": row_schema, "valid": row_schema, "removed": _removed_schema()})
    seen: set[str] = set()
    leaked_rows: Counter = Counter()  # rows (before dedup) whose key is in the set
    leaked_keys: dict[str, set] = {}
    counts = Counter()
    errors: list[dict] = []
    units_done = 0
    try:
        for unit in plan:
            summary = parts.summary_of(parts_dir, unit.slug)
            if summary is None:
                continue
            units_done += 1
            counts["files"] += summary.get("files", 0)
            errors.extend(parts.read_errors(parts_dir, unit.slug))
            table = pq.read_table(parts.part_path(parts_dir, unit.slug), schema=parts.row_schema())
            counts["rows"] += table.num_rows
            keys = table.column("key").to_pylist()
            repos = table.column("repo").to_pylist()
            keep, removed = [], []
            for i, key in enumerate(keys):
                sets = index.sets_of(key) if index is not None else ()
                for s in sets:
                    leaked_rows[s] += 1
                    leaked_keys.setdefault(s, set()).add(key)
                if key in seen:
                    counts["duplicates"] += 1
                    removed.append((i, "duplicate", list(sets)))
                    continue
                seen.add(key)
                if sets:
                    counts["leaked"] += 1
                    removed.append((i, "evaluation set", list(sets)))
                    continue
                keep.append(i)
            splits = [split_of(repos[i], opts.valid_fraction, opts.seed) for i in keep]
            kept = table.take(pa.array(keep, pa.int64())).append_column("split", pa.array(splits, pa.string()))
            for name in SPLITS:
                part = kept.filter(pc.equal(kept.column("split"), name))
                counts[name] += part.num_rows
                writers.write(name, part)
            if removed:
                rows = table.take(pa.array([i for i, _, _ in removed], pa.int64())).select(["repo", "commit", "path", "line", "key"])
                rows = rows.append_column("reason", pa.array([r for _, r, _ in removed], pa.string()))
                writers.write("removed", rows.append_column("sets", pa.array([s for _, _, s in removed], pa.list_(pa.string()))))
        writers.commit()
    except BaseException:
        writers.abort()
        raise
    errors.extend(run_info.get("failures", []))
    _write_errors(out, errors)
    sets = {}
    if index is not None:
        for name, size in sorted(index.sizes.items()):
            sets[name] = {"size": size, "distinct_loops_found": len(leaked_keys.get(name, ())),
                          "corpus_rows_found": leaked_rows.get(name, 0)}
    info = {
        "version": 1,
        "created_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": opts.command or " ".join(sys.argv),
        "sources": _sources(srcs, plan),
        "counts": {"units": len(plan), "units_done": units_done, "files": counts["files"],
                   "loops_mined": counts["rows"], "duplicates_dropped": counts["duplicates"],
                   "distinct_loops": len(seen), "leaked_dropped": counts["leaked"],
                   "loops": counts["train"] + counts["valid"], "train": counts["train"], "valid": counts["valid"],
                   "errors": len(errors)},
        "errors_by_kind": dict(Counter(error_kind(e["reason"]) for e in errors).most_common()),
        "leakage": {"eval_data": os.path.abspath(opts.eval_data) if opts.eval_data else None, "sets": sets,
                    "after_filter": 0 if index is not None else None},
        "dedup": {"key": "normalize.loop_key: comments, whitespace and identifiers normalized",
                  "order": "SRC arguments, units, files, loops; the first copy is kept"},
        "split": {"by": "repository", "valid_fraction": opts.valid_fraction, "seed": opts.seed,
                  "rule": "sha256(f'{seed}:{repo}') as a fraction in [0, 1) below valid_fraction: valid"},
        "limits": {"time_limit_s": opts.settings.time_limit, "memory_mb": opts.settings.memory_mb,
                   "max_bytes": opts.settings.max_bytes},
        "run": {k: v for k, v in run_info.items() if k != "failures"},
        "versions": _versions(),
    }
    tmp = os.path.join(out, f".tmp-{os.getpid()}-dataset.json")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(out, "dataset.json"))
    from .card import write_card  # (reads the dataset through DuckDB: after dataset.json)
    write_card(out, info, [manifest_of(s) for s in srcs])
    return info


def _write_errors(out: str, errors: list[dict]) -> None:
    tmp = os.path.join(out, f".tmp-{os.getpid()}-errors.jsonl")
    with open(tmp, "w", encoding="utf-8") as f:
        for e in errors:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(out, "errors.jsonl"))
