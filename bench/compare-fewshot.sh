#!/usr/bin/env bash
# Few-shot evaluation with and without the prefix cache, and against llama-server (its prompt cache on),
# on the same GGUF, threads and parallel sequences: the wall time of one `slingshot eval` run each.
#
#   bench/compare-fewshot.sh [--rounds N] [--task NAME] [--limit N] [--max-tokens N] [--model FILE]
#                            [--threads N] [--slots N] [--ctx N] [--port N] [--out DIR] [--cli DIR]
#                            [--lock FILE] [--datasets DIR]
#
# Defaults: 2 rounds; gsm8k-cot (8 chain-of-thought exemplars before every problem), the first 64 problems,
# 32 tokens per answer at temperature 0, k = 1; the generated llama-100m Q8_0 model (artifacts/models/);
# 2 threads; 8 sequences decoded together and 8 calls in flight; 8192 KV cells; the benchmark files from
# --datasets DIR (default $SLINGSHOT_DATASETS, else ../shared/datasets when it exists, else eval's own cache).
#
# Per round, in an order that alternates between rounds so drift of the machine favours no side:
#   slingshot eval --task T -k 1 --limit L --max-tokens M --temperature 0 --concurrency S --threads T --sequences S --ctx C
#   the same with --no-prefix-cache
#   llama-server -m FILE -t T -tb T -np S -c 2C (prompt cache on, its default; S slots of 2C/S cells each: it
#   admits every request at once, so a shared pool of C cells, -kvu, overflows with S few-shot prompts), then
#   slingshot eval ... --endpoint http://127.0.0.1:PORT/v1 --endpoint-model bench --endpoint-concurrency S
# Each run gets a fresh store, so nothing is resumed. --lock FILE runs every measured command under
# `flock FILE` (a machine shared with other work). stdout: one JSON document (every run's wall seconds, the
# medians and the ratios); stderr: progress; the eval logs (with the prefix cache's counters) go to OUT.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=2 task=gsm8k-cot limit=64 max_tokens=32 model="" threads=2 slots=8 ctx=8192 port=18471 out="" cli="" lock="" datasets="${SLINGSHOT_DATASETS:-}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --task) task="$2"; shift 2 ;;
        --limit) limit="$2"; shift 2 ;;
        --max-tokens) max_tokens="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --slots) slots="$2"; shift 2 ;;
        --ctx) ctx="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --cli) cli="$(cd "$2" && pwd)"; shift 2 ;;
        --lock) lock="$2"; shift 2 ;;
        --datasets) datasets="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "compare-fewshot: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
log() { echo "compare-fewshot: $*" >&2; }
locked() { if [[ -n "$lock" ]]; then flock "$lock" "$@"; else "$@"; fi; }

out="${out:-$root/artifacts/bench-results/fewshot-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# shellcheck source=lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
if [[ -z "$cli" ]]; then
    log "building slingshot (Release)"
    locked dotnet build "$root/src/Slingshot.Cli" -c Release -v quiet >"$out/slingshot-build.log" 2>&1 \
        || { tail -n 20 "$out/slingshot-build.log" >&2; log "building slingshot failed"; exit 1; }
    cli="$(ls -d "$root"/src/Slingshot.Cli/bin/Release/net*/ | head -n 1)"
fi
prepare_slingshot_cli "$cli"
model="${model:-$(default_bench_model)}"
bin="$("$root/bench/build-llama-server.sh" | tail -n 1)"
url="http://127.0.0.1:$port"

[[ -z "$datasets" && -d "$root/../shared/datasets" ]] && datasets="$(cd "$root/../shared/datasets" && pwd)"
eval_args=(eval --task "$task" -k 1 --limit "$limit" --max-tokens "$max_tokens" --temperature 0 --concurrency "$slots" --json)
[[ -n "$datasets" ]] && eval_args+=(--datasets "$datasets")
local_args=(--model "$model" --threads "$threads" --sequences "$slots" --ctx "$ctx")

