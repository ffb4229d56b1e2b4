using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slingshot.Testing;

namespace Slingshot.Cli.Tests;

/// <summary>
/// A real OpenAI-compatible HTTP endpoint (chat completions, honouring n) that answers "X has A items. Then X buys B
/// more." word problems: model "big" always right, model "cheap" right on the problems <see cref="CheapSolves"/> picks
/// and without an answer on the others. Each choice reports 20 prompt and 10 completion tokens.
/// </summary>
internal sealed partial class ArithmeticEndpoint : LoopbackHttpServer
{
    private int _requests;

    public string BaseUrl => Root.AbsoluteUri + "v1";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Whether "cheap" solves the problem with these numbers: about 60% of them.</summary>
    public static bool CheapSolves(int a, int b) => (a * 7 + b * 3) % 10 < 6;

    protected override void Answer(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var response = context.Response;
        try
        {
            using var request = JsonDocument.Parse(new StreamReader(context.Request.InputStream).ReadToEnd());
            var model = request.RootElement.GetProperty("model").GetString()!;
            var question = request.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString();
            var n = request.RootElement.TryGetProperty("n", out var count) ? count.GetInt32() : 1;
            var match = Problem().Match(question);
            var (a, b) = match.Success ? (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)) : (0, 0);
            var text = model == "big" || (model == "cheap" && CheapSolves(a, b)) ? $"{a}+{b}={a + b}\n#### {a + b}" : "Let me think about it.";
            var body = JsonSerializer.Serialize(new
            {
                id = "chatcmpl-test",
                @object = "chat.completion",
                created = 1,
                model,
                choices = Enumerable.Range(0, n).Select(i => new { index = i, message = new { role = "assistant", content = text }, finish_reason = "stop" }),
                usage = new { prompt_tokens = 20, completion_tokens = 10 * n, total_tokens = 20 + 10 * n },
            });
            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes);
            response.Close();
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException or JsonException or KeyNotFoundException)
        {
            response.Abort();
        }
    }

    [GeneratedRegex(@"has (\d+) \w+\. Then \w+ buys (\d+) more")]
    private static partial Regex Problem();
}
