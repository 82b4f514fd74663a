"""Where the corpus comes from: directories, git repositories and JSON Lines shards, cut into units.

A unit is the piece of work that is done or not done as a whole (one repository of a shard, one
git repository, one directory). Its id is stable across runs on the same input, so that a rerun
can skip the units whose output exists; it names what the unit's content depends on (the
commit, the shard and the group's place in it, a directory's file list), so that changed input
gets a new id instead of an old result.

Reading a unit yields ``SourceFile`` (a C or C++ file to mine) or ``FileError`` (a file or
record that cannot be: binary, too large, not text, a truncated shard). Shard units carry their
records, read by the driver in one pass over the shard (reading a gzip member from the middle
costs as much as reading it from the start); directory and git units are read where the unit
runs, which on a cluster needs the path on a shared file system."""
from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import re
import subprocess
import zlib
from dataclasses import dataclass, field
from typing import Iterator

C_EXT = {".c": "c", ".h": "c"}
CPP_EXT = {e: "cpp" for e in (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".tcc", ".C", ".H")}
SHARD_GLOB = "files-*.jsonl.gz"
DEFAULT_MAX_BYTES = 1 << 20  # the shared corpus keeps files up to 200 KB; 1 MB leaves room and bounds a pathological file
# (a loop needs one of these words; a file without them cannot give a row and is not parsed)
_LOOP_WORD = re.compile(r"\b(for|while|do)\b")


class SourceError(Exception):
    """A SRC argument that is not a directory, git repository or shard (one line for the CLI)."""


@dataclass(frozen=True)
class SourceFile:
    repo: str
    commit: str
    path: str
    lang: str  # 'c' | 'cpp'
    sha256: str
    text: str

    @property
    def prov(self) -> dict:
        return {"repo": self.repo, "commit": self.commit, "path": self.path, "sha256": self.sha256}

    @property
    def has_loop_word(self) -> bool:
        return _LOOP_WORD.search(self.text) is not None


@dataclass(frozen=True)
class FileError:
    path: str
    reason: str


@dataclass
class Unit:
    """One idempotent piece of work. ``kind``: 'dir', 'git' or 'shard'."""
    id: str
    kind: str
    source: str  # the SRC argument it came from (absolute path)
    repo: str
    commit: str = ""
    files: int = 0  # C/C++ files in it, for the progress bar (0: not known)
    records: list = field(default_factory=list, repr=False)  # shard units: the records, in shard order
    problems: list = field(default_factory=list, repr=False)  # FileError found while cutting the unit

    @property
    def slug(self) -> str:
        """A file name for the unit's output: readable, and unique by the hash of the id."""
        readable = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{self.kind}-{self.repo}")[:80]
        return f"{readable}-{hashlib.sha256(self.id.encode()).hexdigest()[:16]}"


def language(path: str, cpp_headers: bool = False) -> str | None:
    """'c', 'cpp' or None by extension; ``cpp_headers``: '.h' is C++ (a mostly C++ project)."""
    ext = os.path.splitext(path)[1]
    if ext == ".h":
        return "cpp" if cpp_headers else "c"
    if ext in CPP_EXT:  # '.C' and '.H' before lower-casing: they are C++
        return "cpp"
    return C_EXT.get(ext.lower()) or CPP_EXT.get(ext.lower())


def _mostly_cpp(paths) -> bool:
    langs = [language(p) for p in paths if not p.endswith(".h")]
    return langs.count("cpp") > langs.count("c")


def decode(data: bytes, path: str, max_bytes: int) -> str | FileError:
    """The text of a file's bytes, or why it is not mined (the corpus' own rules: no NUL,
    UTF-8 with at most 1% undecodable bytes)."""
    if len(data) > max_bytes:
        return FileError(path, f"too large ({len(data):,} bytes > {max_bytes:,})")
    if b"\0" in data:
        return FileError(path, "binary file (NUL bytes)")
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if bad > len(data) // 100:
        return FileError(path, f"not UTF-8 text ({bad} undecodable bytes)")
    return text


def _file(repo, commit, path, lang, text) -> SourceFile:
    return SourceFile(repo, commit, path, lang, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), text)


# -- discovery ---------------------------------------------------------------------------------