timed() {   # name round command...: runs the command, appends "name round seconds" to $out/times
    local name="$1" k="$2"; shift 2
    local start end
    start=$(date +%s.%N)
    "$@" >"$out/round-$k-$name.json" 2>"$out/round-$k-$name.log" || { tail -n 5 "$out/round-$k-$name.log" >&2; log "$name failed"; exit 1; }
    end=$(date +%s.%N)
    echo "$name $k $(echo "$end - $start" | bc)" >>"$out/times"
    log "round $k: $name $(echo "$end - $start" | bc) s"
}

run_cached() { timed cached "$1" locked dotnet "$out/cli/Slingshot.Cli.dll" "${eval_args[@]}" "${local_args[@]}" --store "$out/round-$1-cached.db"; }
run_uncached() { timed uncached "$1" locked dotnet "$out/cli/Slingshot.Cli.dll" "${eval_args[@]}" "${local_args[@]}" --no-prefix-cache --store "$out/round-$1-uncached.db"; }
run_llama_server() {   # the server starts, is measured and stops under one hold of the lock
    local k="$1"
    cat >"$out/llama-server-round.sh" <<EOF
set -euo pipefail
LD_LIBRARY_PATH="$bin" "$bin/llama-server" -m "$model" -a bench -t $threads -tb $threads -np $slots -c $(( 2 * ctx )) --no-webui --host 127.0.0.1 --port $port >"$out/round-$k-llama-server-server.log" 2>&1 &
pid=\$!
trap 'kill \$pid 2>/dev/null || true; wait \$pid 2>/dev/null || true' EXIT
for _ in \$(seq 1 600); do [[ "\$(curl -s -o /dev/null -w '%{http_code}' "$url/health" || true)" == 200 ]] && break; sleep 0.1; done
start=\$(date +%s.%N)
dotnet "$out/cli/Slingshot.Cli.dll" ${eval_args[*]} --endpoint "$url/v1" --endpoint-model bench --endpoint-concurrency $slots --store "$out/round-$k-llama-server.db" >"$out/round-$k-llama-server.json" 2>"$out/round-$k-llama-server.log"
end=\$(date +%s.%N)
echo "llama-server $k \$(echo "\$end - \$start" | bc)" >>"$out/times"
EOF
    locked bash "$out/llama-server-round.sh" || { tail -n 5 "$out/round-$k-llama-server.log" >&2; log "llama-server failed"; exit 1; }
    log "round $k: $(tail -n 1 "$out/times")"
}

: >"$out/times"
for k in $(seq 1 "$rounds"); do
    if (( k % 2 == 1 )); then order=(cached uncached llama_server); else order=(llama_server uncached cached); fi
    for side in "${order[@]}"; do "run_$side" "$k"; done
done

python3 - "$out" "$task" "$limit" "$max_tokens" "$threads" "$slots" "$ctx" "$model" <<'PY'
import json, os, re, statistics, sys
out, task, limit, max_tokens, threads, slots, ctx, model = sys.argv[1:9]
runs = {}
for line in open(os.path.join(out, "times")):
    name, k, seconds = line.split()
    runs.setdefault(name, []).append(float(seconds))
cache = {}
for k in range(1, 100):
    path = os.path.join(out, f"round-{k}-cached.log")
    if not os.path.exists(path):
        break
    m = re.search(r"prefix cache: (\d+) lookups, (\d+) hits, (\d+) prompt tokens reused, (\d+) evictions", open(path).read())
    if m:
        cache[k] = dict(zip(["lookups", "hits", "tokensReused", "evictions"], map(int, m.groups())))
median = {name: statistics.median(v) for name, v in runs.items()}
pairs = list(zip(runs.get("cached", []), runs.get("uncached", []), runs.get("llama-server", [])))
report = {
    "task": task, "limit": int(limit), "maxTokens": int(max_tokens), "threads": int(threads), "sequences": int(slots),
    "context": int(ctx), "model": os.path.basename(model), "wallSeconds": runs, "medianWallSeconds": median,
    "speedupOverUncached": [u / c for c, u, _ in pairs], "speedupOverLlamaServer": [l / c for c, _, l in pairs],
    "prefixCache": cache,
}
print(json.dumps(report, indent=2))
PY
