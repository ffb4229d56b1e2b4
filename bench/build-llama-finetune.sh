#!/usr/bin/env bash
# Builds llama.cpp's own llama-finetune (examples/training/finetune.cpp) from the pinned source that ships with
# node-llama-cpp (the exact llama.cpp build Slingshot's bindings load), CPU only, Release, with the same CPU
# backend options as bench/build-llama-bench.sh (see its header; CPU_FEATURES picks the variant's feature set,
# e.g. CPU_FEATURES="SSE42 AVX F16C FMA AVX2 BMI2" for the haswell variant on AVX2-only machines).
#
#   bench/build-llama-finetune.sh [OUT_DIR]      (default: artifacts/llama-finetune, ignored by git)
#
# Prints the bin directory on stdout. Idempotent (OUT_DIR/.stamp); at most 2 compile jobs (BUILD_JOBS=n).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Without AVX-512 (the AMD EPYC machines here), build the haswell variant's feature set that ggml picks there;
# llama-build.sh's default is the zen4 set, whose binaries die with an illegal instruction on such a CPU.
if [[ -z "${CPU_FEATURES:-}" ]] && ! grep -qw avx512f /proc/cpuinfo; then
    export CPU_FEATURES="SSE42 AVX F16C FMA AVX2 BMI2"
fi
# shellcheck source=lib/llama-build.sh
source "$root/bench/lib/llama-build.sh"
llama_build build-llama-finetune "${1:-$root/artifacts/llama-finetune}" "llama-finetune" "llama-finetune" \
    -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF
