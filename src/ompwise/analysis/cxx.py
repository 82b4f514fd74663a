"""C++ containers: subscripts that are not element accesses, methods that return an
element, and methods that change the container itself."""
from __future__ import annotations


def _container_hazard(type_text: str, write: bool) -> tuple[str, str] | None:
    """(code, message) when subscripting a shared container of this type is not an element access."""
    t = type_text.replace(" ", "")
    if "map<" in t:  # map, unordered_map, multimap: operator[] inserts a missing key
        return ("SHARED-WRITE", "not parallelized: 'operator[]' of a shared map inserts missing keys (it modifies the map)")
    if write and "vector<bool>" in t:
        return ("DEP-UNKNOWN", "not parallelized: elements of std::vector<bool> share machine words, so writing one "
                "races with its neighbours")
    return None


_ELEMENT_METHODS = ("at", "front", "back")  # container methods returning an element reference


MUTATING_METHODS = {"push_back", "emplace_back", "pop_back", "insert", "erase", "resize", "clear", "push",
                    "pop", "emplace", "assign", "reserve", "append", "push_front", "pop_front", "swap"}
