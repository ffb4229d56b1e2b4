#!/usr/bin/env bash
# Builds llama.cpp's own benchmark tools, llama-bench and llama-batched-bench, from the pinned source that
# ships with node-llama-cpp (the exact llama.cpp build Slingshot's bindings load), CPU only, Release.
#
#   bench/build-llama-bench.sh [OUT_DIR]      (default: artifacts/llama-bench, ignored by git)
#
# The binaries land in OUT_DIR/build/bin (printed on stdout). Idempotent: nothing is done when they are already built from the
# same source commit with the same options (OUT_DIR/.stamp). Uses at most 2 compile jobs (BUILD_JOBS=n
# overrides) at low priority.
#
# Build options, chosen to match the prebuilt libraries Slingshot loads (node-llama-cpp builds its linux-x64
# binaries in "CI mode": GGML_NATIVE=OFF, GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON, GGML_OPENMP=OFF,
# Release; see node-llama-cpp's dist/bindings/utils/compileLLamaCpp.js):
#   * the CPU backend is built with exactly the feature set of the CPU variant that ggml selects among the
#     prebuilt libraries on this machine (as `slingshot doctor` reports it: zen4 on an AVX-512 Zen 4, whose
#     list in ggml/src/CMakeLists.txt is SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI
#     AVX512_BF16; haswell, SSE42 AVX F16C FMA AVX2 BMI2, on an AVX2-only CPU), i.e. GGML_NATIVE=OFF plus
#     those GGML_* switches, giving the same -m flags and the same GGML_* code paths, and no instruction the
#     CPU lacks. -march=native would add extensions and tuning the prebuilt variant does not have.
#     CPU_VARIANT=NAME picks another variant; CPU_FEATURES="..." sets the list directly (e.g.
#     CPU_FEATURES=NATIVE for -march=native). See lib/llama-build.sh.
#   * GGML_BACKEND_DL=ON with that single variant, as a loadable libggml-cpu.so: the same dynamic-backend
#     setup as the prebuilt libraries. It also keeps the shared-library layout (libllama.so, libggml.so,
#     libggml-base.so, libllama-common.so), so compare-llama-bench.sh can run the very same llama-bench
#     executable against the prebuilt libraries as a cross-check.
#   * GGML_OPENMP=OFF: the prebuilt libraries do not use OpenMP (ggml's own thread pool instead).
#   * no curl/OpenSSL/httplib, no server, tests or examples; only the two tools are compiled.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/llama-build.sh
source "$root/bench/lib/llama-build.sh"
llama_build build-llama-bench "${1:-$root/artifacts/llama-bench}" "llama-bench llama-batched-bench" "llama-bench llama-batched-bench" \
    -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
    -DLLAMA_BUILD_UI=OFF
