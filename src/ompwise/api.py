"""The typed library API that the CLI wraps: analyze files, parallelize sources."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field, replace

from .advise import FileAdvice, advise
from .analysis.legality import Analyzer
from .frontend.conditional import FunctionMacro
from .frontend.headers import compile_db_flags, local_headers
from .frontend.newlines import as_lf
from .frontend.parse import parse_source
from .frontend.program import program_unit
from .frontend.source import DEFAULT_MAX_BYTES, InputError, SourceFile, discover, header_language, read_source


@dataclass(frozen=True)
class Options:
    include_dirs: tuple[str, ...] = ()
    compile_db: str | None = None  # directory holding compile_commands.json
    max_bytes: int = DEFAULT_MAX_BYTES
    defines: tuple[str, ...] = ()  # NAME or NAME=VALUE
    read_headers: bool = True
    strict_utf8: bool = True  # False: accept legacy encodings (Latin-1 comments) as bytes
    program: tuple[str, ...] = ()  # the program's source files: their functions get summaries too
    all_configs: bool = False  # analyze every #if branch, not the configuration the macros select
    header_language: str = "c"  # how a '.h' file is parsed: "cpp" in a C++ project


@dataclass
class _DB:
    flags: dict[str, list[str]] = field(default_factory=dict)


def analyze_source(data: bytes, path: str = "<input>", language: str | None = None,
                   options: Options = Options()) -> FileAdvice:
    """Advice for every loop of one source text."""
    # The IR and the analyses allocate many small containers that live until the call
    # returns; the cyclic collector would traverse them over and over (about a tenth of
    # the time). It is paused for the call: what it would free is freed when it resumes.
    resume = gc.isenabled()
    if resume:
        gc.disable()
    try:
        return _analyze_source(data, path, language, options)
    finally:
        if resume:
            gc.enable()


def _analyze_source(data: bytes, path: str, language: str | None, options: Options) -> FileAdvice:
    includes = list(options.include_dirs)
    defines = list(options.defines)
    if options.compile_db:
        flags = _db(options.compile_db).get(os.path.abspath(path), [])
        includes += [f[2:] for f in flags if f.startswith("-I")]
        defines += [f[2:] for f in flags if f.startswith("-D")]
    headers = local_headers(path, as_lf(data), includes) if options.read_headers and path != "<input>" else []
    # the #if conditions see the headers' macros, then the user's (-D wins, as on the command line)
    known: dict[str, str | None] = {}
    for h in headers:
        known.update(h.macros)
        known.update((k, FunctionMacro(v)) for k, v in h.fmacros.items())
    for d in defines:
        name, _, value = d.partition("=")
        known[name] = value or "1"
    tu = parse_source(data, path, language, known, all_configs=options.all_configs)
    for d in defines:
        name, _, value = d.partition("=")
        tu.macros.setdefault(name, value or "1")
    program = program_unit(options.program, path, options.header_language) if options.program and path != "<input>" else None
    loops = advise(tu, Analyzer(tu, headers, program))
    return FileAdvice(path, tu.language, tu.errors, loops, tu)


_DBS: dict[str, dict[str, list[str]]] = {}


def _db(directory: str) -> dict[str, list[str]]:
    if directory not in _DBS:
        _DBS[directory] = compile_db_flags(directory)
    return _DBS[directory]


def read_file(path: str, options: Options = Options()) -> SourceFile:
    """The file as analyze_file reads it (the bytes, and the stat a writer checks them by)."""
    language = options.header_language if path.endswith(".h") else None
    return read_source(path, options.max_bytes, language=language, strict_utf8=options.strict_utf8)


def analyze_file(path: str, options: Options = Options()) -> FileAdvice:
    sf = read_file(path, options)
    return analyze_source(sf.data, path, sf.language, options)


def analyze_paths(paths: list[str], options: Options = Options()) -> tuple[list[FileAdvice], list[InputError]]:
    """Analyze files and directories; input problems are collected, never raised."""
    files, errors = discover(paths)
    if options.compile_db:
        try:
            _db(options.compile_db)
        except InputError as e:
            errors.append(e)
            options = replace(options, compile_db=None)
    options = replace(options, header_language=header_language(files))
    if len(files) > 1 and not options.program:
        # files analyzed together are taken as one program (see frontend/program.py)
        options = replace(options, program=tuple(files))
    results = []
    for f in files:
        try:
            results.append(analyze_file(f, options))
        except InputError as e:
            errors.append(e)
        except RecursionError:
            errors.append(InputError(f"{f}: error: nesting too deep to analyze"))
    return results, errors
