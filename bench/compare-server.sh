#!/usr/bin/env bash
# `slingshot serve` next to llama.cpp's own `llama-server`, on the same GGUF file, the same threads and the
# same number of parallel slots, over loopback, in one session, with the same load generator
# (`slingshot bench http`, which speaks plain OpenAI HTTP to either server).
#
#   bench/compare-server.sh [--rounds N] [--model FILE] [--endpoint chat|completions] [--chat-template NAME]
#                           [--threads N] [--slots N] [--ctx-per-slot N] [--max-tokens N] [--concurrency LIST]
#                           [--requests N] [--n N] [--n-requests N] [--prompt TEXT] [--port N] [--out DIR]
#                           [--kv-layout split|unified] [--cli DIR] [--llama-server-args "ARGS"] [--slingshot-args "ARGS"]
#                           [--bench-args "ARGS"]
#
# Defaults: 3 rounds; the generated llama-100m Q8_0 model (artifacts/models/, created if missing) through
# /v1/chat/completions with its own chat template; 2 threads; 16 slots of 256 context cells each; 128 tokens
# per answer at temperature 0; concurrency 1,4,16 with 32 requests per level; then n=8 samples of one prompt
# per request, 8 requests, one client. Results go under artifacts/bench-results/server-<date-time>/.
#
# The two servers get the same shape:
#   llama-server -m FILE -a bench -t T -tb T -np S -c S*P --no-webui --host 127.0.0.1 --port PORT
#   slingshot serve --model bench=FILE --threads T --sequences S --ctx S*P --split-kv --port PORT
# so both hold S*P KV cells, decode at most S sequences per step, and lay the cache out the same way:
# --kv-layout split (default) gives every sequence its own P cells, which is what llama-server does with an
# explicit -np; --kv-layout unified gives one pool of S*P cells shared by all (llama-server -kvu, Slingshot's
# library default). n=8 takes 8 slots in llama-server; Slingshot decodes the prompt once and forks it.
# --llama-server-args and --slingshot-args add options to either command line; --bench-args adds options to every
# `slingshot bench http` (e.g. "--workload multiturn" or "--workload sharedsystem", workloads whose requests share
# their beginnings, for the two prompt caches). --n-requests 0 skips the n-samples part. --chat-template NAME passes
# `--chat-template NAME` to llama-server and ChatTemplate NAME (through a configuration file) to Slingshot,
# for models without a template; the completions endpoint needs none.
#
# Each round starts one server, measures it, stops it, then does the same with the other (never two at once;
# the order alternates between rounds so drift of the machine does not favour one side). Per server and
# round: `slingshot bench http --concurrency LIST --requests N` and `slingshot bench http --n 8 --requests
# NREQ --concurrency 1`, each with its own warm-up. Every prompt starts with a request number, so neither
# server can reuse a cached prompt. Throughput counts the completion tokens the servers report (see
# `slingshot bench http --help`), so an answer that stops early counts what it produced.
#
# stdout: one JSON document (medians over rounds, every round's figures); stderr: progress and a markdown
# table, also written to OUT/summary.md; raw reports in OUT/round-K-{slingshot,llama-server}-{levels,n}.json,
# server logs beside them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
original_args="$*"
rounds=3 model="" endpoint=chat template="" threads=2 slots=16 per_slot=256 max_tokens=128 concurrency=1,4,16
requests=32 n=8 n_requests=8 prompt="" port=18431 out="" cli="" llama_args="" slingshot_args="" kv_layout=split bench_args=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        --endpoint) endpoint="$2"; shift 2 ;;
        --chat-template) template="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --slots) slots="$2"; shift 2 ;;
        --ctx-per-slot) per_slot="$2"; shift 2 ;;
        --max-tokens) max_tokens="$2"; shift 2 ;;
        --concurrency) concurrency="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --n) n="$2"; shift 2 ;;
        --n-requests) n_requests="$2"; shift 2 ;;
        --prompt) prompt="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --cli) cli="$(cd "$2" && pwd)"; shift 2 ;;
        --llama-server-args) llama_args="$2"; shift 2 ;;
        --slingshot-args) slingshot_args="$2"; shift 2 ;;
        --kv-layout) kv_layout="$2"; shift 2 ;;
        --bench-args) bench_args="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "compare-server: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$endpoint" == chat || "$endpoint" == completions ]] || { echo "compare-server: --endpoint is chat or completions" >&2; exit 2; }
ctx=$(( slots * per_slot ))
case "$kv_layout" in
    split) slingshot_args="--split-kv $slingshot_args" ;;
    unified) llama_args="-kvu $llama_args" ;;
    *) echo "compare-server: --kv-layout is split or unified" >&2; exit 2 ;;
esac
invocation="bench/compare-server.sh ${original_args} (kv layout: $kv_layout)"
url="http://127.0.0.1:$port"

log() { echo "compare-server: $*" >&2; }

out="${out:-$root/artifacts/bench-results/server-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# --- the programs ----------------------------------------------------------------------------------------
bin="$("$root/bench/build-llama-server.sh" | tail -n 1)"

