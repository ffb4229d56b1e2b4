#!/usr/bin/env bash
# Slingshot's engine throughput next to llama.cpp's own benchmarks, on the same GGUF file, in one session.
#
#   bench/compare-llama-bench.sh [--rounds N] [--reps N] [--threads N] [--model FILE] [--out DIR]
#                                [--cli DIR] [--no-batched] [--no-prebuilt]
#
# Defaults: 3 rounds, 3 repetitions, 2 threads, the generated llama-100m Q8_0 model (random weights, created
# once into artifacts/models/), results under artifacts/bench-results/<date-time>/. Slingshot is built through
# ./slingshot (Release) unless --cli names an already-built Slingshot.Cli output folder (e.g. an OUT/cli of an
# earlier run); either way a private copy is run.
#
# Each round runs, one after the other (never two at once):
#   1. llama-bench -p 512 -n 128 -t T -r R -o json, built from the pinned source (bench/build-llama-bench.sh);
#   2. the same llama-bench executable run against node-llama-cpp's prebuilt libraries, the very files
#      Slingshot loads (libllama, libggml, the libggml-cpu-<variant> ggml chooses) -- unless --no-prebuilt;
#   3. llama-batched-bench -npp 16 -ntg 128 -npl 1,4,16 -pps -kvu -c 2080, R times: the prompt decoded once and
#      shared by all sequences, one llama_decode per step for all of them, the context Slingshot's bench uses
#      -- unless --no-batched;
#   4. slingshot bench --threads T -p 512 -g 128 --samples 1,4,16 -r R --json.
# Per round each figure is the median of its repetitions; the summary takes the median over rounds and keeps
# every individual run (for the spread). stdout: one JSON document; stderr: progress and a markdown table
# (also written to OUT/summary.md, the JSON to OUT/summary.json, raw outputs to OUT/round-*.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 reps=3 threads=2 model="" out="" cli="" batched=1 prebuilt=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --cli) cli="$(cd "$2" && pwd)"; shift 2 ;;
        --no-batched) batched=0; shift ;;
        --no-prebuilt) prebuilt=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "compare-llama-bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
prompt=512 gen=128 samples=1,4,16 shared_prompt=16
widest=16
ctx=$(( (prompt > shared_prompt + widest * gen ? prompt : shared_prompt + widest * gen) + 16 ))   # as Slingshot's bench sizes its context

log() { echo "compare-llama-bench: $*" >&2; }
quiet() { nice -n 10 "$@" >/dev/null; }

out="${out:-$root/artifacts/bench-results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# --- the tools -------------------------------------------------------------------------------------------
bin="$("$root/bench/build-llama-bench.sh" | tail -n 1)"
version="$(sed -n 's:.*<LlamaNpmVersion>\(.*\)</LlamaNpmVersion>.*:\1:p' "$root/Directory.Build.props")"
bins="$root/artifacts/llama/$version/bins"

# shellcheck source=lib/slingshot-cli.sh
source "$root/bench/lib/slingshot-cli.sh"
prepare_slingshot_cli "$cli" || exit 1
if [[ -z "$model" ]]; then
    model="$(default_bench_model)"
fi
[[ -f "$model" ]] || { log "no model at $model"; exit 1; }
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"   # the rounds run in $out

# The same llama-bench executable against the prebuilt libraries: a folder holding a copy of the executables
# (ggml looks for its CPU backends beside the executable) and links named as the executables expect.
pre="$(dirname "$bin")/../prebuilt"
if [[ $prebuilt == 1 ]]; then
    mkdir -p "$pre"
    cp -f "$bin/llama-bench" "$pre/"
    ln -sf "$bins/libllama.v0.5.0.so" "$pre/libllama.so"
    ln -sf "$bins/libggml.v0.5.0.so" "$pre/libggml.so"
    ln -sf "$bins/libggml-base.so" "$pre/libggml-base.so"
    ln -sf "$bins/libllama-common.so" "$pre/libllama-common.so"
    for f in "$bins"/libggml-cpu-*.so; do ln -sf "$f" "$pre/"; done
    pre="$(cd "$pre" && pwd)"
fi

# --- a quiet machine -------------------------------------------------------------------------------------
# CPU busy over two seconds (the load average would still count our own build above).
busy() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read -r b1 t1 < <(busy); sleep 2; read -r b2 t2 < <(busy)
pct=$(( (b2 - b1) * 100 / (t2 - t1 > 0 ? t2 - t1 : 1) ))
if (( pct > 15 )); then
    log "warning: the CPU is $pct% busy before the benchmark; other work on this machine will distort the figures"
fi

