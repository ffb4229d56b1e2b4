using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Slingshot.Server.Tests.Support;

/// <summary>Server-sent events as OpenAI streams them: every event one <c>data: ...</c> line and a blank line.</summary>
public static class Sse
{
    public const string Done = "[DONE]";

    /// <summary>
    /// Splits a whole stream into its data payloads, asserting the framing: only <c>data: </c> lines, each followed by
    /// a blank line, and <c>[DONE]</c> last. Returns the JSON chunks before <c>[DONE]</c>.
    /// </summary>
    public static IReadOnlyList<JsonElement> ParseStrict(string body)
    {
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var events = body[..^2].Split("\n\n");
        var chunks = new List<JsonElement>();
        for (var i = 0; i < events.Length; i++)
        {
            var line = events[i];
            Assert.StartsWith("data: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', line);
            var data = line["data: ".Length..];
            if (i == events.Length - 1)
            {
                Assert.Equal(Done, data);
            }
            else
            {
                Assert.NotEqual(Done, data);
                chunks.Add(JsonDocument.Parse(data).RootElement);
            }
        }
        return chunks;
    }

    /// <summary>Reads data payloads as they arrive (for tests that stop reading part-way).</summary>
    public static async IAsyncEnumerable<string> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return line["data: ".Length..];
            }
        }
    }
}