# shellcheck source=lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "$cli" || exit 1
if [[ -z "$model" ]]; then
    model="$(default_bench_model)"
fi
[[ -f "$model" ]] || { log "no model at $model"; exit 1; }
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"   # the servers run in $out

if [[ -z "$prompt" ]]; then
    if [[ "$endpoint" == chat ]]; then
        prompt="Write a very long story about a little dragon who learns to bake bread with her grandmother. Describe every step in detail."
    else
        prompt="Once upon a time, there was a little dragon who lived with her grandmother in a small house near the woods. One day"
    fi
fi

# Slingshot's chat template override lives in its configuration file (there is no command-line switch for it).
config="$out/slingshot-serve.json"
python3 - "$config" "$model" "$template" <<'PY'
import json, sys
path, model, template = sys.argv[1:4]
entry = {"Name": "bench", "Path": model}
if template:
    entry["ChatTemplate"] = template
json.dump({"Slingshot": {"Models": [entry]}}, open(path, "w"), indent=2)
PY
llama_template=()
[[ -n "$template" ]] && llama_template=(--chat-template "$template")

# --- servers ---------------------------------------------------------------------------------------------
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

start_server() {   # side logfile
    local side="$1" logfile="$2"
    if curl -s -o /dev/null "$url/health"; then log "something already listens on $url; choose another --port"; exit 1; fi
    if [[ "$side" == llama-server ]]; then
        # The libraries sit beside the executable; the build's RUNPATH may name the folder it was built in.
        LD_LIBRARY_PATH="$bin" "$bin/llama-server" -m "$model" -a bench -t "$threads" -tb "$threads" -np "$slots" -c "$ctx" "${llama_template[@]}" $llama_args \
            --no-webui --host 127.0.0.1 --port "$port" >"$logfile" 2>&1 &
    else
        dotnet "$out/cli/Slingshot.Cli.dll" serve --config "$config" --threads "$threads" --sequences "$slots" --ctx "$ctx" $slingshot_args \
            --host 127.0.0.1 --port "$port" >"$logfile" 2>&1 &
    fi
    server_pid=$!
    for _ in $(seq 1 600); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health" || true)" == 200 ]]; then return 0; fi
        kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$logfile" >&2; log "$side exited before it was ready"; exit 1; }
        sleep 0.1
    done
    tail -n 20 "$logfile" >&2; log "$side did not become ready in 60 s"; exit 1
}

measure() {   # side round
    local side="$1" k="$2"
    log "round $k/$rounds: $side"
    start_server "$side" "$out/round-$k-$side-server.log"
    slingshot bench http --url "$url" --model bench --label "$side" --endpoint "$endpoint" --prompt "$prompt" \
        --concurrency "$concurrency" --requests "$requests" --max-tokens "$max_tokens" --temperature 0 --json $bench_args \
        --out "$out/round-$k-$side-levels.json" >/dev/null 2>"$out/round-$k-$side-levels.log" \
        || { tail -n 5 "$out/round-$k-$side-levels.log" >&2; log "$side: bench http failed"; }
    if (( n_requests > 0 )); then
        slingshot bench http --url "$url" --model bench --label "$side" --endpoint "$endpoint" --prompt "$prompt" \
            --concurrency 1 --requests "$n_requests" --n "$n" --max-tokens "$max_tokens" --temperature 0 --json \
            --out "$out/round-$k-$side-n.json" >/dev/null 2>"$out/round-$k-$side-n.log" \
            || { tail -n 5 "$out/round-$k-$side-n.log" >&2; log "$side: bench http --n $n failed"; }
    fi
    # The prefix cache's counters (lookups, hits, reused tokens, evictions) as the server saw the whole round.
    [[ "$side" == slingshot ]] && { curl -s "$url/metrics" | grep '^slingshot_engine_prefix_cache' >"$out/round-$k-$side-prefix-cache.txt" || true; }
    stop_server
}

# --- a quiet machine -------------------------------------------------------------------------------------
busy() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read -r b1 t1 < <(busy); sleep 2; read -r b2 t2 < <(busy)
pct=$(( (b2 - b1) * 100 / (t2 - t1 > 0 ? t2 - t1 : 1) ))
if (( pct > 15 )); then
    log "warning: the CPU is $pct% busy before the benchmark; other work on this machine will distort the figures"
fi

cd "$out"
for k in $(seq 1 "$rounds"); do
    if (( k % 2 == 1 )); then order=(slingshot llama-server); else order=(llama-server slingshot); fi
    for side in "${order[@]}"; do measure "$side" "$k"; done
done

# --- summary ---------------------------------------------------------------------------------------------
python3 - "$out" "$rounds" "$model" "$threads" "$slots" "$per_slot" "$endpoint" "$max_tokens" "$n" "$pct" "$invocation" <<'PY'
import json, os, statistics, sys

