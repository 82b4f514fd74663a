"""Prove a parallelization: build serial and OpenMP variants, run, compare, race-check, time."""
from __future__ import annotations

import os
import resource
import shlex
import shutil
import statistics
import tempfile
import threading
from dataclasses import asdict, dataclass, field

from . import procs, sandbox, tempdirs
from .archer import ARCHER_LIB, Race, parse_reports
from .cache import Cache, key_of
from .compare import compare

STATUSES = ("verified", "output-mismatch", "race", "compile-error", "runtime-error", "timeout", "memory-limit")
UNLIMITED = resource.RLIM_INFINITY


@dataclass(frozen=True)
class VerifyOptions:
    cc: str = "clang-14"
    run_args: tuple[str, ...] = ()
    stdin: str | None = None
    threads: tuple[int, ...] = (2,)
    repeat: int = 3
    rtol: float = 1e-9
    atol: float = 0.0
    timeout_s: float = 60.0
    build_timeout_s: float = 300.0
    memory_mb: int = 4096
    race_check: bool = True
    timing: bool = True
    use_cache: bool = True
    build_cmd: str | None = None  # project mode: e.g. 'make CC=$CC'
    run_cmd: str | None = None  # project mode: e.g. './prog -s small'
    opt: str = "-O2"
    include_dirs: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()  # -D NAME[=VALUE] for both builds (file mode)


@dataclass
class Timing:
    threads: int  # 0 = serial build
    median_s: float
    min_s: float
    max_s: float


@dataclass
class Verification:
    status: str
    evidence: str = ""
    races: list[dict] = field(default_factory=list)
    serial: Timing | None = None
    parallel: list[Timing] = field(default_factory=list)
    speedup: dict[str, float] = field(default_factory=dict)
    cached: bool = False

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "Verification":
        v = cls(**{k: d[k] for k in ("status", "evidence", "races", "speedup", "cached")})
        v.serial = Timing(**d["serial"]) if d.get("serial") else None
        v.parallel = [Timing(**t) for t in d.get("parallel", [])]
        return v


@dataclass(frozen=True)
class _Variant:
    name: str
    cc: str
    cflags: str
    ldflags: str


def _variants(o: VerifyOptions) -> dict[str, _Variant]:
    return {
        "serial": _Variant("serial", o.cc, f"{o.opt} -Wno-unknown-pragmas", ""),
        "parallel": _Variant("parallel", o.cc, f"{o.opt} -fopenmp", "-fopenmp"),
        "archer": _Variant("archer", "clang-14", "-O1 -g -fopenmp -fsanitize=thread", "-fopenmp -fsanitize=thread"),
    }


def archer_available() -> bool:
    return shutil.which("clang-14") is not None and os.path.exists(ARCHER_LIB)


class _Workspace:
    """One copy of the program per variant, built and run inside a temporary directory."""

    def __init__(self, files: list[str], project_dir: str | None, o: VerifyOptions, root: str,
                 overlay: dict[str, bytes] | None = None):
        self.files, self.project_dir, self.o, self.root = files, project_dir, o, root
        self.overlay = overlay or {}

    def tmpdir(self) -> str:
        """TMPDIR for builds and runs: a compiler or program killed mid-way leaves its temporary
        files (clang's 'prog-*.o') where the workspace's removal takes them too."""
        d = os.path.join(self.root, "tmp")
        os.makedirs(d, exist_ok=True)
        return d

    def build(self, v: _Variant) -> tuple[str | None, str]:
        """(command line that runs the program relative to its directory, error text)."""
        d = os.path.join(self.root, v.name)
        limits = sandbox.Limits(wall_s=self.o.build_timeout_s, cpu_s=max(600, int(self.o.build_timeout_s * 2)),
                                memory_bytes=UNLIMITED)
        env = dict(os.environ, CC=v.cc, CFLAGS=v.cflags, LDFLAGS=v.ldflags, TMPDIR=self.tmpdir())
        if self.project_dir:
            shutil.copytree(self.project_dir, d, symlinks=True)
            for rel, data in self.overlay.items():  # e.g. the file with the pragmas under test
                with open(os.path.join(d, rel), "wb") as fh:
                    fh.write(data)
            r = sandbox.run(self.o.build_cmd, d, env, limits=limits, shell=True)
            if not r.ok:
                return None, _build_failure(r, self.o)
            return self.o.run_cmd, ""
        os.makedirs(d)
        srcs = []
        incs = set(self.o.include_dirs)
        for f in self.files:
            dst = os.path.join(d, os.path.basename(f))
            shutil.copyfile(f, dst)
            srcs.append(os.path.basename(f))
            incs.add(os.path.dirname(os.path.abspath(f)))
        cc = v.cc
        if any(os.path.splitext(x)[1] in (".cpp", ".cc", ".cxx", ".C") for x in srcs):
            cc = {"clang-14": "clang++-14", "gcc": "g++", "clang": "clang++", "cc": "c++"}.get(cc, cc)
        cmd = [cc, *v.cflags.split(), *[f"-I{i}" for i in sorted(incs)], *[f"-D{d}" for d in self.o.defines],
               *srcs, "-o", "prog", *v.ldflags.split(), "-lm"]
        r = sandbox.run(cmd, d, env, limits=limits)
        if not r.ok:
            return None, _build_failure(r, self.o)
        return "./prog " + " ".join(shlex.quote(a) for a in self.o.run_args), ""

    def run(self, v: _Variant, cmd: str, threads: int, extra_env: dict | None = None,
            limits: sandbox.Limits | None = None) -> tuple[sandbox.RunResult, dict[str, bytes]]:
        """Run in a fresh directory (a copy of the build tree); return the result and files it wrote."""
        src = os.path.join(self.root, v.name)
        rd = tempfile.mkdtemp(prefix=f"run-{v.name}-", dir=self.root)
        shutil.rmtree(rd)
        shutil.copytree(src, rd, symlinks=True)
        before = _snapshot(rd)
        env = dict(os.environ, OMP_NUM_THREADS=str(max(threads, 1)), TMPDIR=self.tmpdir(), **(extra_env or {}))
        lim = limits or sandbox.Limits(wall_s=self.o.timeout_s, cpu_s=int(self.o.timeout_s * max(threads, 1) * 2) + 5,
                                       memory_bytes=self.o.memory_mb << 20)
        r = sandbox.run(cmd, rd, env, self.o.stdin, lim, shell=True)
        after = _snapshot(rd)
        written = {k: v_ for k, v_ in after.items() if before.get(k) != v_}
        shutil.rmtree(rd, ignore_errors=True)
        return r, written


