#!/usr/bin/env bash
# Slingshot's training throughput next to llama.cpp's own llama-finetune, on the same GGUF, data, context and
# threads, alternating in one session (never two at once).
#
#   bench/compare-finetune.sh [--rounds N] [--threads N] [--ctx N] [--model FILE ...] [--data FILE] [--tokens N]
#                             [--out DIR] [--cli DIR]
#
# Defaults: 3 rounds, 2 threads, context 512, two models: stories260K (the real 260K-parameter model) and a
# random F32 Llama of the "small" create-model shape (4.2M parameters, vocabulary 4096, width 256, 4 layers),
# generated once into artifacts/models/; data: the first N tokens' worth (--tokens, default 120000 per model
# and tool, ~30-100 s a run here) of the gsm-arith task's problems as plain text, one paragraph each.
# Results under artifacts/bench-results/finetune-<date-time>/.
#
# Both tools train all F32 tensors with AdamW for one epoch, windows of --ctx tokens (n_batch = n_ubatch = ctx),
# 5% of the data held out. Measured: training tokens per second, validation excluded, model load excluded:
#   llama-finetune: windows x ctx / the time its progress line reports when the last training window is done
#                   (1-second resolution; runs of a minute or more keep that under 2%);
#   slingshot finetune --json: tokensPerSecond (windows x ctx / time spent inside llama_opt_epoch's training calls
#                   plus the per-step work around them: window copy, gradient reset, gradient norm every 10 steps).
# Note: llama-finetune windows its token stream with a stride of ctx/2 (overlapping windows); slingshot packs
# paragraphs into windows without overlap. Tokens per second counts every position of every window in both.
# Loss: both print the epoch's mean training loss and a validation loss on their held-out 5% (llama-finetune's
# last windows, slingshot's seeded sample of paragraphs), so the two validation losses are close in kind, not
# the same windows. Both learn at the same constant rate (1e-4; llama-finetune has no schedule).
# Run it under the CPU lock (flock /tmp/slingshot-cpu.lock bench/compare-finetune.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 threads=2 ctx=512 out="" cli="" data="" tokens=120000
models=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --ctx) ctx="$2"; shift 2 ;;
        --model) models+=("$2"); shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --tokens) tokens="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --cli) cli="$(cd "$2" && pwd)"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "compare-finetune: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
log() { echo "compare-finetune: $*" >&2; }

out="${out:-$root/artifacts/bench-results/finetune-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

bin="$("$root/bench/build-llama-finetune.sh" | tail -n 1)"
# shellcheck source=lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "$cli" || exit 1

