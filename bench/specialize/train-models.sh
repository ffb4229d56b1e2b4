#!/usr/bin/env bash
# Reproduces the gsm-arith task models committed under models/gsm-arith/ (within noise: the runs are seeded,
# but thread scheduling can change the last bits of a sum):
#   small.gguf: ~0.57M parameters, trained from scratch on the first 14,000 train problems, one epoch;
#   large.gguf: ~2.9M parameters, trained from scratch on the first 10,000 train problems, one epoch, then
#               quantized to Q8_0 so the file stays a few MB.
# Both use a word vocabulary built from the data (--tokenizer words: characters, frequent words and symbol runs,
# digits one token each), ChatML (the eval runner sends chat messages), windows of 256 tokens, AdamW with 5%
# warm-up and cosine decay to a tenth of the peak, 2 threads. CPU budget: about 10 minutes (small) and 20 minutes
# (large) on the 2-core AVX2 machines; the figures are in docs/benchmarks.md ("Task models trained here").
#
#   bench/specialize/train-models.sh [small|large|all] [OUT_DIR]     (defaults: all, artifacts/gsm-arith-models)
#
# Writes OUT_DIR/{small,large}.gguf with their .train folders (log.jsonl, report.html); copy them to
# models/gsm-arith/ to update the committed ones. Run it under the CPU lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
which="${1:-all}"
out="${2:-$root/artifacts/gsm-arith-models}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log() { echo "train-models: $*" >&2; }
# shellcheck source=../lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "${SLINGSHOT_CLI_DIR:-}" || exit 1

# The train split: the generator's first N train problems are the same for any N (fixed seeds, in order).
data="$out/data"
if [[ ! -f "$data/train-chat.jsonl" ]]; then
    python3 "$root/bench/specialize/generate_task.py" "$data" --train 20000
fi

# RESUME=1 continues a run stopped by STOP_AFTER=MINUTES (or Ctrl-C, or a kill) from its last checkpoint, so a
# long run can be split into sessions that each hold the CPU for a while.
train() {   # NAME PROBLEMS SHAPE LR
    local name="$1" problems="$2" shape="$3" lr="$4"
    local extra=(--checkpoint-every 2)
    [[ -n "${STOP_AFTER:-}" ]] && extra+=(--stop-after "$STOP_AFTER")
    if [[ "${RESUME:-}" == 1 ]]; then
        extra+=(--resume)
    else
        head -n "$problems" "$data/train-chat.jsonl" >"$out/$name-train.jsonl"
        rm -rf "$out/$name.gguf" "$out/$name.gguf.train"
    fi
    log "$name: $shape on $problems problems"
    slingshot train --shape "$shape" --tokenizer words --template chatml --name "gsm-arith-$name" \
        --data "$out/$name-train.jsonl" --val-fraction 0.02 -o "$out/$name.gguf" \
        --ctx 512 -t 2 --epochs 1 --lr "$lr" --grad-norm-every 50 "${extra[@]}" --json >"$out/$name.json"
}

if [[ "$which" == small || "$which" == all ]]; then
    train small 14000 "embd=96,layers=4,heads=4,kv=4,ff=256,ctx=512" 1e-3
fi
if [[ "$which" == large || "$which" == all ]]; then
    train large 10000 "embd=192,layers=6,heads=6,kv=6,ff=512,ctx=512" 6e-4
    if [[ -f "$out/large.gguf" ]]; then
        slingshot quantize "$out/large.gguf" "$out/large-Q8_0.gguf" --type Q8_0 >/dev/null
    fi
fi
