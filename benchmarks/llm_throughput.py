"""Loops/s and latency of LLM requests at 1, 2 and 4 concurrent requests, against a local
llama-cpp-python server on 127.0.0.1 (started here, stopped by its PID) with the bundled
SmolLM2 model, using ompwise's own suggestion prompts for the loops of the LLM suite.

    python benchmarks/llm_throughput.py [--loops 16] [--max-tokens 48] [--server-threads 1]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ompwise.api import analyze_source, read_file  # noqa: E402
from ompwise.llm.backend import complete_all  # noqa: E402
from ompwise.llm.local import default_model  # noqa: E402
from ompwise.llm.openai_http import OpenAIHTTP  # noqa: E402
from ompwise.llm.prompts import suggest_messages  # noqa: E402
from tests.llm.conftest import LlamaServer  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loops", type=int, default=16)
    ap.add_argument("--max-tokens", type=int, default=48)
    args = ap.parse_args()
    import llm_suite
    prompts = []
    for path, _ in llm_suite.materialize(tempfile.mkdtemp(prefix="ompwise-llm-tp-"))[:args.loops]:
        sf = read_file(path)
        fa = analyze_source(sf.data, path, sf.language)
        prompts.append(suggest_messages(fa, next(a for a in fa.loops if a.loop.function == "kernel")))
    server = LlamaServer(default_model())
    rows = []
    try:
        for conc in (1, 2, 4):
            b = OpenAIHTTP(server.url, "smollm2", None, timeout_s=300, retries=0, concurrency=conc)
            b.complete(prompts[0], max_tokens=4)  # (warm: the first request loads the weights' pages)
            t0 = time.monotonic()
            lat = complete_all(b, prompts, lambda m: b.complete(m, max_tokens=args.max_tokens).seconds)
            wall = time.monotonic() - t0
            rows.append({"concurrency": conc, "loops": len(prompts), "wall_s": round(wall, 2),
                         "loops_per_s": round(len(prompts) / wall, 3),
                         "latency_median_s": round(statistics.median(lat), 3), "latency_max_s": round(max(lat), 3)})
            print(json.dumps(rows[-1]), flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