def _snapshot(d: str) -> dict[str, bytes]:
    out = {}
    for root, _, names in os.walk(d):
        for n in names:
            if n.startswith(".ompwise-"):
                continue
            p = os.path.join(root, n)
            try:
                if os.path.getsize(p) <= sandbox.MAX_CAPTURE and not os.access(p, os.X_OK):
                    with open(p, "rb") as fh:
                        out[os.path.relpath(p, d)] = fh.read()
            except OSError:
                continue
    return out


def _tail(b: bytes, n: int = 3) -> str:
    lines = [l for l in b.decode(errors="replace").splitlines() if l.strip()]
    errs = [l for l in lines if "error" in l.lower()]
    return " | ".join((errs or lines)[:n])[:500]


def _build_failure(r: sandbox.RunResult, o: VerifyOptions) -> str:
    if r.timed_out:
        return f"build ran longer than {o.build_timeout_s:g} s and was killed (see --build-timeout)"
    return _tail(r.stderr or r.stdout) or "build failed"


def _memory_limit(what: str, sign: str, o: VerifyOptions) -> Verification:
    return Verification("memory-limit", f"{what} hit the memory limit of {o.memory_mb} MB ({sign}); "
                        "rerun with a larger --memory")


def _run_failure(r: sandbox.RunResult, what: str, o: VerifyOptions) -> Verification | None:
    if r.timed_out:
        return Verification("timeout", f"{what} ran longer than {o.timeout_s:g} s and was killed")
    if r.limit == "memory":
        return _memory_limit(what, sandbox.memory_sign(r.stderr) or "allocation failed", o)
    if r.returncode != 0:
        why = f"limit: {r.limit}" if r.limit else (f"signal {r.signal}" if r.signal else f"exit code {r.returncode}")
        return Verification("runtime-error", f"{what} failed ({why}): {_tail(r.stderr)}".rstrip(": "))
    return None


def verify(files: list[str], options: VerifyOptions = VerifyOptions(), project_dir: str | None = None,
           overlay: dict[str, bytes] | None = None) -> Verification:
    o = options
    cache = None
    key = None
    if o.use_cache:
        parts: list[bytes | str] = [repr(sorted(asdict(o).items()))]
        if project_dir:
            for root, dirs, names in sorted(os.walk(project_dir)):
                dirs.sort()
                for n in sorted(names):
                    p = os.path.join(root, n)
                    parts += [os.path.relpath(p, project_dir), open(p, "rb").read()]
        else:
            parts += [open(f, "rb").read() for f in files]
        for rel, data in sorted((overlay or {}).items()):
            parts += [rel, data]
        if o.stdin:
            parts.append(open(o.stdin, "rb").read())
        key = key_of(parts)
        cache = Cache()
        hit = cache.get(key)
        if hit is not None:
            v = Verification.from_json(hit)
            v.cached = True
            cache.close()
            return v
    clean_up_after_killed_runs()
    with tempdirs.owned("ompwise-verify-") as root:
        v = _verify(_Workspace(files, project_dir, o, root, overlay), o)
    if cache is not None:
        if v.status != "timeout":
            cache.put(key, v.to_json())
        cache.close()
    return v


_cleaned = threading.Event()


def clean_up_after_killed_runs() -> None:
    """Once per process: end the programs and remove the directories of an ompwise that was killed.

    Every command that runs programs calls it (verify, races, the evaluation suites).
    """
    if not _cleaned.is_set():
        _cleaned.set()
        procs.end_orphans()
        tempdirs.remove_stale()


