#!/usr/bin/env bash
# Why llama.cpp's optimizer "diverges" here, measured: the same model, data, context, threads and constant
# learning rate (AdamW 1e-3, no warm-up, no decay), trained three ways:
#   1. slingshot finetune (gradient accumulators zeroed after every optimizer step);
#   2. slingshot finetune with SLINGSHOT_TRAIN_UPSTREAM_GRADIENTS=1 (left as llama.cpp leaves them: every step's
#      gradient is the sum of all gradients since the start);
#   3. llama-finetune itself, built from the pinned source (bench/build-llama-finetune.sh).
# Model: a fresh 0.5M-parameter gsm-arith model (the small shape, word vocabulary, random weights); data: the
# first N problems of the task's train split as plain text. Prints loss and gradient norm by step.
#
#   bench/specialize/gradient-reset.sh [OUT_DIR] [PROBLEMS]      (defaults: artifacts/gradient-reset, 3000)
# Run it under the CPU lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/artifacts/gradient-reset}"
problems="${2:-3000}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log() { echo "gradient-reset: $*" >&2; }

bin="$("$root/bench/build-llama-finetune.sh" | tail -n 1)"
# shellcheck source=../lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "" || exit 1

python3 "$root/bench/specialize/generate_task.py" "$out/task" --train "$problems" --dev 1 --test 1
python3 - "$out/task/train.jsonl" "$out/problems.txt" <<'PY'
import json, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        p = json.loads(line)
        o.write(p["question"] + "\n" + p["answer"] + "\n\n")
PY
# The starting model: train's own initial model, written before its first step (--stop-after stops at the first checkpoint).
rm -rf "$out/init"
slingshot train --shape "embd=96,layers=4,heads=4,kv=4,ff=256,ctx=256" --tokenizer words --data "$out/problems.txt" \
    -o "$out/init/unused.gguf" --checkpoint-dir "$out/init" --ctx 256 -t 2 --epochs 1 --stop-after 0.0001 >/dev/null 2>&1 || true
model="$out/init/init.gguf"
[[ -f "$model" ]] || { log "no initial model"; exit 1; }

common=(-m "$model" --data "$out/problems.txt" --ctx 256 -t 2 --epochs 1 --lr 1e-3 --warmup 0 --decay constant --val-fraction 0.05 --grad-norm-every 1 --json)
for variant in reset upstream; do
    log "slingshot finetune ($variant)"
    rm -rf "$out/$variant.gguf" "$out/$variant.gguf.train"
    if [[ "$variant" == upstream ]]; then export SLINGSHOT_TRAIN_UPSTREAM_GRADIENTS=1; fi
    slingshot finetune "${common[@]}" -o "$out/$variant.gguf" >"$out/$variant.json" 2>"$out/$variant.log"
    unset SLINGSHOT_TRAIN_UPSTREAM_GRADIENTS
done
log "llama-finetune"
LD_LIBRARY_PATH="$bin" "$bin/llama-finetune" -m "$model" -f "$out/problems.txt" -c 256 -b 256 -ub 256 -t 2 -tb 2 \
    --epochs 1 -lr 1e-3 -o "$out/llama.gguf" >"$out/llama.log" 2>&1

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
def ours(name):
    steps = [json.loads(l) for l in open(f"{out}/{name}.gguf.train/log.jsonl")]
    return {e["step"]: e for e in steps if e["type"] == "step"}, next(e for e in steps if e["type"] == "validation" and e["epoch"] == 0)
def llama():
    # Progress lines carry the running mean loss over the epoch; the loss of window i is i*mean_i - (i-1)*mean_{i-1}.
    means = {}
    for line in open(f"{out}/llama.log", encoding="utf-8", errors="replace").read().replace("\r", "\n").splitlines():
        m = re.match(r"train: .*data=0*(\d+)/\d+ loss=([0-9.naninf]+)", line)
        if m:
            means[int(m.group(1))] = float(m.group(2))
    val = [l for l in open(f"{out}/llama.log", encoding="utf-8", errors="replace").read().replace("\r", "\n").splitlines() if l.startswith("val:")]
    return means, val[-1] if val else ""
reset, reset_val = ours("reset")
upstream, upstream_val = ours("upstream")
means, llama_val = llama()
def window_mean(steps, end, width=50):
    xs = [steps[s]["loss"] for s in range(max(1, end - width + 1), end + 1) if s in steps]
    return sum(xs) / len(xs) if xs else float("nan")
def llama_window(end, width=50):
    start = max(0, end - width)
    if end not in means or (start > 0 and start not in means):
        return float("nan")
    return (end * means[end] - start * means.get(start, 0)) / (end - start)
print("| step | loss, gradients reset | grad norm | loss, llama.cpp's gradients (ours) | grad norm | llama-finetune loss |")
print("|---:|---:|---:|---:|---:|---:|")
last = max(reset)
for s in [1, 10, 50, 100, 200, 400, 800, 1200, 1600, last]:
    if s > last:
        continue
    n1 = reset.get(s, {}).get("gradientNorm"); n2 = upstream.get(s, {}).get("gradientNorm")
    print(f"| {s} | {window_mean(reset, s):.3f} | {n1 or float('nan'):.3g} | {window_mean(upstream, s):.3f} | {n2 or float('nan'):.3g} | {llama_window(s):.3f} |")
print()
print(f"validation after the epoch: reset {reset_val['loss']:.3f} ({reset_val['accuracy']:.1%}), upstream {upstream_val['loss']:.3f} ({upstream_val['accuracy']:.1%}); llama-finetune: {llama_val.strip()}")
PY