out, rounds, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
threads, slots, per_slot, endpoint, max_tokens, n, busy, invocation = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10]), sys.argv[11]
sides = ["slingshot", "llama-server"]
metrics = {"tokensPerSecond": lambda l: l["completionTokensPerSecond"], "p50Ms": lambda l: l["latency"]["p50Ms"],
           "p90Ms": lambda l: l["latency"]["p90Ms"], "p99Ms": lambda l: l["latency"]["p99Ms"],
           "tokensPerRequest": lambda l: l["meanCompletionTokens"], "promptTokens": lambda l: l["meanPromptTokens"],
           "errors": lambda l: l["errors"], "requests": lambda l: l["requests"], "usageAdjusted": lambda l: l["usageAdjusted"]}

def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)

# levels[key][side] = list over rounds of level dicts; key "c1", "c4", ..., and f"n{n}"
levels, owners = {}, {}
for k in range(1, rounds + 1):
    for side in sides:
        for part in ("levels", "n"):
            report = load(f"round-{k}-{side}-{part}.json")
            if report is None:
                continue
            owners[side] = report.get("ownedBy")
            for l in report["levels"]:
                key = f"n{l['n']}" if part == "n" else f"c{l['concurrency']}"
                levels.setdefault(key, {}).setdefault(side, []).append(l)

def order(key):
    return (1, int(key[1:])) if key.startswith("n") else (0, int(key[1:]))

result = {"model": os.path.basename(model), "modelBytes": os.path.getsize(model), "threads": threads, "slots": slots,
          "ctxPerSlot": per_slot, "endpoint": endpoint, "maxTokens": max_tokens, "rounds": rounds, "cpuBusyBeforePercent": busy,
          "command": invocation, "serverOwners": owners, "levels": {}}
rows = []
for key in sorted(levels, key=order):
    entry = {}
    for side in sides:
        runs = levels[key].get(side, [])
        if not runs:
            continue
        entry[side] = {name: {"median": statistics.median(f(l) for l in runs), "rounds": [f(l) for l in runs]} for name, f in metrics.items()}
    if all(s in entry for s in sides):
        s, l = entry["slingshot"], entry["llama-server"]
        tput = s["tokensPerSecond"]["median"] / l["tokensPerSecond"]["median"] if l["tokensPerSecond"]["median"] else float("nan")
        p99 = s["p99Ms"]["median"] / l["p99Ms"]["median"] if l["p99Ms"]["median"] else float("nan")
        # The same ratios within each round (the two servers measured minutes apart), then their median: this
        # cancels most of the drift between rounds.
        pairs = list(zip(s["tokensPerSecond"]["rounds"], l["tokensPerSecond"]["rounds"], s["p99Ms"]["rounds"], l["p99Ms"]["rounds"]))
        entry["ratios"] = {
            "throughput": tput, "p99": p99,
            "throughputPerRound": [a / b for a, b, _, _ in pairs if b], "p99PerRound": [c / d for _, _, c, d in pairs if d],
        }
        entry["ratios"]["throughputRoundMedian"] = statistics.median(entry["ratios"]["throughputPerRound"])
        entry["ratios"]["p99RoundMedian"] = statistics.median(entry["ratios"]["p99PerRound"])
        entry["targets"] = {"throughputAtLeastLlamaServer": tput >= 1.0, "p99AtMost1.1x": p99 <= 1.1}
    result["levels"][key] = entry
    label = f"n={key[1:]} (1 client)" if key.startswith("n") else f"{key[1:]} clients"
    def cell(side, name, fmt):
        return format(entry[side][name]["median"], fmt) if side in entry else "-"
    ratio = entry.get("ratios")
    rows.append(f"| {label} | {cell('slingshot', 'tokensPerSecond', '.1f')} | {cell('llama-server', 'tokensPerSecond', '.1f')} | "
                f"{format(ratio['throughput'], '.2f') if ratio else '-'} | "
                f"{cell('slingshot', 'p50Ms', '.0f')} / {cell('slingshot', 'p99Ms', '.0f')} | {cell('llama-server', 'p50Ms', '.0f')} / {cell('llama-server', 'p99Ms', '.0f')} | "
                f"{format(ratio['p99'], '.2f') if ratio else '-'} | {cell('slingshot', 'tokensPerRequest', '.1f')} / {cell('llama-server', 'tokensPerRequest', '.1f')} | "
                f"{cell('slingshot', 'errors', '.0f')} / {cell('llama-server', 'errors', '.0f')} |")

table = "\n".join([
    f"{os.path.basename(model)}, {endpoint}, {threads} threads, {slots} slots x {per_slot} cells, max_tokens {max_tokens}, temperature 0, "
    f"median of {rounds} rounds",
    "",
    "| load | Slingshot tok/s | llama-server tok/s | tok/s ratio | Slingshot p50 / p99 ms | llama-server p50 / p99 ms | p99 ratio | tokens/request (S / L) | errors (S / L) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    *rows,
])
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write(table + "\n")
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(result, f, indent=2)
print(table, file=sys.stderr)
print(json.dumps(result, indent=2))
PY
