#!/usr/bin/env bash
# Experiment behind the findings in docs/benchmarks.md: how much of llama.cpp's batched decode speed depends on
# (a) a persistent ggml thread pool attached to the context and (b) a unified KV cache. Both are settings an
# engine chooses (Slingshot today: no thread pool attached, kv_unified = true).
#
#   bench/batched-bench-experiment.sh [--rounds N] [--threads N] [--model FILE]
#
# It compiles a copy of the pinned llama-batched-bench (tools/batched-bench) with one addition: when
# BB_THREADPOOL is set it creates a ggml thread pool (ggml_threadpool_new of the CPU backend) and attaches it
# with llama_attach_threadpool, as llama-bench and llama.cpp's common code do. Without a pool, a build without
# OpenMP (like node-llama-cpp's prebuilt libraries) starts and joins n_threads-1 worker threads inside every
# llama_decode (ggml_graph_compute's "disposable" thread pool).
#
# Then, for N rounds (default 6), alternating, at -npp 16 -ntg 128 -npl 1,4,16 -pps (prompt decoded once and
# shared, as Slingshot forks samples):
#   pool off / on  x  KV unified (-kvu -c 2304)  /  KV split per sequence (-c 2304, 144 cells per sequence)
# and prints, per configuration and sequence count, the median aggregate decode tok/s and all runs (JSON on
# stdout, a markdown table on stderr). Uses the build of bench/build-llama-bench.sh (built if missing); the copy
# lives in artifacts/llama-bench/, nothing in the source tree changes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=6 threads=2 model="$root/artifacts/models/llama-100m-Q8_0.gguf"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "batched-bench-experiment: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -f "$model" ]] || { echo "batched-bench-experiment: no model at $model (bench/compare-llama-bench.sh creates it)" >&2; exit 1; }

bin="$("$root/bench/build-llama-bench.sh" | tail -n 1)"
version="$(sed -n 's:.*<LlamaNpmVersion>\(.*\)</LlamaNpmVersion>.*:\1:p' "$root/Directory.Build.props")"
src="$root/artifacts/llama/$version/src"
work="$root/artifacts/llama-bench/experiment"
exe="$bin/llama-batched-bench-threadpool"   # beside libggml-cpu.so, where ggml looks for its backends
mkdir -p "$work"

if [[ ! -x "$exe" || "$src/tools/batched-bench/batched-bench.cpp" -nt "$exe" || "${BASH_SOURCE[0]}" -nt "$exe" ]]; then
    echo "batched-bench-experiment: compiling $exe" >&2
    cp "$src/tools/batched-bench/batched-bench.cpp" "$src/tools/batched-bench/main.cpp" "$work/"
    python3 - "$work/batched-bench.cpp" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
anchor = "    llama_context * ctx = llama_init_from_model(model, ctx_params);\n"
assert s.count(anchor) == 1, "batched-bench.cpp changed: context creation not found"
s = s.replace(anchor, anchor + """
    if (getenv("BB_THREADPOOL")) {
        auto * reg = ggml_backend_dev_backend_reg(ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU));
        auto * threadpool_new = (decltype(ggml_threadpool_new) *) ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
        struct ggml_threadpool_params tpp = ggml_threadpool_params_default(ctx_params.n_threads);
        llama_attach_threadpool(ctx, threadpool_new(&tpp), nullptr);
    }
""")
s = s.replace('#include "llama.h"\n', '#include "llama.h"\n#include "ggml-backend.h"\n#include "ggml-cpu.h"\n#include <cstdlib>\n', 1)
open(path, "w").write(s)
PY
    nice -n 10 c++ -O2 -std=c++17 -I"$src/include" -I"$src/ggml/include" -I"$src/common" -I"$src/vendor" \
        "$work/batched-bench.cpp" "$work/main.cpp" -L"$bin" -lllama-common -lllama -lggml -lggml-base -Wl,-rpath,"$bin" -o "$exe"
fi

cd "$work"
: >runs.txt
for round in $(seq 1 "$rounds"); do
    for pool in off on; do
        for kv in unified split; do
            echo "batched-bench-experiment: round $round/$rounds, thread pool $pool, KV $kv" >&2
            args=(-m "$model" -c 2304 -npp 16 -ntg 128 -npl 1,4,16 -pps -t "$threads" --output-format jsonl)
            [[ $kv == unified ]] && args+=(-kvu)
            if [[ $pool == on ]]; then BB_THREADPOOL=1 "$exe" "${args[@]}"; else "$exe" "${args[@]}"; fi 2>&1 \
                | grep '^{' | sed "s/^/$pool $kv /" >>runs.txt
        done
    done
done

python3 - runs.txt "$threads" "$rounds" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    pool, kv, row = line.split(" ", 2)
    r = json.loads(row)
    runs[(pool, kv, r["pl"])].append(r["speed_tg"])
result = {"threads": int(sys.argv[2]), "rounds": int(sys.argv[3]), "configurations": []}
for pool in ("off", "on"):
    for kv in ("unified", "split"):
        entry = {"threadPool": pool, "kv": kv}
        for pl in (1, 4, 16):
            xs = runs[(pool, kv, pl)]
            entry[f"tg128_x{pl}"] = {"median": statistics.median(xs), "runs": [round(x, 1) for x in xs]}
        entry["aggregateSpeedup"] = entry["tg128_x16"]["median"] / entry["tg128_x1"]["median"]
        result["configurations"].append(entry)
print(json.dumps(result, indent=2))
lines = ["| thread pool | KV cache | decode x1 | decode x4 | decode x16 | x16 / x1 |", "|---|---|---:|---:|---:|---:|"]
for e in result["configurations"]:
    cells = [f'{e[f"tg128_x{pl}"]["median"]:.1f} ({min(e[f"tg128_x{pl}"]["runs"]):.0f}–{max(e[f"tg128_x{pl}"]["runs"]):.0f})' for pl in (1, 4, 16)]
    lines.append(f'| {e["threadPool"]} | {e["kv"]} | ' + " | ".join(cells) + f' | {e["aggregateSpeedup"]:.2f} |')
print("\n".join(lines), file=sys.stderr)
PY
