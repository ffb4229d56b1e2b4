#!/usr/bin/env bash
# Builds llama.cpp's own llama-finetune (examples/training/finetune.cpp) from the pinned source that ships with
# node-llama-cpp (the exact llama.cpp build Slingshot's bindings load), CPU only, Release, with the same CPU
# backend options as bench/build-llama-bench.sh: the feature set of the CPU variant ggml selects here (see
# bench/lib/llama-build.sh; CPU_VARIANT or CPU_FEATURES override it).
#
#   bench/build-llama-finetune.sh [OUT_DIR]      (default: artifacts/llama-finetune, ignored by git)
#
# Prints the bin directory on stdout. Idempotent (OUT_DIR/.stamp); at most 2 compile jobs (BUILD_JOBS=n).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/llama-build.sh
source "$root/bench/lib/llama-build.sh"
llama_build build-llama-finetune "${1:-$root/artifacts/llama-finetune}" "llama-finetune" "llama-finetune" \
    -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF
