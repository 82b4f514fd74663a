"""ompwise: per-loop OpenMP advice for C and C++, from exact dependence analysis.

The public names are imported on first use (PEP 562): ``python -m ompwise`` and the
``ompwise`` command import this package before anything else, and a signal must find
the quiet handlers of ``ompwise.start`` in place, not the analysis half imported.
For the same reason this module imports nothing that Python has not loaded already.
"""
import sys

__version__ = "0.1.0"

_WHERE = {"FileAdvice": "advise", "LoopAdvice": "advise", "advise": "advise",
          "Options": "api", "analyze_file": "api", "analyze_paths": "api", "analyze_source": "api",
          "insert_pragmas": "rewrite"}

__all__ = sorted(_WHERE) + ["__version__"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))


class _Package(type(sys)):
    def __setattr__(self, name, value):
        # importing the submodule 'advise' binds it here; 'ompwise.advise' stays the function, as it always was
        if name == "advise" and isinstance(value, type(sys)):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
