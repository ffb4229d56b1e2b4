using System.Net;
using System.Text;
using System.Text.Json;

namespace Slingshot.Server.Tests.Support;

/// <summary>A response read whole: status, headers and the body as text and (when it parses) JSON.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, HttpResponseMessage Message)
{
    public int Code => (int)Status;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>Requests the tests send over and over.</summary>
public static class HttpExtensions
{
    public static async Task<Reply> PostJsonAsync(this HttpClient http, string path, string json, CancellationToken ct = default)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await http.PostAsync(path, content, ct);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(ct), response);
    }

    public static Task<Reply> PostJsonAsync(this HttpClient http, string path, object body, CancellationToken ct = default) =>
        http.PostJsonAsync(path, JsonSerializer.Serialize(body), ct);

    public static async Task<Reply> GetReplyAsync(this HttpClient http, string path, CancellationToken ct = default)
    {
        var response = await http.GetAsync(path, ct);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(ct), response);
    }

    /// <summary>A short chat request to the local model.</summary>
    public static object Chat(string text = "Once upon a time", int maxTokens = 8, int n = 1, bool stream = false, string model = ServerFixture.Model) =>
        new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = text } },
            ["max_tokens"] = maxTokens,
            ["n"] = n,
            ["stream"] = stream,
        };
}
