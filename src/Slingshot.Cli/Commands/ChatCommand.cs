using System.CommandLine;
using System.Text;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot chat</c>: an interactive conversation rendered with the model's chat template.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var models = new ModelOptionSet();
        var sampling = new SamplingOptionSet();
        var system = new Option<string?>("--system") { Description = "System message" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template override: a built-in name (chatml, llama3, ...) or template text" };
        var command = new Command("chat", "Chat interactively (type /reset to start over, /exit or Ctrl-D to leave)") { system, template };
        models.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var loaded = models.Load(parse);
            var templateText = parse.GetValue(template);
            var history = new List<ChatTurn>();
            void Reset()
            {
                history.Clear();
                if (parse.GetValue(system) is { } s)
                {
                    history.Add(new ChatTurn("system", s));
                }
            }
            Reset();
            // Fail before the first prompt if the model cannot be chatted with.
            ChatTemplate.Apply(loaded.Model, [new ChatTurn("user", "hi")], true, templateText);
            var interactive = !Console.IsInputRedirected;
            if (interactive)
            {
                Console.Error.WriteLine($"Chatting with {Path.GetFileName(loaded.Model.Path)}. /reset starts over, /exit leaves.");
            }
            while (!ct.IsCancellationRequested)
            {
                if (interactive)
                {
                    Console.Error.Write("> ");
                }
                var line = await Console.In.ReadLineAsync(ct);
                if (line is null || line.Trim() == "/exit")
                {
                    break;
                }
                if (line.Trim() == "/reset")
                {
                    Reset();
                    continue;
                }
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                history.Add(new ChatTurn("user", line));
                var prompt = ChatTemplate.Apply(loaded.Model, history, true, templateText);
                var reply = new StringBuilder();
                await foreach (var update in loaded.Engine.StreamAsync(sampling.Request(parse, prompt, 1, null), ct))
                {
                    Console.Out.Write(update.Text);
                    reply.Append(update.Text);
                }
                Console.Out.WriteLine();
                history.Add(new ChatTurn("assistant", reply.ToString()));
            }
            return 0;
        });
        return command;
    }
}
