#!/usr/bin/env bash
# Confirmation rounds on real containers: for each seed a BO study with the defaults (early stopping, live
# reconfiguration, and from a budget of 20 the best 3 configurations confirmed after the search).
# Usage: bench/confirmation/run.sh [model] [concurrency] [budget] [seeds...]   (default: marian 20 30 1 2 3)
# Then: npx tsx bench/confirmation/analyze.ts --db <db>. Run it alone: other CPU load changes every latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-marian}; concurrency=${2:-20}; budget=${3:-30}
seeds=("${@:4}"); [ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3)
db=${DB:-bench/confirmation/$model-c$concurrency-b$budget.db}
for seed in "${seeds[@]}"; do
  name="$model-c$concurrency-b$budget-s$seed"
  # A study already in the database is resumed (a no-op once complete), so an interrupted run continues.
  if [ -f "$db" ] && node bin/tune.mjs --db "$db" --resume "$name" 2>&1 | tail -2; then continue; fi
  node bin/tune.mjs --model "$model" --concurrency "$concurrency" --budget "$budget" --seed "$seed" --name "$name" --db "$db" 2>&1 | tail -12
done
echo "db: $db"