if [[ ${#models[@]} -eq 0 ]]; then
    small="$root/artifacts/models/small-F32.gguf"
    if [[ ! -f "$small" ]]; then
        mkdir -p "$(dirname "$small")"
        slingshot create-model "$small.partial" --shape small --type F32 >/dev/null
        mv "$small.partial" "$small"
    fi
    models=("$root/../shared/models/stories260K/stories260K.gguf" "$small")
fi
if [[ -z "$data" ]]; then
    data="$out/problems.txt"
    python3 "$root/bench/specialize/generate_task.py" "$out/task" --train 20000 --dev 1 --test 1
    python3 - "$out/task/train.jsonl" "$data" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        p = json.loads(line)
        o.write(p["question"] + "\n" + p["answer"] + "\n\n")
PY
fi

# The same number of tokens for both tools: cut the text to about --tokens tokens (4 characters a token is
# close for these models; llama-finetune's stride doubles its windows, so it gets half the text).
cut_text() { python3 -c "import sys; t=open(sys.argv[1]).read(); n=int(sys.argv[2]); i=t.find('\n\n', n); open(sys.argv[3],'w').write(t[:i+2] if i>0 else t)" "$@"; }

seconds_of() { awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }' <<<"$1"; }

results="$out/results.jsonl"
: >"$results"
for model in "${models[@]}"; do
    name="$(basename "$model" .gguf)"
    cut_text "$data" $((tokens * 4)) "$out/$name-slingshot.txt"
    cut_text "$data" $((tokens * 2)) "$out/$name-llama.txt"
    for round in $(seq 1 "$rounds"); do
        log "$name round $round/$rounds: llama-finetune"
        LD_LIBRARY_PATH="$bin" nice -n 0 "$bin/llama-finetune" -m "$model" -f "$out/$name-llama.txt" -c "$ctx" -b "$ctx" -ub "$ctx" \
            -t "$threads" -tb "$threads" --epochs 1 -lr 1e-4 -o "$out/llama-out.gguf" >"$out/$name-llama-$round.log" 2>&1
        # The last progress line of the training pass: "train: [...] data=0000120/0000120 loss=... t=00:01:02 ETA=..."
        line="$(tr '\r' '\n' <"$out/$name-llama-$round.log" | grep '^train:' | tail -n 1)"
        windows="$(sed -n 's/.*data=0*\([0-9]*\)\/.*/\1/p' <<<"$line")"
        t="$(sed -n 's/.* t=\([0-9:]*\) .*/\1/p' <<<"$line")"
        secs="$(seconds_of "$t")"
        # The callback counts ubatches; one ubatch is one window here (ubatch = ctx).
        llama_tps="$(python3 -c "print($windows * $ctx / $secs)")"
        # Mean training loss of the epoch and the validation loss after it (the last train: and val: lines).
        llama_loss="$(sed -n 's/.* loss=\([0-9.naninf]*\).*/\1/p' <<<"$line")"
        llama_val="$(tr '\r' '\n' <"$out/$name-llama-$round.log" | grep '^val:' | tail -n 1 | sed -n 's/.* loss=\([0-9.naninf]*\).*/\1/p')"

        log "$name round $round/$rounds: slingshot finetune"
        rm -rf "$out/sl-out.gguf" "$out/sl-out.gguf.train"
        slingshot finetune -m "$model" --data "$out/$name-slingshot.txt" -o "$out/sl-out.gguf" --ctx "$ctx" -t "$threads" \
            --epochs 1 --lr 1e-4 --warmup 0 --decay constant --val-fraction 0.05 --json >"$out/$name-slingshot-$round.json" 2>"$out/$name-slingshot-$round.log"
        read -r sl_tps sl_loss sl_val < <(python3 -c "import json; r=json.load(open('$out/$name-slingshot-$round.json')); print(r['tokensPerSecond'], r['epochs'][0]['trainLoss'], r['finalValidation']['loss'])")
        echo "{\"model\":\"$name\",\"round\":$round,\"llamaFinetune\":$llama_tps,\"slingshot\":$sl_tps,\"llamaWindows\":$windows,\"llamaSeconds\":$secs,\"llamaTrainLoss\":${llama_loss:-null},\"llamaValidationLoss\":${llama_val:-null},\"slingshotTrainLoss\":$sl_loss,\"slingshotValidationLoss\":$sl_val}" >>"$results"
        log "$name round $round: llama-finetune $llama_tps tok/s (loss ${llama_loss:-?}, validation ${llama_val:-?}), slingshot $sl_tps tok/s (loss $sl_loss, validation $sl_val)"
    done
done

python3 - "$results" "$threads" "$ctx" <<'PY' | tee "$out/summary.json"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
summary = {"threads": int(sys.argv[2]), "ctx": int(sys.argv[3]), "models": []}
for model in dict.fromkeys(r["model"] for r in rows):
    mine = [r for r in rows if r["model"] == model]
    llama = statistics.median(r["llamaFinetune"] for r in mine)
    ours = statistics.median(r["slingshot"] for r in mine)
    last = mine[-1]
    summary["models"].append({"model": model, "llamaFinetuneTokensPerSecond": round(llama), "slingshotTokensPerSecond": round(ours),
                              "ratio": round(ours / llama, 3),
                              "llamaFinetuneLoss": {"train": last["llamaTrainLoss"], "validation": last["llamaValidationLoss"]},
                              "slingshotLoss": {"train": last["slingshotTrainLoss"], "validation": last["slingshotValidationLoss"]},
                              "rounds": mine})
print(json.dumps(summary, indent=2))
PY
