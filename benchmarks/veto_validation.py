"""What the model's veto does on the corpus's validation files: precision, recall and F1 of the
analysis' recommendations against the developers' pragmas, without the veto and with it at a
few thresholds (the shipped one included), on the validation repositories of a built dataset.

    .venv/bin/ompwise corpus build ../shared/data/corpus -o /tmp/ds --jobs 2
    .venv/bin/python benchmarks/veto_validation.py /tmp/ds [--model DIR]

(DIR defaults to the shipped model; use the dataset it was trained from.)"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np


def main() -> None:
    import lightgbm as lgb
    from ompwise.model import shipped_model
    from ompwise.model.features import featurize
    from ompwise.model.train import load_dataset
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    model = args.model or shipped_model()
    rows = [r for r in load_dataset(args.dataset) if r["split"] == "valid"]
    with open(os.path.join(model, "model.json"), encoding="utf-8") as fh:
        meta = json.load(fh)
    raw = lgb.Booster(model_file=os.path.join(model, "omp.txt")).predict(featurize(rows))
    p = np.interp(raw, meta["calibration"]["x"], meta["calibration"]["y"])
    y = np.array([bool(r["l_omp"]) for r in rows])
    advised = np.array([bool(r["f_advice"]) for r in rows])

    def prf(pred):
        tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
        pr, rc = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(2 * pr * rc / max(pr + rc, 1e-9), 3)}
    veto = meta["veto"]["file"]
    out = {"loops": len(rows), "positives": int(y.sum()), "advised": int(advised.sum()), "no veto": prf(advised)}
    for t in sorted({0.01, veto, 0.05, 0.1, meta["thresholds"]["file"]}):
        out[f"veto {t}" + (" (shipped)" if t == veto else "")] = prf(advised & (p >= t))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
