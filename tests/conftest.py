import os
import shutil

import pytest

from ompwise import analyze_source

# The command-line tests check what the analysis decides; the learned model's part is tested in
# tests/model, which names its model (--model DIR) or unsets this for the shipped one.
os.environ.setdefault("OMPWISE_MODEL", "none")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))


def shared_path(*parts: str) -> str:
    p = os.path.join(SHARED, *parts)
    if not os.path.exists(p):
        pytest.skip(f"../shared/data not available ({p} missing)")
    return p


def loops_of(code: str, lang: str = "c"):
    return analyze_source(code.encode(), f"t.{lang}", lang).loops


def has_compiler(name: str) -> bool:
    return shutil.which(name) is not None