def _verify(ws: _Workspace, o: VerifyOptions) -> Verification:
    vs = _variants(o)
    cmds = {}
    for name in ("serial", "parallel"):
        cmd, err = ws.build(vs[name])
        if cmd is None:
            return Verification("compile-error", f"{name} build: {err}")
        cmds[name] = cmd
    ref, ref_files = ws.run(vs["serial"], cmds["serial"], 1)
    bad = _run_failure(ref, "serial run", o)
    if bad:
        return bad
    for t in o.threads:
        r, written = ws.run(vs["parallel"], cmds["parallel"], t)
        bad = _run_failure(r, f"parallel run ({t} threads)", o)
        if bad:
            return bad
        same, diff = compare(ref.stdout, r.stdout, o.rtol, o.atol)
        what = f"stdout at {t} threads"
        for name in sorted(set(ref_files) | set(written)) if same else ():
            same, diff = compare(ref_files.get(name, b""), written.get(name, b""), o.rtol, o.atol)
            what = f"file '{name}' at {t} threads"
            if not same:
                break
        if not same:
            # a run that could not allocate (threads' stacks count against the address-space
            # limit) prints something else for that reason, not because of the pragmas
            for run, label in ((r, f"parallel run ({t} threads)"), (ref, "serial run")):
                sign = sandbox.memory_sign(run.stderr)
                if sign:
                    return _memory_limit(label, sign, o)
            return Verification("output-mismatch", f"{what}: {diff}")
    v = Verification("verified")
    if o.race_check and archer_available():
        cmd, err = ws.build(vs["archer"])
        if cmd is None:
            v.evidence = f"race check skipped: Archer build failed: {err}"
        else:
            t = max(2, max(o.threads))
            env = {"OMP_TOOL_LIBRARIES": ARCHER_LIB,
                   "TSAN_OPTIONS": "ignore_noninstrumented_modules=1 exitcode=66 halt_on_error=0 report_signal_unsafe=0"}
            lim = sandbox.Limits(wall_s=o.timeout_s * 10, cpu_s=int(o.timeout_s * 20) + 10, memory_bytes=UNLIMITED)
            for _ in range(max(1, min(o.repeat, 3))):
                r, _ = ws.run(vs["archer"], cmd, t, env, lim)
                races = [_locate(x, ws) for x in parse_reports(r.stderr.decode(errors="replace"))]
                if races:
                    v.races = [x.to_json() for x in races]
                    v.status = "race"
                    first = races[0]
                    v.evidence = f"data race on '{first.variable or '?'}' at {first.file}:{first.line}:{first.column} ({len(races)} report(s), Archer, {t} threads)"
                    return v
                if r.timed_out:
                    v.evidence = "race check: Archer run timed out"
                    break
    elif o.race_check:
        v.evidence = "race check skipped: clang-14 with libarcher not installed"
    if o.timing:
        _time(ws, vs, cmds, o, v)
    return v


def _locate(race: Race, ws: _Workspace) -> Race:
    """Map the report back to the user's file and name the variable at the reported column."""
    import re
    from dataclasses import replace
    root = os.path.join(ws.root, "archer") + os.sep
    path = race.file
    if path.startswith(root):
        rel = path[len(root):]
        if ws.project_dir:
            path = os.path.join(ws.project_dir, rel)
        else:
            path = next((f for f in ws.files if os.path.basename(f) == rel), rel)
    var = race.variable
    if not var or var == "??":
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read().splitlines()[race.line - 1]
            col = max(race.column - 1, 0)
            m = re.match(r"[A-Za-z_]\w*", text[col:])  # reads point at the variable,
            if m is None:  # writes at the '=' after the lvalue
                m = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*(?:->\w+\s*|\.\w+\s*)*$", text[:col])
            var = (m.group(1) if m.groups() else m.group(0)) if m else var
        except (OSError, IndexError):
            pass
    return replace(race, file=path, variable=var)


def _time(ws: _Workspace, vs, cmds, o: VerifyOptions, v: Verification) -> None:
    samples: dict[int, list[float]] = {0: []}
    for t in o.threads:
        samples[t] = []
    for _ in range(max(1, o.repeat)):  # alternate the builds so drift hits all alike
        r, _ = ws.run(vs["serial"], cmds["serial"], 1)
        samples[0].append(r.wall_s)
        for t in o.threads:
            r, _ = ws.run(vs["parallel"], cmds["parallel"], t)
            samples[t].append(r.wall_s)

    def timing(t: int) -> Timing:
        xs = samples[t]
        return Timing(t, statistics.median(xs), min(xs), max(xs))

    v.serial = timing(0)
    v.parallel = [timing(t) for t in o.threads]
    for tm in v.parallel:
        v.speedup[str(tm.threads)] = round(v.serial.median_s / tm.median_s, 3) if tm.median_s > 0 else 0.0
