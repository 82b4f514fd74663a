"""`ompwise train DATASET_DIR -o MODEL_DIR`: fit the model that says which loops a developer
parallelizes, and with which clauses, from the corpus dataset (and optionally OMPify's
validation split). Needs the `[train]` extra (lightgbm, scikit-learn, matplotlib).

Validation is by repository: the dataset's ``split`` column, else a stable hash of the repository
(10 % of repositories), so no repository is on both sides. The decision threshold and the
calibration map are fitted on validation data only; the evaluation sets never take part."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import time

import numpy as np

from .features import NAMES, VERSION as FEATURE_VERSION, featurize
from .heads import CLAUSE_HEADS, clause_targets

SEED = 20261207
VALID_SHARE = 0.10


def repo_split(repo: str) -> str:
    h = int.from_bytes(hashlib.blake2b(repo.encode(), digest_size=8).digest(), "big")
    return "valid" if (h % 1000) < VALID_SHARE * 1000 else "train"


def load_dataset(dataset_dir: str) -> list[dict]:
    """The rows of a dataset built by `ompwise corpus build` (its train.parquet and
    valid.parquet, whose ``split`` column is the repository split), or of any directory of
    Parquet files with the dataset's columns (split then by a hash of the repository)."""
    import pyarrow.parquet as pq
    built = [os.path.join(dataset_dir, f"{s}.parquet") for s in ("train", "valid")]
    files = [f for f in built if os.path.isfile(f)] or sorted(
        f for f in glob.glob(os.path.join(dataset_dir, "*.parquet")) if os.path.basename(f) != "removed.parquet")
    if not files:
        raise FileNotFoundError(f"{dataset_dir}: no train.parquet/valid.parquet (build one with 'ompwise corpus build')")
    rows: list[dict] = []
    for f in files:
        rows += pq.read_table(f).to_pylist()
    for r in rows:
        if r.get("split") not in ("train", "valid"):
            r["split"] = repo_split(r["repo"])
    return rows


def ompify_rows(path: str, exclude_keys: set[str] = frozenset()) -> list[dict]:
    """OMPify records as dataset rows: each loop analyzed alone, as `evaluate ompify` sees it;
    labels from the record ('exist', and the clauses of its 'pragma')."""
    from ..api import Options, analyze_source
    from ..corpus.extract import fact_rows, pragma_labels
    from ..corpus.normalize import loop_key
    from ..evaluate.ompify import unit
    from ..frontend.ir import OmpPragma
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if exclude_keys and loop_key(rec["code"]) in exclude_keys:
                continue
            data = unit(rec["code"])
            fa = analyze_source(data, "loop.c", "c", Options(read_headers=False, snippet=True))
            rows = fact_rows(fa.loops, fa.tu, data)
            top = next((r for r, a in zip(rows, fa.loops) if a.loop.parent is None), None)
            if top is None:
                continue
            prag = rec.get("pragma", "").strip().lstrip("#").strip()
            prag = prag[len("pragma"):].strip() if prag.startswith("pragma") else prag
            labels = pragma_labels(OmpPragma(prag, 1, "", "") if rec.get("exist") and prag else None)
            labels["l_omp"] = bool(rec.get("exist"))
            parts = rec.get("path", "").split("/")
            repo = "/".join(parts[-4:-2]) if len(parts) >= 4 else rec.get("path", "")
            top.update(labels, repo="ompify:" + repo, commit="", path=rec.get("path", ""), lang="c", file_sha256="")
            top["split"] = repo_split(top["repo"])
            out.append(top)
    return out


def _lgb_params(seed: int, objective: str = "binary", **extra) -> dict:
    return dict(objective=objective, learning_rate=0.05, num_leaves=63, min_data_in_leaf=20,
                feature_fraction=0.3, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0,
                seed=seed, deterministic=True, num_threads=os.cpu_count() or 1, verbose=-1, **extra)


def _fit_lgb(x, y, xv, yv, seed: int, rounds: int = 600, **extra):
    import lightgbm as lgb
    dtrain = lgb.Dataset(x, y, feature_name=[f"f{k}_" + re.sub(r"[^A-Za-z0-9_]", "_", n) for k, n in enumerate(NAMES)], free_raw_data=False)
    dvalid = lgb.Dataset(xv, yv, reference=dtrain)
    params = _lgb_params(seed, **extra)
    return lgb.train(params, dtrain, num_boost_round=rounds, valid_sets=[dvalid],
                     callbacks=[lgb.early_stopping(50, verbose=False)])


