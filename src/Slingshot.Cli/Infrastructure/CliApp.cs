using System.CommandLine;
using Slingshot.Cli.Commands;

namespace Slingshot.Cli;

/// <summary>Builds the command tree and turns every failure into one line on stderr and a non-zero exit.</summary>
internal static class CliApp
{
    public const int ExitError = 1;
    public const int ExitUsage = 2;
    public const int ExitCancelled = 130;

    public static RootCommand Build()
    {
        var root = new RootCommand("Slingshot: make small language models do the work of big ones. Runs GGUF models locally through llama.cpp.")
        {
            RunCommand.Create(),
            ChatCommand.Create(),
            EvalCommand.Create(),
            GradeCommand.Create(),
            ReportCommand.Create(),
            CompareCommand.Create(),
            CascadeCommand.Create(),
            StoreCommand.Create(),
            TasksCommand.Create(),
            DatasetsCommand.Create(),
            ServeCommand.Create(),
            InspectCommand.Create(),
            QuantizeCommand.Create(),
            CreateModelCommand.Create(),
            TrainCommand.Create(),
            FinetuneCommand.Create(),
            DistillCommand.Create(),
            ProxyCommand.Create(),
            JudgeCommand.Create(),
            BenchCommand.Create(),
            DoctorCommand.Create(),
            RouteCommand.Create(),
            OptimizeCommand.Create(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Tables written to a file or pipe should not be cut to a guessed 80 columns.
            Spectre.Console.AnsiConsole.Profile.Width = 240;
        }
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command.Name;
            Console.Error.WriteLine($"slingshot: {parse.Errors[0].Message} (see 'slingshot {(command == "slingshot" ? "" : command + " ")}--help')");
            return ExitUsage;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("slingshot: cancelled");
            return ExitCancelled;
        }
        catch (Exception ex) when (IsUserFacing(ex))
        {
            Console.Error.WriteLine($"slingshot: {OneLine(ex.Message)}");
            return ExitError;
        }
    }

    private static bool IsUserFacing(Exception ex) =>
        ex is SlingshotException or InvalidModelFileException or ArgumentException or IOException or UnauthorizedAccessException
            or FormatException or InvalidOperationException or System.Text.Json.JsonException or System.Data.Common.DbException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
