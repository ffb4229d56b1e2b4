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
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ApiException(400, $"The request body is not valid JSON ({ex.Message.Split('.')[0]}).", code: "invalid_json");
        }
    }
}
