using System.CommandLine;
using Slingshot.Gguf;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot inspect</c>: a GGUF file's metadata and tensor table, read in managed code.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "GGUF file (model or LoRA adapter)" };
        var tensors = new Option<bool>("--tensors") { Description = "List every tensor (default: the first 16)" };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("inspect", "Show a GGUF file's metadata and tensors") { file, tensors, json };
        command.SetAction(parse =>
        {
            var gguf = GgufValidator.Validate(parse.GetRequiredValue(file));
            var parameters = gguf.Tensors.Sum(t => (long)t.Shape.Aggregate(1UL, (a, b) => a * b));
            if (parse.GetValue(json))
            {
                Json.Write(new
                {
                    path = gguf.Path,
                    version = gguf.Version,
                    fileBytes = gguf.FileLength,
                    architecture = gguf.Architecture,
                    parameters,
                    metadata = gguf.Metadata.ToDictionary(kv => kv.Key, kv => Summarize(kv.Value)),
                    tensors = gguf.Tensors.Select(t => new { name = t.Name, shape = t.Shape, type = t.Type.ToString(), bytes = t.ByteSize }),
                });
                return 0;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(gguf.Path))}[/]: GGUF v{gguf.Version}, {gguf.FileLength:N0} bytes, " +
                $"{gguf.Tensors.Count} tensors, {parameters:N0} parameters, architecture [green]{Markup.Escape(gguf.Architecture ?? "?")}[/]");
            var meta = new Table().AddColumn("key").AddColumn("value").Border(TableBorder.Rounded);
            foreach (var (key, value) in gguf.Metadata)
            {
                meta.AddRow(Markup.Escape(key), Markup.Escape(Summarize(value)));
            }
            AnsiConsole.Write(meta);

            var shown = parse.GetValue(tensors) ? gguf.Tensors : gguf.Tensors.Take(16).ToList();
            var table = new Table().AddColumn("tensor").AddColumn("shape").AddColumn("type").AddColumn(new TableColumn("bytes").RightAligned()).Border(TableBorder.Rounded);
            foreach (var t in shown)
            {
                table.AddRow(Markup.Escape(t.Name), string.Join(" x ", t.Shape), t.Type.ToString(), t.ByteSize.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            if (shown.Count < gguf.Tensors.Count)
            {
                AnsiConsole.MarkupLine($"[grey]... {gguf.Tensors.Count - shown.Count} more (use --tensors)[/]");
            }
            return 0;
        });
        return command;
    }

    /// <summary>A value in one line: long strings and arrays are cut.</summary>
    private static string Summarize(GgufValue value)
    {
        var text = value.ToString() ?? string.Empty;
        text = text.ReplaceLineEndings("\\n");
        return text.Length > 120 ? text[..117] + "..." : text;
    }
}
