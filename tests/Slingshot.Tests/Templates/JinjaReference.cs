using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Slingshot.Tests.Templates;

/// <summary>
/// Renders chat templates with @huggingface/jinja (Hugging Face's JavaScript Jinja, the reference implementation of
/// the model makers' tooling), through Templates/reference/render.mjs and node. The build installs the package.
/// </summary>
internal static class JinjaReference
{
    public static string Directory => Path.Combine(TestPaths.RepoRoot, "tests", "Slingshot.Tests", "Templates", "reference");

    /// <summary>One rendering: the text, or the reference's own error.</summary>
    public sealed record Result(bool Ok, string? Text, string? Error);

    /// <summary>Renders every (template, variables) case in one node process; results come back in order.</summary>
    public static async Task<IReadOnlyList<Result>> RenderAsync(IReadOnlyList<(string Template, JsonObject Variables)> cases)
    {
        Assert.True(File.Exists(Path.Combine(Directory, "node_modules", "@huggingface", "jinja", "package.json")),
            $"@huggingface/jinja is not installed in {Directory}; building the test project runs npm ci there.");
        var input = new JsonArray(cases.Select(c => (JsonNode)new JsonObject { ["template"] = c.Template, ["context"] = c.Variables.DeepClone() }).ToArray());
        var start = new ProcessStartInfo("node", ["render.mjs"])
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node render.mjs exited with {process.ExitCode}: {await errors}");
        var results = JsonNode.Parse(await output)!.AsArray();
        Assert.Equal(cases.Count, results.Count);
        return results.Select(r => new Result((bool)r!["ok"]!, (string?)r["text"], (string?)r["error"])).ToArray();
    }
}
