using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Cascades;
using Slingshot.Strategies.Cascades;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot cascade calibrate</c> chooses a cascade's thresholds on a development split of stored runs and
/// writes them to a config file; <c>slingshot cascade eval</c> checks a config on the held-out test split.
/// </summary>
internal static class CascadeCommand
{
    public static Command Create() => new("cascade", "Calibrate cascade thresholds on stored runs and check them on held-out problems")
    {
        CreateCalibrate(),
        CreateEval(),
    };

    private static Command CreateCalibrate()
    {
        var store = new Option<string>("--store") { Description = "Store holding every tier's run", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var tiers = new Option<string[]>("--tier") { Description = "A tier as RUN or RUN:K (its first K samples, voted), cheapest first; repeat for each tier", Required = true };
        var prices = new Option<string[]>("--price") { Description = "A tier's price as RUN=IN,OUT (USD per million prompt, completion tokens); default the prices the run was drawn with" };
        var escalation = new Option<string>("--escalation") { Description = "Escalation test scored from the store: agreement (share of the k samples behind the vote) or logprob (mean token log-probability)", DefaultValueFactory = _ => AgreementEscalation.TestName };
        var target = new Option<double?>("--target-accuracy") { Description = "Reach this accuracy (0..1) at least cost" };
        var confidence = new Option<double?>("--confidence") { Description = "With --target-accuracy: require the lower Wilson bound of the development accuracy at this confidence (e.g. 0.9) to reach the target" };
        var budget = new Option<double?>("--budget") { Description = "Most USD per problem to spend for the best accuracy" };
        var config = new Option<string>("--config") { Description = "Config file to write with the chosen thresholds", DefaultValueFactory = _ => "cascade.json" };
        var (fraction, seed, json) = SplitOptions();
        var command = new Command("calibrate", "Choose thresholds on the development split (target accuracy at least cost, or best accuracy within a budget), check them on the test split, write the config")
        {
            store, tiers, prices, escalation, target, confidence, budget, fraction, seed, config, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Require(parse.GetValue(target) is null or (>= 0 and <= 1), $"--target-accuracy must be between 0 and 1 (got {parse.GetValue(target)}).");
            Require(parse.GetValue(confidence) is null or (> 0 and < 1), $"--confidence must be between 0 and 1, exclusive (got {parse.GetValue(confidence)}).");
            Require(parse.GetValue(budget) is null or >= 0, $"--budget must be at least 0 USD per problem (got {parse.GetValue(budget)}).");
            Require(parse.GetValue(fraction) is > 0 and < 1, $"--dev-fraction must be between 0 and 1, exclusive (got {parse.GetValue(fraction)}).");
            var objective = (parse.GetValue(target), parse.GetValue(budget)) switch
            {
                ({ } accuracy, null) => CalibrationObjective.ReachAccuracy(accuracy, parse.GetValue(confidence)),
                (null, { } cost) when parse.GetValue(confidence) is null => CalibrationObjective.WithinBudget(cost),
                (null, { }) => throw new ArgumentException("--confidence applies to --target-accuracy, not to --budget."),
                _ => throw new ArgumentException("Give exactly one of --target-accuracy and --budget."),
            };
            var tierRuns = ParseTiers(parse.GetRequiredValue(tiers), parse.GetValue(prices) ?? []);
            var test = OfflineEscalation(parse.GetRequiredValue(escalation));
            var storePath = parse.GetRequiredValue(store);
            using var runStore = StoreCommand.OpenExisting(storePath);
            var dataset = await CascadeDataset.LoadAsync(runStore, tierRuns, test, cancellationToken: cancellationToken);
            var report = CascadeReport.Calibrate(dataset, objective, parse.GetValue(fraction), parse.GetValue(seed));
            var configPath = parse.GetRequiredValue(config);
            CascadeConfigFile.Save(configPath, report.ToConfig(Path.GetFullPath(storePath)));
            Print(report, parse.GetValue(json), configPath);
            return 0;
        });
        return command;
    }

