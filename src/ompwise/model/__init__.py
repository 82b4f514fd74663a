"""The learned model: which loops a developer parallelizes, and with which clauses.

``features`` describes a loop (the analysis' facts and its tokens), ``predict`` runs the shipped
LightGBM model, ``gate`` is where ``advise`` lets its probability decide, ``train`` fits a new
one from a corpus dataset (the ``[train]`` extra)."""
from __future__ import annotations

import os

DEFAULT_DIR = os.path.join(os.path.dirname(__file__), "default")


def shipped_model() -> str | None:
    """The model shipped in the package, or None when this install has none."""
    return DEFAULT_DIR if os.path.isfile(os.path.join(DEFAULT_DIR, "model.json")) else None


class ModelError(Exception):
    """A model that cannot be used: one line for the user."""
