using System.CommandLine;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot doctor</c>: what llama.cpp build is loaded, from where, on which CPU variant, and whether it matches the bindings.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var cpuVariant = new Option<string?>("--cpu-variant") { Description = "Pin a CPU backend variant" };
        var model = new Option<string?>("--model", "-m") { Description = "Also load this model and decode a few tokens" };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("doctor", "Check the native llama.cpp libraries, CPU features, ABI and threads") { cpuVariant, model, json };
        command.SetAction(async (parse, ct) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, parse.GetValue(cpuVariant), verbose: false);
            var info = LlamaRuntime.Info;
            string? smoke = null;
            if (parse.GetValue(model) is { } path)
            {
                using var engine = LlamaEngine.Load(path, new EngineOptions { ContextSize = 256, MaxSequences = 1 });
                var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 8, Sampling = SamplerSettings.Greedy }, ct);
                smoke = $"{engine.Model.Info.Description}: {result.Samples[0].Tokens?.Count} tokens at {result.Timings.DecodeTokensPerSecond:F0} tok/s";
            }
            var report = new
            {
                nativeDirectory = info.NativeDirectory,
                library = info.LibraryPath,
                version = info.Version,
                expectedBuild = info.ExpectedBuild,
                abi = "ok (version, exports and default-parameter layout match the bindings)",
                cpuVariant = info.CpuVariant,
                availableCpuVariants = info.AvailableCpuVariants,
                features = info.SystemInfo,
                devices = info.Devices,
                cores = Environment.ProcessorCount,
                defaultThreads = info.DefaultThreads,
                smokeTest = smoke,
            };
            if (parse.GetValue(json))
            {
                Json.Write(report);
                return 0;
            }
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string k, string? v) => grid.AddRow(new Markup($"[bold]{k}[/]"), new Text(v ?? "-"));
            Row("native folder", info.NativeDirectory);
            Row("library", info.LibraryPath);
            Row("version", $"{info.Version} (bindings expect {info.ExpectedBuild})");
            Row("ABI", report.abi);
            Row("CPU variant", $"{info.CpuVariant ?? "?"} (available: {string.Join(", ", info.AvailableCpuVariants)})");
            Row("features", info.SystemInfo);
            Row("devices", string.Join("; ", info.Devices));
            Row("threads", $"{info.DefaultThreads} by default ({Environment.ProcessorCount} cores)");
            if (smoke is not null)
            {
                Row("smoke test", smoke);
            }
            AnsiConsole.Write(new Panel(grid).Header("slingshot doctor").Border(BoxBorder.Rounded));
            return 0;
        });
        return command;
    }
}
