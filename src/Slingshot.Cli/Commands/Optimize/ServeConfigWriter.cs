using Slingshot.Evaluation.Optimization;
using Slingshot.Strategies.Cascades;
using YamlDotNet.Serialization;

namespace Slingshot.Cli.Commands;

/// <summary>
/// Writes the chosen configuration as a <c>slingshot serve -c</c> file (the server's own layout, section "Slingshot"):
/// the candidates it uses as models or endpoints, and one virtual model under the served name: a vote (one sample is a
/// vote of one), or a cascade whose tiers, samples and thresholds are in a cascade config file beside it.
/// </summary>
internal static class ServeConfigWriter
{
    /// <summary>What was written.</summary>
    /// <param name="ServeYaml">Path of serve.yaml.</param>
    /// <param name="CascadeJson">Path of cascade.json, when the choice is a cascade.</param>
    /// <param name="Command">The one line that serves it.</param>
    public sealed record Written(string ServeYaml, string? CascadeJson, string Command);

    /// <summary>Writes serve.yaml (and cascade.json for a cascade) for <paramref name="chosen"/> into <paramref name="directory"/>.</summary>
    /// <param name="chosen">The configuration to serve (must be servable).</param>
    /// <param name="candidates">The candidates (for paths, URLs and prices).</param>
    /// <param name="servedName">The model name clients ask for.</param>
    /// <param name="extractor">The task's answer extractor name (votes compare its answers).</param>
    /// <param name="withoutChatTemplate">Local candidates evaluated with ChatML because their file has no template.</param>
    /// <param name="directory">Where to write.</param>
    public static Written Write(ConfigurationSpec chosen, IReadOnlyList<OptimizeCandidate> candidates, string servedName, string extractor,
        IReadOnlySet<string> withoutChatTemplate, string directory)
    {
        if (!chosen.Servable)
        {
            throw new ArgumentException($"'{chosen.Name}' cannot be served yet (best-of-n and verifier selection are not server strategies).");
        }
        Directory.CreateDirectory(directory);
        var used = chosen.Tiers.Select(t => t.Arm.Candidate).Distinct(StringComparer.Ordinal).Select(name => candidates.First(c => c.Name == name)).ToList();
        var models = used.Where(c => c.IsLocal).Select(c => Map(
            ("Name", c.Name), ("Path", Path.GetFullPath(c.Path!)), ("ChatTemplate", withoutChatTemplate.Contains(c.Name) ? "chatml" : null))).ToList();
        var endpoints = used.Where(c => !c.IsLocal).Select(c => Map(
            ("Name", c.Name), ("Url", c.Url), ("Model", c.Model), ("InputPricePerMillion", c.InputPricePerMillion), ("OutputPricePerMillion", c.OutputPricePerMillion))).ToList();

        string? cascadePath = null;
        Dictionary<string, object> strategy;
        if (chosen.Kind == ConfigurationKind.Cascade)
        {
            cascadePath = Path.GetFullPath(Path.Combine(directory, "cascade.json"));
            CascadeConfigFile.Save(cascadePath, new CascadeConfig
            {
                Escalation = chosen.Escalation!,
                Tiers = [.. chosen.Tiers.Select((t, i) => new CascadeTierConfig
                {
                    Name = t.Arm.Candidate,
                    Model = t.Arm.Candidate,
                    Samples = t.Samples,
                    Threshold = i < chosen.Thresholds.Count ? chosen.Thresholds[i] : null,
                })],
            });
            strategy = Map(("Name", servedName), ("Strategy", "cascade"), ("Model", chosen.Tiers[0].Arm.Candidate),
                ("Fallback", chosen.Tiers[1].Arm.Candidate), ("Samples", chosen.Tiers[0].Samples), ("Threshold", chosen.Thresholds[0]),
                ("Extractor", extractor), ("CascadeConfig", cascadePath));
        }
        else
        {
            strategy = Map(("Name", servedName), ("Strategy", "vote"), ("Model", chosen.Tiers[0].Arm.Candidate),
                ("Samples", chosen.Tiers[0].Samples), ("Extractor", extractor));
        }
        var section = new Dictionary<string, object>();
        if (models.Count > 0)
        {
            section["Models"] = models;
        }
        if (endpoints.Count > 0)
        {
            section["Endpoints"] = endpoints;
        }
        section["VirtualModels"] = new List<Dictionary<string, object>> { strategy };

        var yaml = new SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["Slingshot"] = section });
        var path = Path.GetFullPath(Path.Combine(directory, "serve.yaml"));
        var temperatures = string.Join(", ", chosen.Tiers.Select(t => t.Arm.ToString()).Distinct());
        File.WriteAllText(path, $"# Written by 'slingshot optimize': serves '{chosen.Name}' as model '{servedName}'.\n" +
            $"# It was measured at these temperatures ({temperatures}); send that temperature with each request.\n" + yaml);
        return new Written(path, cascadePath, $"slingshot serve -c {Quote(path)}");
    }

    private static Dictionary<string, object> Map(params (string Key, object? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);

    private static string Quote(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{path.Replace("'", "'\\''")}'" : path;
}
