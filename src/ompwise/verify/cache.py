"""SQLite cache of verification results, keyed by everything that can change the answer.

The cache only saves time: one that is corrupt, of another schema, locked or read-only
is reported once on stderr (naming the file) and the verification goes on without it.
It is checked when opened, before any build, so a read-only cache is known before the
result exists. Each result is stored as soon as it exists (WAL mode: a reader never
waits for a writer, and a crash loses at most the result being written)."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys

from ..evaluate.data import cache_dir
from ..safe_write import read_only

SCHEMA = 1  # PRAGMA user_version; raise it when the stored JSON changes shape
_FIELDS = ("status", "evidence", "races", "speedup", "cached")  # what Verification.from_json needs
LOCK_WAIT_S = 10.0  # another ompwise writing a result holds the lock for milliseconds
_WARNED: set[str] = set()  # once per file and process (parallelize --verify opens it per trial)


def key_of(parts: list[bytes | str]) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


class CacheUnusable(Exception):
    """Why the cache file cannot be used (the message is the reason, without the path)."""


class Cache:
    """get() and put() never raise: an unusable cache is a cache that misses."""

    def __init__(self, path: str | None = None):
        self.db: sqlite3.Connection | None = None
        try:
            self.path = path or os.path.join(cache_dir(), "verify.sqlite")
        except OSError as e:
            self.path = path or "~/.cache/ompwise"
            self._give_up(f"cannot create the cache directory: {e.strerror or e}")
            return
        try:
            self.db = _open(self.path)
        except CacheUnusable as e:
            self._give_up(str(e))
        except (sqlite3.Error, OSError) as e:
            self._give_up(_why(e))

    def get(self, key: str) -> dict | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
            value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError) as e:
            self._give_up(_why(e))
            return None
        if value is not None and not (isinstance(value, dict) and all(k in value for k in _FIELDS)):
            self._give_up("an entry is not a verification result")
            return None
        return value

    def put(self, key: str, value: dict) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", (key, json.dumps(value)))
        except sqlite3.Error as e:
            self._give_up(_why(e) + "; the result was not stored")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def _give_up(self, why: str) -> None:
        self.close()
        if self.path not in _WARNED:
            _WARNED.add(self.path)
            print(f"{self.path}: warning: verification cache not used: {why}", file=sys.stderr)


def _why(e: Exception) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    text = str(e)
    if "locked" in text or "busy" in text:
        return "locked by another process"
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError) or isinstance(e, ValueError):
        return f"corrupt ({text}); delete it to start afresh"
    return text


def _open(path: str) -> sqlite3.Connection:
    """The connection, checked: our schema, and writable (a probe write, rolled back)."""
    if os.path.exists(path) and read_only(os.stat(path), path):
        raise CacheUnusable("the file is read-only")
    d = os.path.dirname(os.path.abspath(path))
    if os.statvfs(d).f_flag & os.ST_RDONLY:
        raise CacheUnusable("on a read-only file system")
    if read_only(os.stat(d), d):  # (where the journal files go)
        raise CacheUnusable(f"its directory {d} is read-only")
    db = sqlite3.connect(path, timeout=LOCK_WAIT_S, isolation_level=None)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables <= {"results"} and _columns(db) in ([], ["key", "value"]):
            # new, or written by ompwise before the schema had a version: its entries may be
            # of an older shape, and are only a cache
            db.execute("PRAGMA journal_mode = WAL")
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DROP TABLE IF EXISTS results")
                db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
        elif version != SCHEMA or "results" not in tables:
            raise CacheUnusable(f"not an ompwise cache of schema {SCHEMA} (user_version {version}, "
                                f"tables {', '.join(sorted(tables)) or 'none'}); delete it to start afresh")
        else:
            cols = _columns(db)
            if cols != ["key", "value"]:
                raise CacheUnusable(f"not an ompwise cache (results has columns {', '.join(cols)})")
            db.execute("BEGIN IMMEDIATE")  # (read-only mounts and directories show only on writing)
            try:
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            finally:
                db.execute("ROLLBACK")
        db.isolation_level = ""  # (back to transactions that 'with db' commits)
        return db
    except BaseException:
        db.close()
        raise


def _columns(db: sqlite3.Connection) -> list[str]:
    return [r[1] for r in db.execute("PRAGMA table_info(results)")]