def _fit_mlp(x, y, seed: int):
    """The second family: a small neural network (one hidden layer) on the same inputs."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    net = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64,), alpha=1e-3, batch_size=256,
                                                         max_iter=20, early_stopping=True, random_state=seed))
    return net.fit(x, y)


def scores(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    guess = p >= threshold
    tp = int(np.sum(guess & (y == 1)))
    fp = int(np.sum(guess & (y == 0)))
    fn = int(np.sum(~guess & (y == 1)))
    tn = int(np.sum(~guess & (y == 0)))
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    return {"accuracy": round((tp + tn) / max(len(y), 1), 4), "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / max(prec + rec, 1e-9), 4), "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold with the best F1 on validation data."""
    best, at = -1.0, 0.5
    for t in np.linspace(0.05, 0.95, 91):
        f = scores(y, p, t)["f1"]
        if f > best:
            best, at = f, float(t)
    return round(at, 3)


VETO_KEEP = 0.90  # share of the validation loops a developer parallelized, among those the analysis recommends, a veto keeps


def veto_threshold(y: np.ndarray, p: np.ndarray, advised: np.ndarray, decision: float) -> float:
    """Below which probability the model overrules a pragma the analysis proved legal and
    recommends: the decision threshold, but never so high that it drops more than 10 % of the
    validation loops that the analysis recommends and a developer parallelized (a proof's
    recommendation stands unless the model is confident)."""
    hits = p[advised & (y == 1)]
    if len(hits) == 0:
        return decision
    return round(min(decision, float(np.quantile(hits, 1 - VETO_KEEP))), 4)


def calibration_map(y: np.ndarray, p: np.ndarray, bins: int = 20) -> tuple[list[float], list[float]]:
    """Isotonic regression of the labels on the raw probabilities, stored as a piecewise-linear
    table (no scikit-learn needed to apply it)."""
    from sklearn.isotonic import IsotonicRegression
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(p, y)
    xs = np.unique(np.concatenate([[0.0, 1.0], np.quantile(p, np.linspace(0, 1, bins + 1))]))
    return [round(float(v), 6) for v in xs], [round(float(v), 6) for v in iso.predict(xs)]


def pr_auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score
    return round(float(average_precision_score(y, p)), 4) if y.any() else 0.0


