using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slingshot.Server.Hosting;

namespace Slingshot.Server.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /health</c> (<c>GET /metrics</c> is the OpenTelemetry exporter's, see <see cref="Observability.Telemetry"/>).</summary>
internal static class InfoEndpoints
{
    public static IResult Models(ModelCatalog catalog) => Results.Json(new
    {
        @object = "list",
        data = catalog.Models.Select(m => new { id = m.Name, @object = "model", created = m.Created, owned_by = m.OwnedBy }),
    });

    public static IResult Model(string id, ModelCatalog catalog) =>
        catalog.Find(id) is { } m
            ? Results.Json(new { id = m.Name, @object = "model", created = m.Created, owned_by = m.OwnedBy })
            : throw ChatCompletionsEndpoint.ModelNotFound(id);

    /// <summary>200 once every model is loaded (the catalog is built before the server listens), with queue figures.</summary>
    public static IResult Health(ModelCatalog catalog) => Results.Json(new
    {
        status = "ok",
        models = catalog.Models.Select(m => new { name = m.Name, in_flight = m.InFlight, active_sequences = (m as LocalModel)?.Engine.Statistics.Active }),
    });
}
