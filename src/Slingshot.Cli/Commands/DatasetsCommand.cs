using System.CommandLine;
using Slingshot.Evaluation.Datasets;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot datasets</c>: the pinned benchmark data and the user's cache of it. <c>pull</c> downloads a benchmark's
/// files (from their public sources or a mirror), checks each against its pinned SHA-256 and keeps only matching files.
/// </summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "Benchmark data: list what is pinned and cached, pull it into the cache");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Pull());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON" };
        var command = new Command("list", "The data sets, the benchmarks that read them, their sources and whether they are cached") { json };
        command.SetAction(parse =>
        {
            var cache = DatasetCache.DefaultDirectory();
            var rows = DatasetManifest.BuiltIn.Datasets.Select(d => new
            {
                name = d.Name,
                tasks = d.Tasks,
                files = d.Files.Count,
                bytes = d.TotalSize,
                cached = d.Files.Count - DatasetCache.Missing(cache, d).Count,
                downloadable = d.Files.All(f => f.Url is not null),
                license = d.License,
                source = d.Source,
            }).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(new { cache, datasets = rows });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("data set", "benchmarks", "size", "cached", "public source pinned", "license");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.name), Markup.Escape(string.Join(", ", row.tasks)), DatasetLocation.Bytes(row.bytes),
                    row.cached == row.files ? "yes" : row.cached == 0 ? "no" : $"{row.cached}/{row.files} files",
                    row.downloadable ? "yes" : "no (mirror or --datasets)", Markup.Escape(row.license));
            }
            AnsiConsole.Write(table);
            Console.Out.WriteLine($"cache: {cache}");
            return 0;
        });
        return command;
    }

    private static Command Pull()
    {
        var names = new Argument<string[]>("name") { Description = "Data sets or benchmarks to pull (gsm8k, mmlu, arc-easy, routellm, ...)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Pull every data set" };
        var mirror = new Option<string?>("--mirror", "--datasets-mirror")
        {
            Description = "Base URL of a mirror laid out like the data folder (gsm8k/test.jsonl, ...) (default: $SLINGSHOT_DATASETS_MIRROR, else the pinned public sources)",
        };
        var command = new Command("pull", "Download data sets into the cache, verifying every file against its pinned SHA-256") { names, all, mirror };
        command.SetAction(async (parse, ct) =>
        {
            var manifest = DatasetManifest.BuiltIn;
            var asked = parse.GetValue(names) ?? [];
            if (parse.GetValue(all) == (asked.Length > 0))
            {
                throw new ArgumentException("Name the data sets to pull (see 'slingshot datasets list'), or pass --all.");
            }
            // Resolve every name before downloading anything, so a typo fails at once.
            var datasets = parse.GetValue(all) ? manifest.Datasets : asked.Select(manifest.Get).Distinct().ToList();
            var cache = DatasetCache.DefaultDirectory();
            var source = DatasetLocation.Mirror(parse.GetValue(mirror));
            foreach (var dataset in datasets)
            {
                var result = await DatasetLocation.PullAsync(cache, source, dataset, verifyCached: true, ct);
                var replaced = result.Replaced.Count > 0 ? $" ({result.Replaced.Count} cached file(s) did not match their checksum and were downloaded again)" : "";
                Console.Error.WriteLine($"{dataset.Name}: {result.Downloaded.Count} downloaded, {result.AlreadyCached.Count} already cached and verified{replaced}");
            }
            Console.Out.WriteLine(cache);
            return 0;
        });
        return command;
    }
}
