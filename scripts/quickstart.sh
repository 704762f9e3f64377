#!/usr/bin/env bash
# A first real study in a few minutes: sets the machine up, tunes the Marian translator (synthetic weights:
# latency and memory are realistic, translations are meaningless) for 8 trials, then writes plots and a report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

db=.cache/quickstart.db
study="quickstart-$(date -u +%Y%m%d-%H%M%S)"
out="reports/$study"
tune() { node bin/tune.mjs "$@"; }

tune models build --model marian --precision fp32,int8
tune --model marian --concurrency 8 --budget 8 --duration 5 --warmup 2 --db "$db" --name "$study"
tune plot --study "$study" --db "$db" --out "$out"
tune report --study "$study" --db "$db" --out "$out/report.html"
echo "quickstart: plots and report in $out (open $out/report.html)"