# --- rounds ----------------------------------------------------------------------------------------------
cd "$out"   # no ggml backend in the working directory
for round in $(seq 1 "$rounds"); do
    log "round $round/$rounds: llama-bench (source build)"
    "$bin/llama-bench" -m "$model" -p "$prompt" -n "$gen" -t "$threads" -r "$reps" -o json >"round-$round-llama-bench.json" 2>"round-$round-llama-bench.log"
    if [[ $prebuilt == 1 ]]; then
        log "round $round/$rounds: llama-bench (prebuilt libraries)"
        LD_LIBRARY_PATH="$pre" "$pre/llama-bench" -m "$model" -p "$prompt" -n "$gen" -t "$threads" -r "$reps" -o json \
            >"round-$round-llama-bench-prebuilt.json" 2>"round-$round-llama-bench-prebuilt.log"
    fi
    if [[ $batched == 1 ]]; then
        log "round $round/$rounds: llama-batched-bench x$reps"
        : >"round-$round-batched-bench.jsonl"
        for _ in $(seq 1 "$reps"); do
            "$bin/llama-batched-bench" -m "$model" -c "$ctx" -b 2048 -ub 512 -npp "$shared_prompt" -ntg "$gen" -npl "$samples" \
                -pps -kvu -t "$threads" --output-format jsonl 2>"round-$round-batched-bench.log" | grep '^{' >>"round-$round-batched-bench.jsonl"
        done
    fi
    log "round $round/$rounds: slingshot bench"
    slingshot bench -m "$model" --threads "$threads" -p "$prompt" -g "$gen" --samples "$samples" -r "$reps" --json \
        --out "round-$round-slingshot.json" >/dev/null 2>"round-$round-slingshot.log"
done

# --- summary ---------------------------------------------------------------------------------------------
python3 - "$out" "$rounds" "$model" "$threads" "$reps" "$prebuilt" "$batched" <<'PY'
import json, os, statistics, subprocess, sys

out, rounds, model, threads, reps, prebuilt, batched = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1", sys.argv[7] == "1"
med = statistics.median

def load(name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)

def series(per_round):
    """per_round: list of lists of runs (tok/s). Median of each round, median over rounds, all runs."""
    rmed = [med(r) for r in per_round]
    runs = [x for r in per_round for x in r]
    return {"median": med(rmed), "roundMedians": rmed, "min": min(runs), "max": max(runs), "runs": runs}

def llama_bench(prefix):
    pp, tg, info = [], [], None
    for k in range(1, rounds + 1):
        tests = load(f"round-{k}-{prefix}.json")
        info = tests[0]
        pp.append([x for t in tests if t["n_prompt"] > 0 and t["n_gen"] == 0 for x in t["samples_ts"]])
        tg.append([x for t in tests if t["n_gen"] > 0 and t["n_prompt"] == 0 for x in t["samples_ts"]])
    return {"pp512": series(pp), "tg128": series(tg),
            "build": f'{info["build_commit"]} ({info["build_number"]})', "cpu": info["cpu_info"], "backends": info["backends"]}

result = {"model": os.path.basename(model), "modelBytes": os.path.getsize(model), "threads": threads, "rounds": rounds, "repetitions": reps}
lb = llama_bench("llama-bench")
result["llamaBench"] = lb
if prebuilt:
    result["llamaBenchPrebuiltLibs"] = llama_bench("llama-bench-prebuilt")

if batched:
    bb = {}
    for k in range(1, rounds + 1):
        with open(os.path.join(out, f"round-{k}-batched-bench.jsonl")) as f:
            for line in f:
                row = json.loads(line)
                bb.setdefault(row["pl"], {}).setdefault(k, []).append(row["speed_tg"])
    result["llamaBatchedBench"] = {f"tg128_x{pl}": series([by_round[k] for k in sorted(by_round)]) for pl, by_round in sorted(bb.items())}
    one, wide = bb[min(bb)], bb[max(bb)]
    result["llamaBatchedBench"]["aggregateSpeedup"] = result["llamaBatchedBench"][f"tg128_x{max(bb)}"]["median"] / result["llamaBatchedBench"][f"tg128_x{min(bb)}"]["median"]

ss = {}
variant = None
for k in range(1, rounds + 1):
    report = load(f"round-{k}-slingshot.json")
    variant = report.get("cpuVariant")
    for m in report["results"]:
        key = "prefill" if m["name"] == "prefill" else f'decode_x{m["samples"]}'
        ss.setdefault(key, []).append(m["runs"])
sl = {key: series(v) for key, v in ss.items()}
sl["cpuVariant"] = variant
sl["batchSpeedup"] = sl["decode_x16"]["median"] / sl["decode_x1"]["median"]
result["slingshot"] = sl

