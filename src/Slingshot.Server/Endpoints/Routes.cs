using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Slingshot.Server.Endpoints;

/// <summary>
/// The route table's templates: what the server maps, and the only values the <c>endpoint</c> label of its metrics
/// takes (plus <see cref="Unmatched"/>), so no client-chosen path can add a series.
/// </summary>
internal static class Routes
{
    public const string ChatCompletions = "/v1/chat/completions";
    public const string Completions = "/v1/completions";
    public const string Models = "/v1/models";
    public const string Model = "/v1/models/{id}";
    public const string Health = "/health";
    public const string Metrics = "/metrics";

    /// <summary>The label of every request no route matched (unknown paths, the 404 fallback).</summary>
    public const string Unmatched = "unmatched";

    private static readonly FrozenSet<string> Templates = new[] { ChatCompletions, Completions, Models, Model, Health, Metrics }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The template of the route that matched <paramref name="context"/>, or <see cref="Unmatched"/>.</summary>
    public static string Label(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template } && Templates.Contains(template) ? template : Unmatched;
}
