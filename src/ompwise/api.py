"""The typed library API that the CLI wraps: analyze files, parallelize sources."""
from __future__ import annotations

import gc
from collections.abc import Callable
import os
from dataclasses import dataclass, field, replace

from .advise import FileAdvice, advise, note_few_trips
from .analysis.legality import Analyzer
from .fastinit import fast_init
from .frontend.conditional import FunctionMacro
from .frontend.headers import compile_db_flags, local_headers
from .frontend.newlines import as_lf
from .frontend.parse import parse_source
from .frontend import ir
from .frontend.program import program_table, program_unit
from .frontend.source import DEFAULT_MAX_BYTES, InputError, SourceFile, discover, header_language, read_source


@fast_init  # (built once per analyzed file or loop: the frozen __init__ costs more than a small loop's parse)
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
    snippet: bool = False  # a loop cut out of its file: undeclared names are the enclosing function's locals
    model: str | None = None  # the learned model's directory (model.DEFAULT_DIR: the shipped one); None: analysis alone


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
    tu, headers = _parse(data, path, language, options)
    tu.snippet = options.snippet
    program = program_unit(options.program, path, options.header_language) if options.program and path != "<input>" else None
    return _advise(tu, headers, program, options.model)


def _parse(data: bytes, path: str, language: str | None, options: Options) -> tuple[ir.TranslationUnit, list]:
    """The file as its compiler sees it (the configuration its headers' and the user's macros
    select), and its local headers."""
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
    user = dict((d.partition("=")[0], d.partition("=")[2] or "1") for d in defines)
    tu = parse_source(data, path, language, known, all_configs=options.all_configs, user_defines=user)
    for d in defines:
        name, _, value = d.partition("=")
        tu.macros.setdefault(name, value or "1")
    return tu, headers


def _advise(tu: ir.TranslationUnit, headers: list, program: ir.TranslationUnit | None,
            model: str | None = None) -> FileAdvice:
    loaded = None
    if model:
        from .model.predict import load
        loaded = load(model)
    loops = advise(tu, Analyzer(tu, headers, program), loaded)
    return FileAdvice(tu.path, tu.language, tu.errors, loops, tu)


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


def analyze_paths(paths: list[str], options: Options = Options(),
                  progress: Callable[[int, int, int], None] | None = None) -> tuple[list[FileAdvice], list[InputError]]:
    """Analyze files and directories; input problems are collected, never raised.

    Files analyzed together are one program: each is parsed once, one table of the program's
    functions and globals is built from those parses, and every file's loops see it.
    ``progress(files_done, files, loops)`` is called after each file."""
    files, errors = discover(paths)
    if options.compile_db:
        try:
            _db(options.compile_db)
        except InputError as e:
            errors.append(e)
            options = replace(options, compile_db=None)
    options = replace(options, header_language=header_language(files))
    resume = gc.isenabled()  # (see analyze_source)
    if resume:
        gc.disable()
    try:
        return _analyze_program(files, options, errors, progress)
    finally:
        if resume:
            gc.enable()


def _analyze_program(files: list[str], options: Options, errors: list[InputError], progress) -> tuple[list[FileAdvice], list[InputError]]:
    parsed: dict[str, tuple[ir.TranslationUnit, list]] = {}
    failed: dict[str, InputError] = {}
    for f in files:
        try:
            sf = read_file(f, options)
            parsed[f] = _parse(sf.data, f, sf.language, options)
        except InputError as e:
            failed[f] = e
        except RecursionError:
            failed[f] = InputError(f"{f}: error: nesting too deep to analyze")
    program = program_table([tu for tu, _ in parsed.values()]) if len(files) > 1 and not options.program else None
    if program is not None:
        for tu, headers in parsed.values():
            note_few_trips(program, tu, Analyzer(tu, headers, program))
    results: list[FileAdvice] = []
    loops = 0
    for k, f in enumerate(files):
        if f in failed:
            errors.append(failed[f])
        else:
            tu, headers = parsed.pop(f)
            try:
                if options.program:
                    program = program_unit(options.program, f, options.header_language)
                results.append(_advise(tu, headers, program, options.model))
                loops += len(results[-1].loops)
            except RecursionError:
                errors.append(InputError(f"{f}: error: nesting too deep to analyze"))
        if progress is not None:
            progress(k + 1, len(files), loops)
    return results, errors
