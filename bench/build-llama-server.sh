#!/usr/bin/env bash
# Builds llama.cpp's own OpenAI-compatible server, llama-server, from the pinned source that ships with
# node-llama-cpp (the exact llama.cpp build Slingshot's bindings load), CPU only, Release, so that
# compare-server.sh can measure `slingshot serve` against it on the same GGUF.
#
#   bench/build-llama-server.sh [OUT_DIR]      (default: artifacts/llama-server, ignored by git)
#
# The executable lands in OUT_DIR/build/bin (that directory is printed on stdout). Idempotent: nothing is
# done when it is already built from the same source commit with the same options (OUT_DIR/.stamp). Uses at
# most 2 compile jobs (BUILD_JOBS=n overrides) at low priority.
#
# The ggml/llama options are those of build-llama-bench.sh (read its header for why): GGML_NATIVE=OFF with
# exactly the feature set of the CPU variant the prebuilt libraries select on this machine (zen4, haswell, ...,
# as `slingshot doctor` reports it), the CPU backend as a dynamically loaded libggml-cpu.so
# (GGML_BACKEND_DL=ON), no OpenMP. So both servers run the same kernels
# and differ only in what sits around llama_decode. Server-specific choices:
#   * no embedded web UI: neither the npm build nor the download of prebuilt assets (no network needed);
#     the HTTP API is unaffected.
#   * no curl, no OpenSSL/BoringSSL/LibreSSL: plain HTTP on loopback is all a benchmark needs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/llama-build.sh
source "$root/bench/lib/llama-build.sh"
llama_build build-llama-server "${1:-$root/artifacts/llama-server}" "llama-server" "llama-server" \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_BUILD_LIBRESSL=OFF \
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF
