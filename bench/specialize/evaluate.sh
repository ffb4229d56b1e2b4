#!/usr/bin/env bash
# The evidence on the gsm-arith task models (models/gsm-arith): the small model sampled k = 1..K times at
# temperature 0.7, the large model once greedily, both on the first LIMIT problems of the test split; then
# `slingshot compare` (the k at which small@k reaches large@1, and the cost there) and `slingshot report`.
#
#   bench/specialize/evaluate.sh [--k K] [--limit N] [--models DIR] [--out DIR]
#
# Defaults: K 64, LIMIT 100, the committed models, artifacts/gsm-arith-eval. Writes OUT/runs.db, OUT/*.json
# (summaries), OUT/compare.json and OUT/report.html / report.md. Run it under the CPU lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
k=64 limit=100 models="$root/models/gsm-arith" out="$root/artifacts/gsm-arith-eval"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --k) k="$2"; shift 2 ;;
        --limit) limit="$2"; shift 2 ;;
        --models) models="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "evaluate: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log() { echo "evaluate: $*" >&2; }
# shellcheck source=../lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "${SLINGSHOT_CLI_DIR:-}" || exit 1

task="$root/models/gsm-arith/task.json"
store="$out/runs.db"
common=(--task "$task" --limit "$limit" --store "$store" -t 2 --ctx 8192 --split-kv --json)
log "large: k=1 greedy"
slingshot eval "${common[@]}" -m "$models/large.gguf" -k 1 --temp 0 --run large-greedy >"$out/large.json"
log "small: k=1 greedy"
slingshot eval "${common[@]}" -m "$models/small.gguf" -k 1 --temp 0 --run small-greedy >"$out/small-greedy.json"
log "small: k=$k at temperature 0.7"
slingshot eval "${common[@]}" -m "$models/small.gguf" -k "$k" --temp 0.7 --run small-sampled >"$out/small.json"
slingshot compare small-sampled large-greedy --store "$store" --json >"$out/compare.json"
slingshot report "$store" -o "$out/report.html" --title "gsm-arith: small@k against large@1"
slingshot report "$store" -o "$out/report.md" --title "gsm-arith: small@k against large@1"
cat "$out/compare.json"
