using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slingshot.Server.OpenAi;

/// <summary>Reads a request body as JSON; anything else is a 400 (a body over the size limit is a 413 from Kestrel).</summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context)
    {
        if (context.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(400, $"Content-Type must be application/json (got '{type}').", code: "invalid_content_type");
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ApiException(400, $"The request body is not valid JSON ({ex.Message.Split('.')[0]}).", code: "invalid_json");
        }
        try
        {
            CheckText(document.RootElement, []);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The JSON parser accepts strings that are not text (invalid UTF-8 bytes, overlong or truncated sequences, an
    /// escaped lone surrogate such as "\ud800") and fails only when a string is read. Reading every string and
    /// name once here turns that into a 400 naming the field, wherever the field is and whether or not it is used.
    /// </summary>
    private static void CheckText(JsonElement element, List<string> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Read(element.GetString, path);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add($"[{index++}]");
                    CheckText(item, path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Read(() => property.Name, path, nameOfField: true);
                    path.Add(path.Count == 0 ? name : "." + name);
                    CheckText(property.Value, path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }

    private static string Read(Func<string?> read, List<string> path, bool nameOfField = false)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            // The field's path, as OpenAI names nested fields ("messages[0].content"), bounded: names are the client's.
            var field = Observability.LogText.Bounded(string.Concat(path), 200);
            var param = nameOfField ? (field.Length == 0 ? "(a field name)" : $"{field} (a field name)") : field;
            throw new ApiException(400, $"'{param}' is not valid text: strings must be UTF-8 without lone surrogates.", param: param, code: "invalid_encoding");
        }
    }
}
