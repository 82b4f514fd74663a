"""The output of one unit: ``parts/<slug>.parquet`` (its rows) and ``parts/<slug>.errors.jsonl``.

Both are written under a temporary name, synced and renamed; the Parquet file goes last, so its
presence says the unit is finished, errors included. A unit killed in flight leaves at most a
temporary file, which the next run removes. The unit's summary (id, files, loops, errors,
seconds) rides in the Parquet file's metadata, so that a rerun reads it without the rows."""
from __future__ import annotations

import glob
import json
import os

PARTS = "parts"
_META = b"ompwise.unit"


def part_path(parts_dir: str, slug: str) -> str:
    return os.path.join(parts_dir, slug + ".parquet")


def errors_path(parts_dir: str, slug: str) -> str:
    return os.path.join(parts_dir, slug + ".errors.jsonl")


def row_schema():
    """The schema of a part: the row's columns and the normalized loop's key."""
    import pyarrow as pa
    from .schema import arrow_schema
    return arrow_schema().append(pa.field("key", pa.string()))


def _atomic(path: str, write) -> None:
    tmp = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{os.path.basename(path)}")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_part(parts_dir: str, slug: str, rows: list[dict], errors: list[dict], summary: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def errs(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            for e in errors:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")

    schema = row_schema().with_metadata({_META: json.dumps(summary).encode()})
    table = pa.Table.from_pylist(rows, schema=schema)
    _atomic(errors_path(parts_dir, slug), errs)
    _atomic(part_path(parts_dir, slug), lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def summary_of(parts_dir: str, slug: str) -> dict | None:
    """The finished unit's summary, None when it is not finished."""
    import pyarrow.parquet as pq
    path = part_path(parts_dir, slug)
    if not os.path.exists(path):
        return None
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(_META, b"{}"))


def read_errors(parts_dir: str, slug: str) -> list[dict]:
    try:
        with open(errors_path(parts_dir, slug), encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def remove_temporaries(parts_dir: str) -> int:
    """Remove what killed writers left (the driver holds the dataset's lock: no writer is live)."""
    n = 0
    for tmp in glob.glob(os.path.join(parts_dir, ".tmp-*")):
        try:
            os.unlink(tmp)
            n += 1
        except OSError:
            pass
    return n
