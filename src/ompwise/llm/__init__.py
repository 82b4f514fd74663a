"""LLM backends and the verify-before-trust flow around them.

Nothing outside this package imports an LLM runtime: the HTTP backend uses the standard
library, the in-process one imports llama-cpp-python only when ``--llm local`` is asked for
(the ``[llm]`` extra). An LLM's text is data: it is parsed with the OpenMP pragma grammar,
checked against the analysis and verified before anything reaches a file.
"""
from .backend import Backend, LLMError, make_backend

__all__ = ["Backend", "LLMError", "make_backend"]
