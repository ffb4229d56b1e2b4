#!/usr/bin/env bash
# Self-distillation (STaR / rejection-sampling fine-tuning) and teacher distillation on gsm-arith:
#   1. the small model samples k times at temperature 0.7 on N train-split problems neither model was trained on
#      (train problems 20,000 onwards; the models saw the first 14,000 and 10,000);
#   2. `slingshot distill` fine-tunes the small model on its own verified samples (at most M per problem), and
#      evaluates it greedily on the first LIMIT test problems before and after;
#   3. the large model samples the same problems, and the small model is distilled from its verified samples.
#
#   bench/specialize/distill.sh [--problems N] [--k K] [--per-problem M] [--limit LIMIT] [--out DIR]
#
# Defaults: N 500, K 8, M 2, LIMIT 100, artifacts/gsm-arith-distill. Run it under the CPU lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
problems=500 k=8 per=2 limit=100 out="$root/artifacts/gsm-arith-distill"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --problems) problems="$2"; shift 2 ;;
        --k) k="$2"; shift 2 ;;
        --per-problem) per="$2"; shift 2 ;;
        --limit) limit="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "distill: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log() { echo "distill: $*" >&2; }
# shellcheck source=../lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "${SLINGSHOT_CLI_DIR:-}" || exit 1

models="$root/models/gsm-arith"
# Train problems 20,000.. (the generator's train split is the same for any count, in order).
if [[ ! -f "$out/unseen.jsonl" ]]; then
    python3 "$root/bench/specialize/generate_task.py" "$out/split" --train $((20000 + problems)) --dev 300 --test 500
    tail -n "$problems" "$out/split/train.jsonl" >"$out/unseen.jsonl"
    rm -rf "$out/split"
fi
cat >"$out/unseen.json" <<EOF
{"name": "gsm-arith-train-unseen", "data": "unseen.jsonl", "prompt": "{question}", "reference": "final",
 "extractor": "gsm8k-strict", "verifier": "match", "id": "id", "maxTokens": 256}
EOF
store="$out/runs.db"
train=(--ctx 512 -t 2 --epochs 1 --lr 3e-4 --val-fraction 0.05 --per-problem "$per" --store "$store"
       --train-task "$out/unseen.json" --eval-task "$models/task.json" --eval-limit "$limit" --json)

log "small samples the unseen train problems (k=$k, T=0.7)"
slingshot eval --task "$out/unseen.json" -m "$models/small.gguf" -k "$k" --temp 0.7 --ctx 8192 --split-kv -t 2 --store "$store" --run small-unseen --json >"$out/small-unseen.json"
log "self-distillation"
rm -rf "$out/small-star.gguf" "$out/small-star.gguf.train"
slingshot distill -m "$models/small.gguf" --run small-unseen -o "$out/small-star.gguf" "${train[@]}" >"$out/star.json"

log "large samples the unseen train problems (k=$k, T=0.7)"
slingshot eval --task "$out/unseen.json" -m "$models/large.gguf" -k "$k" --temp 0.7 --ctx 8192 --split-kv -t 2 --store "$store" --run large-unseen --json >"$out/large-unseen.json"
log "teacher distillation"
rm -rf "$out/small-teacher.gguf" "$out/small-teacher.gguf.train"
slingshot distill -m "$models/small.gguf" --run large-unseen -o "$out/small-teacher.gguf" "${train[@]}" >"$out/teacher.json"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for name in ("star", "teacher"):
    r = json.load(open(f"{out}/{name}.json"))
    before, after = r.get("before") or {}, r.get("after") or {}
    cov = lambda s: s["curve"][-1]["coverage"] if s else float("nan")
    print(f"{name}: {r['examples']} examples of {r['problems']} problems; test pass@1 {cov(before):.1%} -> {cov(after):.1%}; "
          f"validation loss {r['training']['initialValidation']['loss']:.3f} -> {r['training']['finalValidation']['loss']:.3f}")
PY
