"""The model card (MODEL_DIR/CARD.md), generated from model.json and, when given, the suite
figures of benchmarks/model_eval.py, so that it never disagrees with what was measured."""
from __future__ import annotations

import json
import os


def _row(name: str, s: dict) -> str:
    return (f"| {name} | {s.get('accuracy', '')} | {s.get('precision', '')} | {s.get('recall', '')} | "
            f"{s.get('f1', '')} |")


def render(meta: dict, suites: dict | None = None) -> str:
    v = meta["validation"]
    fam = meta.get("families", {})
    out = [
        "# Model card: ompwise loop model",
        "",
        "**What it predicts.** For one C or C++ loop: the probability that a developer gives it a work-sharing "
        "OpenMP pragma (`parallel for`, `for`, `simd`, `taskloop`, ...), and, for loops that get one, whether the "
        f"pragma has each clause ({', '.join(meta.get('heads', {})) or 'none'}). It never decides legality: "
        "`advise` gives no pragma to a loop the analysis proves illegal, whatever the model says (model/gate.py).",
        "",
        f"**Trained** {meta.get('trained_at', '')} with seed {meta.get('seed')} by `{meta.get('command') or 'ompwise train'}` "
        f"in {meta.get('seconds')} s on the CPU.",
        "",
        "**Data.** " + ", ".join(f"{k}: {v2}" for k, v2 in (meta.get("sources") or {}).items()) + ". "
        f"Training: {meta['training']['loops']} loops ({meta['training']['positives']} with a pragma) from "
        f"{meta['training']['repositories']} repositories. Validation: {v['loops']} loops ({v['positives']} with a "
        "pragma) from other repositories (split by repository, never by loop). Every loop that also occurs in an "
        "evaluation set (normalized for comments, whitespace and identifiers) was dropped before training; see the "
        "dataset's CARD.md for the leakage report.",
        "",
        "**Features.** The analysis' facts about the loop with its pragmas removed (legality, every reason code, the "
        "first one, the recommendation's code, clause sets, collapse depth, trip count, nest depth, height and "
        "position, calls, dependences), text counts (tokens, subscripts, assignments, ifs, calls), and 2,048 hashed "
        "token unigrams and bigrams of the loop's code (model/features.py). Whether the loop sat in a parallel region "
        "is not a feature: it comes from the stripped pragmas and would leak the label.",
        "",
        "## Families compared on the validation split",
        "",
        "| family | PR-AUC | threshold | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
        *[f"| {k} | {s.get('pr_auc')} | {s.get('threshold')} | {s.get('precision')} | {s.get('recall')} | {s.get('f1')} |"
          for k, s in fam.items()],
        "",
        f"Shipped: **{meta.get('chosen')}**: " + meta.get("why", "it has the best PR-AUC of the single families, "
        "needs no scikit-learn or torch at inference (LightGBM's own predictor), explains itself per feature "
        "(`ompwise explain`), and predicts a file's loops in one batch."),
        "",
        f"Threshold {meta['threshold']} (best F1 on validation, after calibration; per kind of input: "
        f"{', '.join(f'{k} {v}' for k, v in (meta.get('thresholds') or {}).items()) or 'the same'}, where 'snippet' "
        "is a loop given alone, as in OMPify's records). A loop the analysis proves legal and recommends keeps its "
        "pragma unless the probability is below the veto, "
        f"{', '.join(f'{k} {v}' for k, v in (meta.get('veto') or {}).items()) or 'the threshold'}: the threshold, "
        "lowered where needed to keep 90 % of the validation loops the analysis recommends and a developer "
        "parallelized (a proof's recommendation stands unless the model is confident). Calibration: isotonic regression on "
        "validation, stored as a piecewise-linear map. Validation after calibration: "
        f"precision {v['precision']}, recall {v['recall']}, F1 {v['f1']}, PR-AUC {v['pr_auc']}.",
        "",
        "| probability bin | loops | mean probability | share parallelized |",
        "|---|---|---|---|",
        *[f"| {b['bin'][0]:.1f}-{b['bin'][1]:.1f} | {b['loops']} | {b['predicted']} | {b['observed']} |"
          for b in meta.get("reliability", [])],
        "",
        "## Clause heads (validation loops with a pragma)",
        "",
        "| clause | threshold | precision | recall | F1 | training positives |",
        "|---|---|---|---|---|---|",
        *[f"| {h} | {s['threshold']} | {s['validation']['precision']} | {s['validation']['recall']} | "
          f"{s['validation']['f1']} | {s['positives_train']} |" for h, s in meta.get("heads", {}).items()],
    ]
    if suites:
        out += ["", "## Suites (benchmarks/model_eval.py)", "",
                "| suite | accuracy | precision | recall | F1 |", "|---|---|---|---|---|"]
        for name, s in suites.get("with_model", {}).items():
            if "recommendation" in s:
                out.append(_row(f"{name} (model)", s["recommendation"]))
                out.append(_row(f"{name} (analysis alone)", suites["analysis_alone"][name]["recommendation"]))
        for side, label in (("with_model", "model"), ("analysis_alone", "analysis alone")):
            got = suites.get(side, {})
            if "realapps" in got:
                out.append(_row(f"realapps, authors' pragmas ({label})", got["realapps"]))
            h = got.get("hpcorpus", {}).get("ompwise")
            if h:
                for clause in ("private", "reduction"):
                    c = h[clause]
                    out.append(f"| HPCorpus-OMP `{clause}` ({label}) | | {c['P']} | {c['R']} | {c['F1']} |")
            if "drb-advice" in got:
                d = got["drb-advice"]
                out.append(f"| DataRaceBench drb-advice ({label}): {d['unsafe']} unsafe, {d['recovered']} of "
                           f"{d['no_files']} recovered | | | | |")
    out += [
        "",
        "## Known limits",
        "",
        "- Labels are what developers wrote, not ground truth: a developer's racy pragma is a positive, a legal loop "
        "left serial a negative. The analysis, not the model, is the judge of legality.",
        "- The corpus is small (about a thousand GitHub repositories, many of them course exercises): textbook "
        "kernels are over-represented, and loops in large scientific codes under-represented.",
        "- Features come from each file analyzed alone (no headers): calls into other files are unknown to it.",
        "- Probabilities are calibrated on the validation repositories (4 % of the corpus' loops have a pragma, 43 % "
        "of OMPify's); the `snippet` feature tells the two kinds of input apart. On whole projects with another share "
        "(the real applications: 17 %) the probabilities are low, and the veto drops authors' loops as well as setup "
        "loops: there the model does no better than the analysis alone (the suites above).",
        "- Inference costs about as much as the analysis of a loop given alone (benchmarks/speed.py).",
    ]
    return "\n".join(out) + "\n"


def write(model_dir: str, suites_json: str | None = None) -> str:
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as fh:
        meta = json.load(fh)
    suites = None
    if suites_json and os.path.isfile(suites_json):
        with open(suites_json, encoding="utf-8") as fh:
            suites = json.load(fh)
    path = os.path.join(model_dir, "CARD.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(meta, suites))
    return path
