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
#   * the CPU backend is built with exactly the feature set of the `zen4` variant that ggml selects on this
#     machine (ggml/src/CMakeLists.txt: SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI
#     AVX512_BF16), i.e. GGML_NATIVE=OFF plus those GGML_* switches, giving the same -m flags and the same
#     GGML_* code paths. -march=native would add extensions and tuning the prebuilt variant does not have.
#     CPU_FEATURES="..." overrides the list (e.g. CPU_FEATURES=NATIVE for -march=native).
#   * GGML_BACKEND_DL=ON with that single variant, as a loadable libggml-cpu.so: the same dynamic-backend
#     setup as the prebuilt libraries. It also keeps the shared-library layout (libllama.so, libggml.so,
#     libggml-base.so, libllama-common.so), so compare-llama-bench.sh can run the very same llama-bench
#     executable against the prebuilt libraries as a cross-check.
#   * GGML_OPENMP=OFF: the prebuilt libraries do not use OpenMP (ggml's own thread pool instead).
#   * no curl/OpenSSL/httplib, no server, tests or examples; only the two tools are compiled.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<LlamaNpmVersion>\(.*\)</LlamaNpmVersion>.*:\1:p' "$root/Directory.Build.props")"
src="$root/artifacts/llama/$version/src"
out="${1:-$root/artifacts/llama-bench}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
bin="$out/build/bin"   # llama.cpp's CMakeLists puts executables and shared libraries here
jobs="${BUILD_JOBS:-2}"
features="${CPU_FEATURES:-SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16}"

if [[ ! -f "$src/.complete" ]]; then
    echo "build-llama-bench: pinned llama.cpp source missing; fetching it through the test project build" >&2
    dotnet build "$root/tests/Slingshot.Native.Tests" -v quiet >&2
fi
[[ -f "$src/CMakeLists.txt" ]] || { echo "build-llama-bench: no llama.cpp source at $src" >&2; exit 1; }

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
    -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF
    -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF
    -DLLAMA_BUILD_UI=OFF
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
if [[ -x "$bin/llama-bench" && -x "$bin/llama-batched-bench" && -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
    echo "build-llama-bench: up to date in $bin" >&2
    echo "$bin"
    exit 0
fi

command -v cmake >/dev/null && command -v c++ >/dev/null || { echo "build-llama-bench: cmake and a C++ compiler are needed" >&2; exit 1; }
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi

echo "build-llama-bench: configuring llama.cpp $commit (CPU features: $features) in $out" >&2
rm -f "$out/.stamp"
nice -n 10 cmake -S "$src" -B "$out/build" -Wno-dev "${generator[@]}" "${options[@]}" >"$out/configure.log" 2>&1 \
    || { tail -n 40 "$out/configure.log" >&2; exit 1; }
echo "build-llama-bench: compiling llama-bench, llama-batched-bench and the CPU backend (-j$jobs)" >&2
nice -n 10 cmake --build "$out/build" --config Release -j "$jobs" --target llama-bench llama-batched-bench ggml-cpu >"$out/build.log" 2>&1 \
    || { tail -n 40 "$out/build.log" >&2; exit 1; }
printf '%s' "$stamp" >"$out/.stamp"
[[ -x "$bin/llama-bench" && -x "$bin/llama-batched-bench" ]] || { echo "build-llama-bench: the tools are not in $bin" >&2; exit 1; }
echo "build-llama-bench: built $bin/llama-bench and $bin/llama-batched-bench" >&2
echo "$bin"
