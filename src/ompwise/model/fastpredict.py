"""LightGBM's single-row predictor, set up once per booster.

``Booster.predict`` builds a predictor (buffers as wide as the 2,206 features, the trees'
set-up) on every call, and `check` calls it once per file with a batch of one or two loops:
that set-up cost more than the trees themselves. LightGBM's C API keeps a predictor for
single rows (``LGBM_BoosterPredictForMatSingleRowFast``); it runs the same prediction code
over the same row, so the scores are the same to the bit (tests/model check it). Where the
library does not offer it (another version), ``Booster.predict`` is used, as before."""
from __future__ import annotations

import ctypes
import threading

import numpy as np


class RowPredictor:
    def __init__(self, booster, features: int):
        self._booster = booster
        self._lock = threading.Lock()  # (one predictor's buffers: one row at a time)
        self._config = None
        try:
            from lightgbm.basic import _LIB, _c_str, _safe_call
            config = ctypes.c_void_p()
            # as Booster.predict(x, num_threads=1) asks: normal scores, from the first iteration
            # to its best_iteration (-1: all), float32 rows of every feature
            _safe_call(_LIB.LGBM_BoosterPredictForMatSingleRowFastInit(
                booster._handle, ctypes.c_int(0), ctypes.c_int(0), ctypes.c_int(booster.best_iteration),
                ctypes.c_int(0), ctypes.c_int32(features), _c_str("num_threads=1"), ctypes.byref(config)))
        except Exception:  # not this LightGBM's API: the booster's own predict
            return
        self._lib, self._safe_call, self._config = _LIB, _safe_call, config
        self._out_len, self._out = ctypes.c_int64(0), ctypes.c_double(0.0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores of the rows of a float32 matrix (what ``booster.predict(x, num_threads=1)`` gives)."""
        if self._config is None or x.dtype != np.float32:
            return self._booster.predict(x, num_threads=1)
        x = np.ascontiguousarray(x)
        out = np.empty(len(x), dtype=np.float64)
        with self._lock:
            for i in range(len(x)):
                self._safe_call(self._lib.LGBM_BoosterPredictForMatSingleRowFast(
                    self._config, x[i].ctypes.data_as(ctypes.c_void_p), ctypes.byref(self._out_len),
                    ctypes.byref(self._out)))
                out[i] = self._out.value
        return out

    def __del__(self):
        if getattr(self, "_config", None) is not None:
            try:
                self._lib.LGBM_FastConfigFree(self._config)
            except Exception:
                pass
