"""The shipped model at inference: LightGBM's own predictor over the features of a file's loops,
one batch per file. Loaded once per process; `--no-model` never loads it."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np

from .fastpredict import RowPredictor
from .features import NAMES, VERSION as FEATURE_VERSION, featurize
from .heads import CLAUSE_HEADS

from . import DEFAULT_DIR, ModelError


@dataclass(frozen=True)
class Prediction:
    probability: float  # calibrated: a developer would give this loop a work-sharing pragma
    clauses: dict[str, float]  # head -> probability that the pragma has that clause (when asked for)


class LoopModel:
    def __init__(self, directory: str):
        path = os.path.join(directory, "model.json")
        try:
            with open(path, encoding="utf-8") as fh:
                self.meta = json.load(fh)
        except (OSError, ValueError) as e:
            raise ModelError(f"{directory}: error: not a model directory ({path}: {getattr(e, 'strerror', None) or e})")
        if self.meta.get("feature_version") != FEATURE_VERSION or self.meta.get("features") != len(NAMES):
            raise ModelError(f"{directory}: error: model built for feature version {self.meta.get('feature_version')}, "
                             f"this ompwise computes version {FEATURE_VERSION}: retrain it with 'ompwise train'")
        try:
            import lightgbm as lgb
        except ImportError:
            raise ModelError("error: the model needs lightgbm (pip install lightgbm), or run with --no-model")
        self.directory = directory
        self.threshold = float(self.meta["threshold"])
        # per kind of input: loops in whole files, and loops given alone (see train.py)
        self.thresholds = {k: float(v) for k, v in (self.meta.get("thresholds") or {}).items()}
        self.vetoes = {k: float(v) for k, v in (self.meta.get("veto") or {}).items()}
        cal = self.meta.get("calibration") or {"x": [0.0, 1.0], "y": [0.0, 1.0]}
        self._cal_x, self._cal_y = np.asarray(cal["x"]), np.asarray(cal["y"])
        try:
            self._main = lgb.Booster(model_file=os.path.join(directory, "omp.txt"))
            self._heads = {h: lgb.Booster(model_file=os.path.join(directory, f"clause-{h}.txt"))
                           for h in CLAUSE_HEADS if h in self.meta.get("heads", {})}
        except Exception as e:  # lightgbm raises its own error type with a long message
            raise ModelError(f"{directory}: error: cannot load the model ({str(e).splitlines()[0][:200]})")
        self.head_thresholds = {h: float(v["threshold"]) for h, v in self.meta.get("heads", {}).items()}
        self._rows = RowPredictor(self._main, len(NAMES))

    def threshold_for(self, snippet: bool) -> float:
        return self.thresholds.get("snippet" if snippet else "file", self.threshold)

    def veto_for(self, snippet: bool) -> float:
        """Below it, a pragma the analysis proved legal is not recommended (see train.veto_threshold)."""
        return self.vetoes.get("snippet" if snippet else "file", self.threshold_for(snippet))

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self._cal_x, self._cal_y)

    def predict(self, rows: list[dict], clauses: bool = False) -> list[Prediction]:
        if not rows:
            return []
        x = featurize(rows)
        # one thread: a file's batch is small, and OpenMP threads spinning beside other work cost more
        # than they give
        p = self.calibrate(self._rows.predict(x))
        heads = {h: b.predict(x, num_threads=1) for h, b in self._heads.items()} if clauses else {}
        return [Prediction(float(p[i]), {h: float(v[i]) for h, v in heads.items()}) for i in range(len(rows))]

    def contributions(self, row: dict, top: int = 6) -> list[tuple[str, float]]:
        """The features that moved this loop's (raw, log-odds) score most, with their signed shares."""
        x = featurize([row])
        c = self._main.predict(x, pred_contrib=True, num_threads=1)[0][:-1]  # the last column is the bias
        order = np.argsort(-np.abs(c))[:top]
        return [(describe(NAMES[k], row), float(c[k])) for k in order if c[k] != 0]


def describe(feature: str, row: dict) -> str:
    """A feature's name as a user reads it (token buckets name the loop's tokens that fall in them)."""
    if not feature.startswith("tok#"):
        return feature
    from .features import bucket, tokens
    k = int(feature[4:])
    toks = tokens(row["code"])
    hits = [t for t in dict.fromkeys(toks) if bucket(t) == k]
    hits += [f"{a} {b}" for a, b in dict.fromkeys(zip(["<s>"] + toks, toks)) if bucket(a + " " + b) == k]
    return "token " + (" / ".join(repr(h) for h in hits[:2]) if hits else f"bucket {k}")


_LOADED: dict[str, LoopModel] = {}


def load(directory: str | None = None) -> LoopModel:
    d = os.path.abspath(directory or DEFAULT_DIR)
    if d not in _LOADED:
        _LOADED[d] = LoopModel(d)
    return _LOADED[d]
