# Shared by build-llama-bench.sh and build-llama-server.sh (source it; do not run it): configures and builds
# tools of the pinned llama.cpp source (artifacts/llama/<version>/src, fetched by the test build) with the
# CPU backend options of the prebuilt libraries Slingshot loads (build-llama-bench.sh's header says why).
#
#   llama_build NAME OUT_DIR "TARGETS" "EXECUTABLES" OPTION...
#
# NAME prefixes messages; TARGETS are cmake targets besides ggml-cpu; EXECUTABLES must exist in
# OUT_DIR/build/bin afterwards; OPTION... are the tool-specific cmake options. Prints the bin directory on
# stdout. Idempotent through OUT_DIR/.stamp (source commit, compiler, options). BUILD_JOBS (default 2)
# overrides the compile jobs.
#
# The CPU backend gets the feature set of the CPU variant ggml selects on this machine from the prebuilt
# libraries (zen4 on an AVX-512 Zen 4, haswell on an AVX2-only CPU, ...), so the reference tools run the same
# kernels as Slingshot and never an instruction the CPU lacks. The variant comes from `slingshot doctor
# --json` (built on first use); its feature list from the ggml_add_cpu_backend_variant(NAME FEATURE...) lines
# of the pinned source's ggml/src/CMakeLists.txt, the list the prebuilt variants were built from.
# CPU_VARIANT=NAME picks a variant without asking doctor; CPU_FEATURES="AVX2 FMA ..." (or NATIVE for
# -march=native) sets the GGML_* switches directly.

llama_build() {
    local name="$1" out="$2" targets="$3" executables="$4"
    shift 4
    local root version src bin jobs features commit stamp exe
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    version="$(sed -n 's:.*<LlamaNpmVersion>\(.*\)</LlamaNpmVersion>.*:\1:p' "$root/Directory.Build.props")"
    src="$root/artifacts/llama/$version/src"
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    bin="$out/build/bin"   # llama.cpp's CMakeLists puts executables and shared libraries here
    jobs="${BUILD_JOBS:-2}"

    if [[ ! -f "$src/.complete" ]]; then
        echo "$name: pinned llama.cpp source missing; fetching it through the test project build" >&2
        dotnet build "$root/tests/Slingshot.Native.Tests" -v quiet >&2
    fi
    [[ -f "$src/CMakeLists.txt" ]] || { echo "$name: no llama.cpp source at $src" >&2; return 1; }
    if [[ -n "${CPU_FEATURES:-}" ]]; then
        features="$CPU_FEATURES"
    else
        local variant="${CPU_VARIANT:-}"
        if [[ -z "$variant" ]]; then
            variant="$(ggml_selected_cpu_variant "$root")" \
                || { echo "$name: could not ask 'slingshot doctor' for ggml's CPU variant; set CPU_VARIANT=NAME or CPU_FEATURES" >&2; return 1; }
        fi
        features="$(ggml_cpu_variant_features "$src" "$variant")" \
            || { echo "$name: '$variant' is not an x86 CPU variant of ggml/src/CMakeLists.txt in $src" >&2; return 1; }
        echo "$name: ggml's CPU variant here is $variant: ${features:-no extensions}" >&2
    fi

    commit="$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)"
    local options=(
        -DCMAKE_BUILD_TYPE=Release
        -DBUILD_SHARED_LIBS=ON
        -DCMAKE_PLATFORM_NO_VERSIONED_SONAME=ON
        -DGGML_BACKEND_DL=ON
        -DGGML_CPU_ALL_VARIANTS=OFF
        -DGGML_OPENMP=OFF
        -DGGML_CCACHE=OFF
        -DGGML_METAL=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_RPC=OFF
        "$@"
    )
    # Every x86 feature switch off, then the chosen ones on (as ggml_add_cpu_backend_variant does).
    local feat value on x86="NATIVE SSE42 AVX AVX2 BMI2 AVX_VNNI FMA F16C AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16 AMX_TILE AMX_INT8 AMX_BF16"
    for on in $features; do
        [[ " $x86 " == *" $on "* ]] || { echo "$name: '$on' is not an x86 feature switch of ggml (these scripts build for x86-64)" >&2; return 1; }
    done
    for feat in $x86; do
        value=OFF
        for on in $features; do [[ "$on" == "$feat" ]] && value=ON; done
        options+=("-DGGML_$feat=$value")
    done

    stamp="commit=$commit
compiler=$(c++ --version | head -n1)
options=${options[*]}"
    local built=1
    for exe in $executables; do
        [[ -x "$bin/$exe" ]] || built=0
        # A build copied or left behind by a moved folder can miss its libraries: rebuild it then.
        [[ "$built" == 1 ]] && LD_LIBRARY_PATH="$bin" ldd "$bin/$exe" | grep -q "not found" && built=0
    done
    if [[ "$built" == 1 && -f "$bin/libggml-cpu.so" && -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
        echo "$name: up to date in $bin" >&2
        echo "$bin"
        return 0
    fi

    command -v cmake >/dev/null && command -v c++ >/dev/null || { echo "$name: cmake and a C++ compiler are needed" >&2; return 1; }
    local generator=()
    if command -v ninja >/dev/null; then generator=(-G Ninja); fi

    echo "$name: configuring llama.cpp $commit (CPU features: $features) in $out" >&2
    rm -f "$out/.stamp"
    nice -n 10 cmake -S "$src" -B "$out/build" -Wno-dev "${generator[@]}" "${options[@]}" >"$out/configure.log" 2>&1 \
        || { tail -n 40 "$out/configure.log" >&2; return 1; }
    echo "$name: compiling $targets and the CPU backend (-j$jobs; this takes a while on 2 cores)" >&2
    # shellcheck disable=SC2086 # targets is a word list
    nice -n 10 cmake --build "$out/build" --config Release -j "$jobs" --target $targets ggml-cpu >"$out/build.log" 2>&1 \
        || { tail -n 40 "$out/build.log" >&2; return 1; }
    printf '%s' "$stamp" >"$out/.stamp"
    for exe in $executables; do
        [[ -x "$bin/$exe" ]] || { echo "$name: $exe is not in $bin" >&2; return 1; }
    done
    echo "$name: built $executables in $bin" >&2
    echo "$bin"
}

# The CPU variant ggml picks among the prebuilt libraries on this machine, as `slingshot doctor` reports it.
ggml_selected_cpu_variant() {
    local root="$1" report
    report="$("$root/slingshot" doctor --json 2>/dev/null)" || return 1
    python3 -c 'import json, sys; v = json.loads(sys.argv[1]).get("cpuVariant"); print(v) if v else sys.exit(1)' "$report"
}

# The feature list of an x86 variant, from `ggml_add_cpu_backend_variant(NAME FEATURE...)` in the pinned
# source (x64 has none). Fails for a name the file does not define.
ggml_cpu_variant_features() {
    local src="$1" variant="$2"
    awk -v want="$variant" '
        /^[ \t]*ggml_add_cpu_backend_variant\(/ {
            line = $0
            sub(/^[ \t]*ggml_add_cpu_backend_variant\(/, "", line)
            sub(/\).*/, "", line)
            n = split(line, words, /[ \t]+/)
            if (words[1] == want) { found = 1; out = ""; for (i = 2; i <= n; i++) out = out (out == "" ? "" : " ") words[i] }
        }
        END { if (!found) exit 1; print out }' "$src/ggml/src/CMakeLists.txt"
}
