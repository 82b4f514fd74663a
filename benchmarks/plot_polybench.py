"""Bar chart of PolyBench speedups per kernel from `ompwise evaluate polybench --format json`.

    .venv/bin/ompwise evaluate polybench --data ../shared/data/bench/polybench --dataset MEDIUM --repeat 5 \
        --format json > polybench.json
    .venv/bin/pip install matplotlib   # only this script needs it
    .venv/bin/python benchmarks/plot_polybench.py polybench.json benchmarks/polybench_speedup.png
"""
import json
import sys


def main() -> int:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    src, out = sys.argv[1], sys.argv[2]
    d = json.load(open(src))
    ks = [r["kernel"] for r in d["kernels"]]
    variants = [("ompwise", "#1f77b4"), ("hand", "#ff7f0e"), ("gcc", "#2ca02c"), ("polly", "#d62728")]
    fig, ax = plt.subplots(figsize=(14, 5))
    w = 0.2
    for i, (v, c) in enumerate(variants):
        ys = [(r.get(v) or {}).get("speedup") or 0.0 if (r.get(v) or {}).get("match") else 0.0 for r in d["kernels"]]
        ax.bar([x + (i - 1.5) * w for x in range(len(ks))], ys, w, label=f"{v} (geomean {d['geomean_speedup'][v]})", color=c)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(ks)))
    ax.set_xticklabels(ks, rotation=60, ha="right")
    ax.set_ylabel(f"speedup over serial, {d['threads']} threads")
    ax.set_title(f"PolyBench/C 4.2.1, {d['dataset']} dataset (0 = output differs from serial)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
