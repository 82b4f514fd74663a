"""The corpus pipeline: mine real OpenMP code into a loop dataset (sources -> per-file loop rows
with the analysis' facts and the authors' pragma as labels -> Parquet shards -> dedup, leakage
report, queries). Imports pyarrow/duckdb lazily: `check` never loads them."""
