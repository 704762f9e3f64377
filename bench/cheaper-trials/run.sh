#!/usr/bin/env bash
# Cheaper trials against today's trials on real containers: for each seed, a BO study with early stopping and
# live reconfiguration (the defaults) and the same study with both off, interleaved so machine drift hits both.
# Usage: bench/cheaper-trials/run.sh [model] [concurrency] [budget] [seeds...]   (default: marian 20 50 1 2 3)
# Then: npx tsx bench/cheaper-trials/analyze.ts <db>. Run it alone: other CPU load changes every latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-marian}; concurrency=${2:-20}; budget=${3:-50}
seeds=("${@:4}"); [ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3)
db=${DB:-bench/cheaper-trials/$model-c$concurrency-b$budget.db}
for seed in "${seeds[@]}"; do
  for mode in on off; do
    name="$model-c$concurrency-b$budget-s$seed-$mode"
    # The search's own cost is what is compared: no confirmation rounds after it (bench/confirmation has those).
    flags=(--confirm 0); [ "$mode" = off ] && flags+=(--early-stop off --reconfigure off)
    # A study already in the database is resumed (a no-op once complete), so an interrupted run continues.
    if [ -f "$db" ] && node bin/tune.mjs --db "$db" --resume "$name" 2>&1 | tail -2; then continue; fi
    node bin/tune.mjs --model "$model" --concurrency "$concurrency" --budget "$budget" --seed "$seed" --name "$name" --db "$db" "${flags[@]}" 2>&1 | tail -4
  done
done
echo "db: $db"
