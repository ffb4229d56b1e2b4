using System.CommandLine;
using System.Globalization;
using Slingshot.Embeddings;
using Slingshot.Evaluation.Routing;
using Slingshot.Strategies.Routing;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot route eval</c>: score the held-out prompts with a router and compare its cost-quality curve with
/// always-small, always-large and a random router (CPT(50%), CPT(80%), APGR).
/// </summary>
internal static class RouteEvalCommand
{
    public static Command Create()
    {
        var data = new RouteDataOptions();
        var router = new Option<string>("--router", "-r") { Description = "Router file written by 'slingshot route train'", Required = true };
        var heldOut = new Option<double?>("--held-out") { Description = "Share held out (default: the router file's, so the split matches training)" };
        var threshold = new Option<double?>("--threshold") { Description = "Operating threshold (default: the router file's calibrated one)" };
        var plot = new Option<string?>("--plot") { Description = "Write the cost-quality curve to this .svg or .html file" };
        var json = new Option<bool>("--json") { Description = "Print the evaluation as JSON" };
        var command = new Command("eval", "Evaluate a router on held-out prompts: cost-quality curve, CPT(50%), CPT(80%), APGR")
        {
            router, heldOut, threshold, plot, json,
        };
        data.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var file = LoadRouter(parse.GetRequiredValue(router));
            var fraction = parse.GetValue(heldOut) ?? file.HeldOutFraction ?? 0.2;
            var seed = parse.GetResult(data.Seed) is null ? file.SplitSeed : parse.GetValue(data.Seed);
            var (examples, source) = await data.LoadAsync(parse, ct);
            var (_, held) = RoutingSplit.Split(examples, fraction, seed);
            if (held.Count == 0)
            {
                throw new SlingshotException($"No held-out prompts (held-out share {fraction}); nothing to evaluate.");
            }
            var prompts = new PromptRouter(file, parse.GetValue(threshold));
            using var embeddings = file.Features.EmbeddingModel is { } model ? LlamaEmbeddingGenerator.Load(model, new LlamaEmbeddingOptions { Threads = 1, MaxTokens = file.Features.EmbeddingMaxTokens }) : null;
            var scores = await RouteProgressBar.RunAsync(progress => RouterTrainer.ScoreAsync(prompts, held, embeddings, progress, ct));
            var evaluation = RoutingEvaluation.Compute(held, scores, prompts.Threshold);
            if (parse.GetValue(plot) is { } plotPath)
            {
                var title = $"Router cost-quality curve ({held.Count} held-out prompts)";
                File.WriteAllText(plotPath, plotPath.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
                    ? RoutingPlot.RenderHtml(evaluation, title)
                    : RoutingPlot.RenderSvg(evaluation, title));
            }
            if (parse.GetValue(json))
            {
                Json.Write(new { source, heldOutFraction = fraction, seed, evaluation });
                return 0;
            }
            AnsiConsole.MarkupLine(Invariant($"{held.Count} held-out prompts from {Markup.Escape(source)} (held-out share {fraction}, seed {seed})"));
            var table = new Table().Border(TableBorder.Rounded).AddColumns("policy", "large calls", "accuracy", "PGR", "CPT(50%)", "CPT(80%)", "APGR");
            table.AddRow("always small", "0%", Pct(evaluation.SmallAccuracy), "0.00", "-", "-", "-");
            table.AddRow("always large", "100%", Pct(evaluation.LargeAccuracy), "1.00", "-", "-", "-");
            table.AddRow("random, same share", Pct(evaluation.RandomAtOperatingShare.LargeShare),
                Pct(evaluation.RandomAtOperatingShare.Accuracy), Num(evaluation.RandomAtOperatingShare.Pgr),
                Pct(evaluation.Random.Cpt50), Pct(evaluation.Random.Cpt80), Num(evaluation.Random.Apgr));
            table.AddRow(Invariant($"router (threshold {evaluation.Threshold:0.###})"), Pct(evaluation.OperatingPoint.LargeShare),
                Pct(evaluation.OperatingPoint.Accuracy), Num(evaluation.OperatingPoint.Pgr),
                Pct(evaluation.Router.Cpt50), Pct(evaluation.Router.Cpt80), Num(evaluation.Router.Apgr));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static RouterFile LoadRouter(string path)
    {
        try
        {
            return RouterFile.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new SlingshotException(ex.Message, ex);
        }
    }

    private static string Pct(double value) => double.IsNaN(value) ? "-" : Invariant($"{value * 100:0.0}%");

    private static string Num(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
