"""The other source files of a program: their external functions and globals.

A loop that calls a function defined in another file of the same program
(`lhsinit` in NPB BT's `initialize.c`, called from `x_solve.c`) is as analyzable as
one calling a function of its own file: the linker resolves the name to that one
definition. Only names with external linkage count (not `static` ones), and a name
defined in more than one of the files is left unknown, since which definition a call
reaches then depends on how the files are linked.
"""
from __future__ import annotations

import os
from functools import lru_cache

from . import buildtypes, ir
from .declarators import merge_fields, merge_records
from .parse import parse_source
from .source import InputError, read_source


def program_unit(paths: tuple[str, ...], current: str, header_language: str = "c") -> ir.TranslationUnit | None:
    """One unit with the external functions and globals of the program ``paths`` (``current``'s
    own are there too: its own definitions come first wherever a name is looked up)."""
    here = os.path.abspath(current)
    every = tuple(sorted(dict.fromkeys(os.path.abspath(p) for p in paths)))
    if not any(p != here for p in every):
        return None
    return _merged(tuple((p, _mtime(p)) for p in every), header_language)


def _mtime(p: str) -> float:
    try:
        return os.path.getmtime(p)
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _merged(paths: tuple[tuple[str, float], ...], header_language: str) -> ir.TranslationUnit:
    units = []
    for p, _ in paths:
        try:
            tu = _unit(p, header_language if p.endswith(".h") else None)
        except OSError:
            continue
        if tu is not None:
            units.append(tu)
    return program_table(units)


def program_table(units: list[ir.TranslationUnit]) -> ir.TranslationUnit:
    """The external functions and globals of the program's units, built once for all its files."""
    defined: dict[str, list[ir.Function]] = {}
    origins: dict[str, str] = {}
    globals_: dict[str, ir.VarDecl] = {}
    accessors: dict = {}
    fields: dict[str, ir.VarDecl] = {}
    enums: list = []
    records_by_name: dict = {}
    records: set[str] = set()
    non_accessors: set[str] = set()
    for tu in units:
        # the program's classes: a file's includes may not reach them (no -I given)
        for k, v in tu.accessor_exprs.items():
            accessors.setdefault(k, v)
        merge_fields(fields, tu.fields)
        merge_records(records_by_name, tu.record_members)
        enums.extend(tu.enums)
        records |= tu.records
        non_accessors |= tu.non_accessors
        for f in tu.functions:
            if not f.static and f.class_name is None:
                defined.setdefault(f.name, []).append(f)
                origins[f.name] = tu.path
        for name, v in tu.globals.items():
            if not v.static:
                globals_.setdefault(name, v)
    functions = [fs[0] for fs in defined.values() if len(fs) == 1]
    return ir.TranslationUnit(path="<program>", language="c", source=b"", functions=functions,
                              globals=globals_, loops=[], errors=[],
                              origins={f.name: origins[f.name] for f in functions}, accessor_exprs=accessors,
                              fields=fields, enums=enums, record_members=records_by_name, records=records, non_accessors=non_accessors,
                              type_defs=buildtypes.merge(buildtypes.candidates(tu.source) for tu in units))


def _unit(path: str, language: str | None) -> ir.TranslationUnit | None:
    try:
        sf = read_source(path, language=language)
    except InputError:
        return None
    return parse_source(sf.data, path, sf.language)
