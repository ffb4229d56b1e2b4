#!/usr/bin/env bash
# The cascade benchmark of docs/cascades.md: draws a small tier (stories260K, 5 samples at temperature 0.5,
# priced as a local model) and a large tier (the same model decoded greedily, priced as a hosted one) over
# the openers task, calibrates the agreement threshold on a development split for a target accuracy, and
# checks it on the held-out test split, for five split seeds.
#
#   bench/cascade/run.sh [STORE]     (default: artifacts/cascade/runs.db; the config lands beside it)
#
# One llama.cpp thread; the runs take a few seconds. Re-running resumes the stored runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
store="${1:-$root/artifacts/cascade/runs.db}"
config="$(dirname "$store")/cascade.json"
mkdir -p "$(dirname "$store")"
slingshot() { "$root/slingshot" "$@"; }

slingshot eval --task "$root/bench/cascade/openers.json" --run small -k 5 --temp 0.5 --threads 1 \
    --price-in 0.1 --price-out 0.1 --store "$store" > /dev/null
slingshot eval --task "$root/bench/cascade/openers.json" --run large -k 1 --temp 0 --threads 1 \
    --price-in 3 --price-out 15 --store "$store" > /dev/null
for seed in 1 2 3 4 5; do
    slingshot cascade calibrate --store "$store" --tier small:5 --tier large --escalation agreement \
        --target-accuracy 0.9 --split-seed "$seed" --config "$config"
done
slingshot cascade eval --config "$config"
