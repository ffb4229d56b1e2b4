#!/usr/bin/env bash
# Times every llama_decode call of a running process (Slingshot or llama-server alike) with Linux uprobes, so
# two servers can be compared on what the forward passes cost and what happens between them.
#
#   bench/decode-timeline.sh --pid PID --lib LIBLLAMA [--seconds N] [--ggml-cpu LIBGGML_CPU] [--out DIR]
#
# --lib is the libllama the process loaded (see /proc/PID/maps: Slingshot's is llama/libllama.v*.so beside
# the app, llama-server's sits beside its executable); --ggml-cpu, when given, also counts graph computes
# (ubatches) per call. Needs perf and the right to add uprobes (root, or perf_event_paranoid <= 1 plus
# access to /sys/kernel/tracing). Records N seconds (default 20, or until the process exits), then prints
# one JSON object: calls, total seconds inside llama_decode, percentiles of one call, seconds between calls
# (the caller's own work: sampling, admitting requests, and any wait for new ones), ubatches per call, and
# the calls over 40 ms (prefill-heavy steps) with their offsets from the first call.
set -euo pipefail

pid="" lib="" seconds=20 ggml_cpu="" out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pid) pid="$2"; shift 2 ;;
        --lib) lib="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --ggml-cpu) ggml_cpu="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "decode-timeline: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ -n "$pid" && -n "$lib" ]] || { echo "decode-timeline: --pid and --lib are required (see --help)" >&2; exit 2; }
[[ -d "/proc/$pid" ]] || { echo "decode-timeline: no process $pid" >&2; exit 1; }
[[ -f "$lib" ]] || { echo "decode-timeline: no file $lib" >&2; exit 1; }
command -v perf >/dev/null || { echo "decode-timeline: perf is not installed" >&2; exit 1; }
out="${out:-$(mktemp -d)}"
mkdir -p "$out"

# Probe names must be unique per file; a random group keeps parallel uses apart and is removed on exit.
group="sstl$$"
cleanup() { perf probe -q -d "$group:*" >/dev/null 2>&1 || true; }
trap cleanup EXIT
perf probe -q -x "$lib" --add "$group:dec=llama_decode" >/dev/null
perf probe -q -x "$lib" --add "$group:ret=llama_decode%return" >/dev/null
if [[ -n "$ggml_cpu" ]]; then
    perf probe -q -x "$ggml_cpu" --add "$group:gc=ggml_graph_compute" >/dev/null
fi

echo "decode-timeline: recording process $pid for up to $seconds s" >&2
perf record -q -e "$group:*" -p "$pid" -o "$out/decode.data" -- sleep "$seconds" >/dev/null 2>&1 || true
perf script -i "$out/decode.data" -F time,event,ip 2>/dev/null > "$out/decode.txt"

python3 - "$out/decode.txt" "$group" <<'PY'
import json, statistics, sys
path, group = sys.argv[1:3]
calls, start, graphs, last_return, gaps = [], None, {}, None, []
for line in open(path):
    parts = line.split()
    if len(parts) < 2:
        continue
    time = float(parts[0].rstrip(':'))
    event = parts[1].rstrip(':')
    if event == f"{group}:dec":
        start, graphs = time, {}
        if last_return is not None:
            gaps.append(time - last_return)
    elif event == f"{group}:gc" and start is not None:
        # A probe on a function called through the PLT can fire at two addresses per call: count per address.
        ip = parts[2] if len(parts) > 2 else ""
        graphs[ip] = graphs.get(ip, 0) + 1
    elif event.startswith(f"{group}:ret") and start is not None:
        calls.append((start, time - start, max(graphs.values(), default=0)))
        last_return, start = time, None
if not calls:
    sys.exit("decode-timeline: no llama_decode calls recorded (wrong --lib, or the process was idle)")
durations = sorted(d for _, d, _ in calls)
def pct(q):
    return round(1000 * durations[int(q * (len(durations) - 1))], 2)
first = calls[0][0]
print(json.dumps({
    "calls": len(calls),
    "decodeSeconds": round(sum(durations), 3),
    "callMs": {"p10": pct(0.1), "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": pct(1.0)},
    "betweenCallsSeconds": round(sum(gaps), 3),
    "betweenCallsMedianMs": round(1000 * statistics.median(gaps), 3) if gaps else None,
    "ubatchesPerCall": round(sum(g for _, _, g in calls) / len(calls), 3) if any(g for _, _, g in calls) else None,
    "over40ms": [{"atSeconds": round(s - first, 3), "ms": round(1000 * d, 1), "ubatches": g} for s, d, g in calls if d > 0.04],
}, indent=2))
PY