def train(rows: list[dict], out_dir: str, seed: int = SEED, command: str = "", sources: dict | None = None,
          log=print) -> dict:
    t0 = time.time()
    tr = [r for r in rows if r["split"] == "train"]
    va = [r for r in rows if r["split"] == "valid"]
    if not tr or not va:
        raise ValueError("the dataset needs loops on both sides of the repository split")
    log(f"featurizing {len(tr)} training and {len(va)} validation loops")
    x, xv = featurize(tr), featurize(va)
    y = np.array([bool(r["l_omp"]) for r in tr], dtype=np.int32)
    yv = np.array([bool(r["l_omp"]) for r in va], dtype=np.int32)
    log("fitting LightGBM")
    gbm = _fit_lgb(x, y, xv, yv, seed)
    pg = gbm.predict(xv, num_iteration=gbm.best_iteration)
    log("fitting the neural network")
    mlp = _fit_mlp(x, y, seed)
    pm = mlp.predict_proba(xv)[:, 1]
    families = {
        "lightgbm": {"pr_auc": pr_auc(yv, pg), **scores(yv, pg, best_threshold(yv, pg)), "threshold": best_threshold(yv, pg)},
        "mlp": {"pr_auc": pr_auc(yv, pm), **scores(yv, pm, best_threshold(yv, pm)), "threshold": best_threshold(yv, pm)},
        "ensemble": {"pr_auc": pr_auc(yv, (pg + pm) / 2), "threshold": best_threshold(yv, (pg + pm) / 2),
                     **scores(yv, (pg + pm) / 2, best_threshold(yv, (pg + pm) / 2))},
    }
    log(f"validation: {json.dumps(families)}")
    xs, ys = calibration_map(yv, pg)
    calibrated = np.interp(pg, xs, ys)
    threshold = best_threshold(yv, calibrated)
    # loops given alone (OMPify-style records) and loops in whole files differ in how many a
    # developer parallelized: each kind gets the threshold that is best on its own validation loops
    snip = np.array([bool(r.get("snippet")) for r in va])
    thresholds = {"file": best_threshold(yv[~snip], calibrated[~snip]) if (~snip).any() else threshold,
                  "snippet": best_threshold(yv[snip], calibrated[snip]) if snip.any() else threshold}
    advised = np.array([bool(r["f_advice"]) for r in va])
    veto = {kind: veto_threshold(yv[m], calibrated[m], advised[m], thresholds[kind])
            for kind, m in (("file", ~snip), ("snippet", snip))}
    os.makedirs(out_dir, exist_ok=True)
    gbm.save_model(os.path.join(out_dir, "omp.txt"), num_iteration=gbm.best_iteration)
    heads = {}
    pos_tr = [r for r in tr if r["l_omp"]]
    pos_va = [r for r in va if r["l_omp"]]
    xp, xpv = featurize(pos_tr), featurize(pos_va)
    for name in CLAUSE_HEADS:
        yt, yvt = clause_targets(pos_tr, name), clause_targets(pos_va, name)
        if yt.sum() < 5 or yvt.sum() < 1:
            continue
        b = _fit_lgb(xp, yt, xpv, yvt, seed, rounds=300)
        pv = b.predict(xpv, num_iteration=b.best_iteration)
        t = best_threshold(yvt, pv)
        b.save_model(os.path.join(out_dir, f"clause-{name}.txt"), num_iteration=b.best_iteration)
        heads[name] = {"threshold": t, "validation": scores(yvt, pv, t), "positives_train": int(yt.sum())}
    meta = {
        "format": 1, "feature_version": FEATURE_VERSION, "features": len(NAMES), "seed": seed,
        "threshold": threshold, "thresholds": thresholds, "veto": veto, "calibration": {"x": xs, "y": ys}, "heads": heads, "families": families,
        "chosen": "lightgbm", "validation": {"loops": len(va), "positives": int(yv.sum()),
                                             **scores(yv, calibrated, threshold), "pr_auc": pr_auc(yv, calibrated)},
        "training": {"loops": len(tr), "positives": int(y.sum()), "repositories": len({r["repo"] for r in tr})},
        "sources": sources or {}, "command": command, "trained_at": time.strftime("%Y-%m-%d"),
        "seconds": round(time.time() - t0, 1),
        "reliability": reliability(yv, calibrated),
    }
    with open(os.path.join(out_dir, "model.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    from .card import write
    write(out_dir)
    return meta


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    """Per probability bin: loops, mean predicted probability, observed share of positives."""
    out = []
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        m = (p >= lo) & ((p < hi) if k < bins - 1 else (p <= hi))
        if m.any():
            out.append({"bin": [lo, hi], "loops": int(m.sum()), "predicted": round(float(p[m].mean()), 4),
                        "observed": round(float(y[m].mean()), 4)})
    return out


def run(dataset_dir: str, out_dir: str, ompify_valid: str | None = None, data_dir: str | None = None,
        seed: int | None = None, command: str = "", log=print) -> dict:
    """The whole of `ompwise train`: load, add OMPify's validation split if asked, fit, write."""
    rows = load_dataset(dataset_dir)
    sources = {"dataset": os.path.abspath(dataset_dir), "dataset_loops": len(rows)}
    if ompify_valid:
        exclude = _evaluation_keys(data_dir, exclude_set="valid") if data_dir else set()
        extra = ompify_rows(ompify_valid, exclude)
        log(f"OMPify valid: {len(extra)} loops added ({len(exclude)} evaluation keys excluded)")
        sources["ompify_valid"] = {"path": os.path.abspath(ompify_valid), "loops": len(extra)}
        rows += extra
    return train(rows, out_dir, SEED if seed is None else seed, command=command, sources=sources, log=log)


def _evaluation_keys(data_dir: str, exclude_set: str) -> set[str]:
    """Normalized keys of every evaluation loop, except those of the named set (the one trained on)."""
    from ..corpus.evalsets import EvalIndex
    index = EvalIndex.load(data_dir)
    return {k for k, sets in index.items() if any(exclude_set not in s for s in sets)}