    private static Command CreateEval()
    {
        var config = new Option<string>("--config") { Description = "Cascade config file (from 'slingshot cascade calibrate')", DefaultValueFactory = _ => "cascade.json" };
        var store = new Option<string?>("--store") { Description = "Store holding the tiers' runs (default: the store the config was calibrated on)" };
        var fraction = new Option<double?>("--dev-fraction") { Description = "Share of problems in the development split (default: the config's)" };
        var seed = new Option<long?>("--split-seed") { Description = "Seed of the split (default: the config's)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("eval", "Apply a cascade config to the held-out test split of its runs: promised vs realized accuracy and cost")
        {
            config, store, fraction, seed, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Require(parse.GetValue(fraction) is null or (> 0 and < 1), $"--dev-fraction must be between 0 and 1, exclusive (got {parse.GetValue(fraction)}).");
            var loaded = CascadeConfigFile.Load(parse.GetRequiredValue(config));
            var storePath = parse.GetValue(store) ?? loaded.Calibration?.Store
                ?? throw new ArgumentException("The config names no store; give --store.");
            var tierRuns = loaded.Tiers.Select(t => new CascadeTierRun(t.Name, t.Samples, t.Price)).ToList();
            using var runStore = StoreCommand.OpenExisting(storePath);
            var dataset = await CascadeDataset.LoadAsync(runStore, tierRuns, OfflineEscalation(loaded.Escalation), cancellationToken: cancellationToken);
            var thresholds = loaded.Tiers.Take(loaded.Tiers.Count - 1).Select(t => t.Threshold!.Value).ToList();
            var report = CascadeReport.Evaluate(dataset, thresholds,
                parse.GetValue(fraction) ?? loaded.Calibration?.DevelopmentFraction ?? 0.5,
                parse.GetValue(seed) ?? loaded.Calibration?.SplitSeed ?? 1);
            Print(report, parse.GetValue(json), configPath: null);
            return 0;
        });
        return command;
    }

    private static (Option<double> Fraction, Option<long> Seed, Option<bool> Json) SplitOptions() => (
        new Option<double>("--dev-fraction") { Description = "Share of problems in the development split (by a hash of the problem id)", DefaultValueFactory = _ => 0.5 },
        new Option<long>("--split-seed") { Description = "Seed of the development/test split", DefaultValueFactory = _ => 1 },
        new Option<bool>("--json") { Description = "Print the report as JSON" });

    /// <summary>The store keeps no verifier or judge scores, so only tests scored from samples can be replayed from the command line.</summary>
    private static string OfflineEscalation(string name) =>
        name is AgreementEscalation.TestName or MeanLogprobEscalation.TestName
            ? name
            : throw new ArgumentException($"--escalation '{name}' cannot be replayed from the store; use agreement or logprob "
                + "(verifier and judge tests calibrate through CascadeDataset.LoadAsync with the verifier).");

    private static List<CascadeTierRun> ParseTiers(string[] specs, string[] prices)
    {
        if (specs.Length < 2)
        {
            throw new ArgumentException("A cascade needs at least two --tier runs, cheapest first.");
        }
        var priceByRun = new Dictionary<string, TokenPrice>(StringComparer.Ordinal);
        foreach (var spec in prices)
        {
            var equals = spec.LastIndexOf('=');
            var parts = equals > 0 ? spec[(equals + 1)..].Split(',') : [];
            if (parts.Length != 2 || !TryParse(parts[0], out var input) || !TryParse(parts[1], out var output) || input < 0 || output < 0)
            {
                throw new ArgumentException($"--price '{spec}' is not RUN=IN,OUT (USD per million prompt and completion tokens, e.g. big=3,15).");
            }
            priceByRun[spec[..equals]] = new TokenPrice(input, output);
        }
        var tiers = specs.Select(spec =>
        {
            var colon = spec.LastIndexOf(':');
            var (run, samples) = colon > 0 && int.TryParse(spec[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
                ? (spec[..colon], k)
                : (spec, 1);
            if (samples < 1)
            {
                throw new ArgumentException($"--tier '{spec}' needs at least one sample.");
            }
            return new CascadeTierRun(run, samples, priceByRun.TryGetValue(run, out var price) ? price : null);
        }).ToList();
        if (priceByRun.Keys.FirstOrDefault(run => tiers.All(t => t.RunId != run)) is { } unknown)
        {
            throw new ArgumentException($"--price names run '{unknown}', which is not a --tier.");
        }
        return tiers;
    }

    private static void Require(bool valid, FormattableString message)
    {
        if (!valid)
        {
            throw new ArgumentException(message.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static void Print(CascadeReport report, bool json, string? configPath)
    {
        if (json)
        {
            Json.Write(new { report, config = configPath });
            return;
        }
        CascadeTables.Write(report);
        if (configPath is not null)
        {
            AnsiConsole.MarkupLine($"Thresholds written to [bold]{Markup.Escape(configPath)}[/].");
        }
    }
}
