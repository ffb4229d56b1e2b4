using System.CommandLine;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot tasks</c>: the built-in benchmarks with their versions.</summary>
internal static class TasksCommand
{
    public static Command Create()
    {
        var tasks = new TaskOptionSet();
        var json = new Option<bool>("--json") { Description = "Print the list as JSON" };
        var command = new Command("tasks", "List the built-in benchmarks (use a task file .json for your own)") { json };
        tasks.AddTo(command);
        command.SetAction(parse =>
        {
            var list = tasks.Registry(parse, out _).List();
            if (parse.GetValue(json))
            {
                Json.Write(list);
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("task", "version", "description");
            foreach (var t in list)
            {
                table.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Version), Markup.Escape(t.Description));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