def discover(srcs: list[str], records: bool = True) -> Iterator[Unit]:
    """The units of every SRC, in order: the order in which duplicates are resolved (first kept).
    ``records``: shard units carry their records (to run them), or only their counts (to plan)."""
    for src in srcs:
        path = os.path.abspath(src)
        if os.path.isfile(path) and path.endswith(".jsonl.gz"):
            yield from shard_units(path, records)
        elif not os.path.isdir(path):
            raise SourceError(f"{src}: no such directory, git repository or .jsonl.gz shard")
        elif _is_git(path):
            yield git_unit(path)
        elif glob.glob(os.path.join(path, SHARD_GLOB)):
            for shard in sorted(glob.glob(os.path.join(path, SHARD_GLOB))):
                yield from shard_units(shard, records)
        else:
            yield dir_unit(path)


def _is_git(path: str) -> bool:
    return os.path.exists(os.path.join(path, ".git")) or (
        os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects")))


# -- directories ---------------------------------------------------------------------------------

def _dir_files(root: str) -> list[str]:
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        for f in sorted(files):
            p = os.path.join(d, f)
            if language(f) and not os.path.islink(p) and os.path.isfile(p):
                out.append(os.path.relpath(p, root))
    return out


def dir_unit(root: str) -> Unit:
    files = _dir_files(root)
    stamp = hashlib.sha256()
    for rel in files:  # the id changes when a file is added, removed or rewritten
        st = os.stat(os.path.join(root, rel))
        stamp.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return Unit(id=f"dir:{root}:{stamp.hexdigest()[:16]}", kind="dir", source=root,
                repo=os.path.basename(root.rstrip(os.sep)) or root, files=len(files))


def read_dir(unit: Unit, max_bytes: int) -> Iterator[SourceFile | FileError]:
    files = _dir_files(unit.source)
    cpp_h = _mostly_cpp(files)
    for rel in files:
        try:
            with open(os.path.join(unit.source, rel), "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size > max_bytes:  # (not read: the size says enough)
                    yield FileError(rel, f"too large ({size:,} bytes > {max_bytes:,})")
                    continue
                data = f.read(max_bytes + 1)
        except OSError as e:
            yield FileError(rel, f"unreadable: {e.strerror or e}")
            continue
        text = decode(data, rel, max_bytes)
        yield text if isinstance(text, FileError) else _file(unit.repo, "", rel, language(rel, cpp_h), text)


# -- git repositories (HEAD, no checkout) ----------------------------------------------------------

def _git(path: str, *args: str, data: bytes | None = None) -> bytes:
    r = subprocess.run(["git", "-C", path, *args], input=data, capture_output=True)
    if r.returncode:
        raise SourceError(f"{path}: git {args[0]} failed: {r.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
    return r.stdout


def _repo_name(path: str) -> str:
    try:
        url = _git(path, "config", "--get", "remote.origin.url").decode().strip()
    except SourceError:
        url = ""
    m = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?/?$", url)
    return m.group(1) if m else os.path.basename(path.rstrip(os.sep)).removesuffix(".git")


def _git_tree(path: str) -> list[tuple[str, str, int]]:
    """(blob sha, path, size) of the C/C++ files of HEAD: regular files only (no links, submodules)."""
    out = []
    for entry in _git(path, "ls-tree", "-r", "-z", "--long", "HEAD").split(b"\0"):
        if not entry:
            continue
        meta, name = entry.split(b"\t", 1)
        mode, kind, sha, size = meta.split()
        p = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode in (b"100644", b"100755") and language(p):
            out.append((sha.decode(), p, int(size)))
    return out


def git_unit(path: str) -> Unit:
    commit = _git(path, "rev-parse", "HEAD").decode().strip()
    return Unit(id=f"git:{path}@{commit}", kind="git", source=path, repo=_repo_name(path),
                commit=commit, files=len(_git_tree(path)))


def read_git(unit: Unit, max_bytes: int) -> Iterator[SourceFile | FileError]:
    tree = _git_tree(unit.source)
    cpp_h = _mostly_cpp([p for _, p, _ in tree])
    small = [(sha, p) for sha, p, size in tree if size <= max_bytes]
    big = {p: size for _, p, size in tree if size > max_bytes}
    blobs = _cat_blobs(unit.source, [sha for sha, _ in small])
    for _, p, size in tree:
        if p in big:
            yield FileError(p, f"too large ({size:,} bytes > {max_bytes:,})")
            continue
        text = decode(next(blobs), p, max_bytes)
        yield text if isinstance(text, FileError) else _file(unit.repo, unit.commit, p, language(p, cpp_h), text)


def _cat_blobs(path: str, shas: list[str]) -> Iterator[bytes]:
    """The blobs' contents, in order, from one `git cat-file --batch` (one process per unit)."""
    if not shas:
        return
    proc = subprocess.Popen(["git", "-C", path, "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        # (one request at a time: writing all names first could fill both pipes and block)
        for sha in shas:
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) != 3:
                raise SourceError(f"{path}: git cat-file: no object {sha}")
            data = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)  # the newline after the contents
            yield data
    finally:
        proc.stdin.close()
        proc.kill()
        proc.wait()


# -- JSON Lines shards ----------------------------------------------------------------------------

def _records(shard: str) -> Iterator[dict | FileError]:
    """The shard's records; a bad line, or the end of a truncated or corrupt gzip file, is a
    FileError (the records before it are still good: gzip checks its CRC only at the end)."""
    name = os.path.basename(shard)
    n = 0
    try:
        with gzip.open(shard, "rb") as f:
            for n, line in enumerate(f, 1):
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                        raise ValueError("not a record with a text")
                except ValueError as e:
                    yield FileError(f"{name}:{n}", f"bad record: {str(e)[:80]}")
                    continue
                yield rec
    except (EOFError, OSError, zlib.error) as e:
        yield FileError(f"{name}:{n + 1}", f"truncated or corrupt gzip shard after {n} lines: {e}")


def plan_units(srcs: list[str]) -> Iterator[Unit]:
    return discover(srcs, records=False)


def shard_units(shard: str, keep: bool = True) -> Iterator[Unit]:
    """One unit per group of consecutive records of one repository. A truncated shard's last
    group is not mined (it may lack files that the complete shard has); its error goes with
    the unit before it, or with a unit of its own when there is none."""
    name = os.path.basename(shard)
    group: list[dict] = []
    index = 0

    def unit(records, problems=()):
        first = records[0] if records else {}
        repo, commit = str(first.get("repo", "")), str(first.get("commit", ""))
        files = [r for r in records if r.get("lang") in ("c", "cpp")]
        return Unit(id=f"shard:{name}:{index}:{repo}@{commit}:{len(records)}", kind="shard",
                    source=shard, repo=repo, commit=commit, files=len(files), records=files if keep else [],
                    problems=list(problems))

    bad: list[FileError] = []
    for rec in _records(shard):
        if isinstance(rec, FileError):
            if "gzip" in rec.reason:
                if group:
                    dropped = FileError(rec.path, f"{rec.reason}; the {len(group)} records of {group[0].get('repo')} before it are not mined")
                    yield Unit(id=f"shard:{name}:{index}:truncated", kind="shard", source=shard,
                               repo=str(group[0].get("repo", "")), problems=[*bad, dropped])
                else:
                    yield Unit(id=f"shard:{name}:{index}:truncated", kind="shard", source=shard, repo="", problems=[*bad, rec])
                return
            bad.append(rec)
            continue
        if group and (rec.get("repo"), rec.get("commit")) != (group[0].get("repo"), group[0].get("commit")):
            yield unit(group, bad)
            index += 1
            group, bad = [], []
        group.append(rec)
    if group or bad:
        yield unit(group, bad)


def read_shard(unit: Unit, max_bytes: int) -> Iterator[SourceFile | FileError]:
    for r in unit.records:
        path = str(r.get("path", ""))
        text = r["text"]
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            yield FileError(path, f"too large ({size:,} bytes > {max_bytes:,})")
        elif "\0" in text:
            yield FileError(path, "binary file (NUL bytes)")
        else:
            yield SourceFile(unit.repo, unit.commit, path, r["lang"], str(r.get("sha256") or
                             hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()), text)


def read_unit(unit: Unit, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceFile | FileError]:
    """The unit's files in source order (``unit.problems`` are the caller's to report)."""
    reader = {"dir": read_dir, "git": read_git, "shard": read_shard}[unit.kind]
    yield from reader(unit, max_bytes)


def manifest_of(src: str) -> dict | None:
    """The MANIFEST.json beside a shard source (repositories, commits, the license statement)."""
    path = os.path.abspath(src)
    d = path if os.path.isdir(path) else os.path.dirname(path)
    try:
        with open(os.path.join(d, "MANIFEST.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