ratios = {
    "slingshotDecodeX1_over_llamaBenchTg128": sl["decode_x1"]["median"] / lb["tg128"]["median"],
    "slingshotPrefill_over_llamaBenchPp512": sl["prefill"]["median"] / lb["pp512"]["median"],
    "slingshotDecodeX16_over_slingshotDecodeX1": sl["batchSpeedup"],
}
if prebuilt:
    pb = result["llamaBenchPrebuiltLibs"]
    ratios["slingshotDecodeX1_over_llamaBenchPrebuiltTg128"] = sl["decode_x1"]["median"] / pb["tg128"]["median"]
    ratios["slingshotPrefill_over_llamaBenchPrebuiltPp512"] = sl["prefill"]["median"] / pb["pp512"]["median"]
if batched:
    bbr = result["llamaBatchedBench"]
    ratios["slingshotDecodeX1_over_batchedBenchX1"] = sl["decode_x1"]["median"] / bbr["tg128_x1"]["median"]
    ratios["slingshotDecodeX16_over_batchedBenchX16"] = sl["decode_x16"]["median"] / bbr["tg128_x16"]["median"]
result["ratios"] = ratios

# The same ratios taken within each round (one tool right after the other), then the median over rounds: the
# machine's speed drifts between rounds, and a ratio of neighbours cancels most of that drift.
def per_round(a, b):
    xs = [x / y for x, y in zip(a["roundMedians"], b["roundMedians"])]
    return {"median": med(xs), "rounds": xs}
paired = {
    "slingshotDecodeX1_over_llamaBenchTg128": per_round(sl["decode_x1"], lb["tg128"]),
    "slingshotPrefill_over_llamaBenchPp512": per_round(sl["prefill"], lb["pp512"]),
    "slingshotDecodeX16_over_slingshotDecodeX1": per_round(sl["decode_x16"], sl["decode_x1"]),
}
if prebuilt:
    paired["slingshotDecodeX1_over_llamaBenchPrebuiltTg128"] = per_round(sl["decode_x1"], pb["tg128"])
    paired["slingshotPrefill_over_llamaBenchPrebuiltPp512"] = per_round(sl["prefill"], pb["pp512"])
if batched:
    paired["slingshotDecodeX1_over_batchedBenchX1"] = per_round(sl["decode_x1"], bbr["tg128_x1"])
    paired["slingshotDecodeX16_over_batchedBenchX16"] = per_round(sl["decode_x16"], bbr["tg128_x16"])
    paired["batchedBenchX16_over_batchedBenchX1"] = per_round(bbr["tg128_x16"], bbr["tg128_x1"])
result["pairedRatios"] = paired
result["targets"] = {
    "batchSpeedupAtLeast2.5": sl["batchSpeedup"] >= 2.5,
    "decodeWithin5PercentOfLlamaBench": ratios["slingshotDecodeX1_over_llamaBenchTg128"] >= 0.95,
}
if prebuilt:
    result["targets"]["decodeWithin5PercentOfLlamaBenchPrebuiltLibs"] = ratios["slingshotDecodeX1_over_llamaBenchPrebuiltTg128"] >= 0.95

text = json.dumps(result, indent=2)
with open(os.path.join(out, "summary.json"), "w") as f:
    f.write(text + "\n")
print(text)

def cell(s):
    return f'{s["median"]:.1f} ({s["min"]:.0f}–{s["max"]:.0f})'
dash = "—"
rows = [("prefill 512 tokens", sl["prefill"], lb["pp512"], result.get("llamaBenchPrebuiltLibs", {}).get("pp512"), None)]
for n in (1, 4, 16):
    rows.append((f"decode 128, {n} sample{'s' if n > 1 else ''}", sl[f"decode_x{n}"],
                 lb["tg128"] if n == 1 else None,
                 result["llamaBenchPrebuiltLibs"]["tg128"] if prebuilt and n == 1 else None,
                 result["llamaBatchedBench"].get(f"tg128_x{n}") if batched else None))
md = [f'{result["model"]}, {threads} threads, {rounds} rounds x {reps} repetitions; tok/s: median over rounds (min–max of all runs)', "",
      "| test | slingshot | llama-bench (source build) | llama-bench (prebuilt libs) | llama-batched-bench |",
      "|---|---:|---:|---:|---:|"]
for name, s, a, b, c in rows:
    md.append(f"| {name} | {cell(s)} | {cell(a) if a else dash} | {cell(b) if b else dash} | {cell(c) if c else dash} |")
md.append("")
md.append("| ratio | of the medians | per round (median; each round) |")
md.append("|---|---:|---|")
for key, value in paired.items():
    overall = f"{ratios[key]:.3f}" if key in ratios else f'{result["llamaBatchedBench"]["aggregateSpeedup"]:.3f}'
    md.append(f'| {key} | {overall} | {value["median"]:.3f}; ' + ", ".join(f"{x:.2f}" for x in value["rounds"]) + " |")
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md), file=sys.stderr)
PY
log "results in $out"
