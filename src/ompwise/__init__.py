"""ompwise: per-loop OpenMP advice for C and C++, from exact dependence analysis."""
__version__ = "0.1.0"

from .advise import FileAdvice, LoopAdvice, advise  # noqa: E402
from .api import Options, analyze_file, analyze_paths, analyze_source  # noqa: E402
from .rewrite import insert_pragmas  # noqa: E402

__all__ = ["FileAdvice", "LoopAdvice", "Options", "advise", "analyze_file", "analyze_paths",
           "analyze_source", "insert_pragmas", "__version__"]
