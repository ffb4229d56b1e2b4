# Shared by the compare-*.sh scripts (source it; do not run it). Expects $root, $out and log().

# Builds Slingshot once through ./slingshot (unless DIR is given), then copies the Release output to
# $out/cli, so nothing is rebuilt between rounds and a concurrent build of the checkout cannot change it
# mid-run. Defines slingshot() to run that copy.
prepare_slingshot_cli() {
    local cli="$1"
    if [[ -z "$cli" ]]; then
        log "building slingshot (Release)"
        nice -n 10 "$root/slingshot" --help >/dev/null 2>"$out/slingshot-build.log" \
            || { tail -n 20 "$out/slingshot-build.log" >&2; log "building slingshot failed (or pass --cli DIR)"; return 1; }
        cli="$(ls -d "$root"/src/Slingshot.Cli/bin/Release/net*/ | head -n 1)"
    fi
    [[ -f "$cli/Slingshot.Cli.dll" ]] || { log "no Slingshot.Cli.dll in $cli"; return 1; }
    rm -rf "$out/cli" && cp -r "$cli" "$out/cli"
}

slingshot() { dotnet "$out/cli/Slingshot.Cli.dll" "$@"; }

# The default benchmark model, generated on first use: artifacts/models/llama-100m-Q8_0.gguf (105.8M
# parameters, random weights). Prints its path.
default_bench_model() {
    local model="$root/artifacts/models/llama-100m-Q8_0.gguf"
    if [[ ! -f "$model" ]]; then
        log "creating $model"
        mkdir -p "$(dirname "$model")"
        nice -n 10 dotnet "$out/cli/Slingshot.Cli.dll" create-model "$model.partial" --shape llama-100m --type Q8_0 >/dev/null
        mv "$model.partial" "$model"
    fi
    echo "$model"
}
