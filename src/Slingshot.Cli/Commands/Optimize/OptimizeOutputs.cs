using System.Globalization;
using System.Text.Json;
using Slingshot.Evaluation.Optimization;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>The files a search writes (report.html, plan.json, serve.yaml) and what it prints.</summary>
internal static class OptimizeOutputs
{
    /// <summary>plan.json: the search's result and how to serve its choice.</summary>
    /// <param name="Result">Everything the search found.</param>
    /// <param name="ServedModel">The model name the served configuration answers to; null when nothing is served.</param>
    /// <param name="ServeCommand">The one line that serves it.</param>
    /// <param name="ServeConfig">The serve.yaml path.</param>
    /// <param name="Demo">With --demo on stand-ins: why.</param>
    public sealed record PlanFile(OptimizeResult Result, string? ServedModel, string? ServeCommand, string? ServeConfig, string? Demo);

    /// <summary>Writes the files; serve.yaml only when a servable configuration reached the target.</summary>
    public static ServeConfigWriter.Written? Write(OptimizeResult result, string directory, string servedName, string extractor,
        IReadOnlySet<string> withoutChatTemplate, string? standIn)
    {
        Directory.CreateDirectory(directory);
        var written = result.Choice.Chosen is { } chosen
            ? ServeConfigWriter.Write(chosen.Spec, result.Candidates, servedName, extractor, withoutChatTemplate, directory)
            : null;
        if (written is null)
        {
            File.Delete(Path.Combine(directory, "serve.yaml")); // an earlier run's choice would no longer be this one
        }
        var plan = new PlanFile(result, written is null ? null : servedName, written?.Command, written?.ServeYaml, standIn);
        File.WriteAllText(Path.Combine(directory, "plan.json"), JsonSerializer.Serialize(plan, Json.Options) + Environment.NewLine);
        File.WriteAllText(Path.Combine(directory, "report.html"), OptimizeHtmlReport.Render(result, DateTimeOffset.UtcNow));
        return written;
    }

    /// <summary>Prints the front and the choice as a table, then the outputs and the serve command.</summary>
    public static void Print(OptimizeResult result, ServeConfigWriter.Written? written, string directory)
    {
        var console = AnsiConsole.Console;
        var basis = result.Options.CostBasis;
        var table = new Table().Title($"Pareto front on the development split ({result.DevelopmentProblems} problems)")
            .AddColumn("configuration").AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("interval").RightAligned())
            .AddColumn(new TableColumn($"cost / problem ({OptimizeHtmlReport.BasisName(basis)})").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned()).AddColumn(new TableColumn("reaches").RightAligned());
        foreach (var c in result.Front)
        {
            var mark = ReferenceEquals(c, result.Choice.Chosen) ? "* " : "";
            table.AddRow(Markup.Escape(mark + c.Name), P(c.Accuracy), $"{P(c.Lower)}-{P(c.Upper)}", Markup.Escape(OptimizeHtmlReport.Cost(basis, c.CostPerProblem)),
                c.LatencyP50Ms.ToString("0", CultureInfo.InvariantCulture), ConfigurationChoice.Reaches(c, result.Options.Target) ? "yes" : "no");
        }
        console.Write(table);
        var target = P(result.Options.Target);
        if (result.Choice.Chosen is { } chosen)
        {
            console.WriteLine($"chosen: {chosen.Name}: {P(chosen.Accuracy)} (lower bound {P(chosen.Lower)} >= {target}) at {OptimizeHtmlReport.Cost(basis, chosen.CostPerProblem)} per problem");
        }
        else
        {
            console.WriteLine($"no configuration reaches {target} at {P(result.Options.Confidence)} confidence" +
                (result.Choice.Closest is { } closest ? $"; closest: {closest.Name}: {P(closest.Accuracy)} (lower bound {P(closest.Lower)}) at {OptimizeHtmlReport.Cost(basis, closest.CostPerProblem)} per problem" : ""));
        }
        console.WriteLine(result.HeldOut switch
        {
            { Result: { } r, Held: true } => $"held-out check: held ({P(r.Accuracy)} on {r.Problems} problems)",
            { Result: { } r } => $"held-out check: NOT held ({P(r.Accuracy)} on {r.Problems} problems, below {target})",
            _ => $"held-out check: not made ({result.HeldOut.Note})",
        });
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"samples: {result.SamplesUsed} used ({result.SamplesDrawn} drawn now); every candidate at k={result.Options.MaxSamples} would take {result.ExhaustiveSamples}"));
        console.WriteLine($"wrote {Path.Combine(directory, "report.html")}, {Path.Combine(directory, "plan.json")}{(written is null ? "" : ", " + written.ServeYaml)}");
        if (written is not null)
        {
            console.WriteLine($"serve it: {written.Command}");
        }
    }

    private static string P(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);
}
