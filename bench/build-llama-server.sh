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
# exactly the feature set of the `zen4` CPU variant the prebuilt libraries select here, the CPU backend as a
# dynamically loaded libggml-cpu.so (GGML_BACKEND_DL=ON), no OpenMP. So both servers run the same kernels
# and differ only in what sits around llama_decode. Server-specific choices:
#   * no embedded web UI: neither the npm build nor the download of prebuilt assets (no network needed);
#     the HTTP API is unaffected.
#   * no curl, no OpenSSL/BoringSSL/LibreSSL: plain HTTP on loopback is all a benchmark needs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<LlamaNpmVersion>\(.*\)</LlamaNpmVersion>.*:\1:p' "$root/Directory.Build.props")"
src="$root/artifacts/llama/$version/src"
out="${1:-$root/artifacts/llama-server}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
bin="$out/build/bin"   # llama.cpp's CMakeLists puts executables and shared libraries here
jobs="${BUILD_JOBS:-2}"
features="${CPU_FEATURES:-SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16}"

if [[ ! -f "$src/.complete" ]]; then
    echo "build-llama-server: pinned llama.cpp source missing; fetching it through the test project build" >&2
    dotnet build "$root/tests/Slingshot.Native.Tests" -v quiet >&2
fi
[[ -f "$src/tools/server/CMakeLists.txt" ]] || { echo "build-llama-server: no llama.cpp server source at $src" >&2; exit 1; }

commit="$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)"
options=(
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED_LIBS=ON
    -DCMAKE_PLATFORM_NO_VERSIONED_SONAME=ON
    -DGGML_BACKEND_DL=ON
    -DGGML_CPU_ALL_VARIANTS=OFF
    -DGGML_OPENMP=OFF
    -DGGML_CCACHE=OFF
    -DGGML_METAL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_RPC=OFF
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_BUILD_LIBRESSL=OFF
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF
)
# Every x86 feature switch off, then the chosen ones on (as ggml_add_cpu_backend_variant does).
for feat in NATIVE SSE42 AVX AVX2 BMI2 AVX_VNNI FMA F16C AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16 AMX_TILE AMX_INT8 AMX_BF16; do
    value=OFF
    for on in $features; do [[ "$on" == "$feat" ]] && value=ON; done
    options+=("-DGGML_$feat=$value")
done

stamp="commit=$commit
compiler=$(c++ --version | head -n1)
options=${options[*]}"
if [[ -x "$bin/llama-server" && -f "$bin/libggml-cpu.so" && -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
    echo "build-llama-server: up to date in $bin" >&2
    echo "$bin"
    exit 0
fi

command -v cmake >/dev/null && command -v c++ >/dev/null || { echo "build-llama-server: cmake and a C++ compiler are needed" >&2; exit 1; }
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi

echo "build-llama-server: configuring llama.cpp $commit (CPU features: $features) in $out" >&2
rm -f "$out/.stamp"
nice -n 10 cmake -S "$src" -B "$out/build" -Wno-dev "${generator[@]}" "${options[@]}" >"$out/configure.log" 2>&1 \
    || { tail -n 40 "$out/configure.log" >&2; exit 1; }
echo "build-llama-server: compiling llama-server and the CPU backend (-j$jobs; this takes a while on 2 cores)" >&2
nice -n 10 cmake --build "$out/build" --config Release -j "$jobs" --target llama-server ggml-cpu >"$out/build.log" 2>&1 \
    || { tail -n 40 "$out/build.log" >&2; exit 1; }
printf '%s' "$stamp" >"$out/.stamp"
[[ -x "$bin/llama-server" ]] || { echo "build-llama-server: llama-server is not in $bin" >&2; exit 1; }
echo "build-llama-server: built $bin/llama-server" >&2
echo "$bin"
