using System.Text.Json;

namespace Slingshot.Evaluation.Reports;

/// <summary>
/// Renders a report as indented camelCase JSON for other tools: the input as is (settings, curve, fit, cost,
/// plus the derived properties such as coverageAtN and pricePerSolved). Numbers stay numbers; infinity and NaN
/// become null.
/// </summary>
public static class JsonReport
{
    /// <summary>The serializer settings the report uses.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Renders <paramref name="input"/> as JSON.</summary>
    public static string Render(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return JsonSerializer.Serialize(input, Options);
    }

    /// <summary>Reads a report written by <see cref="Render"/> back; derived properties are recomputed, not read.</summary>
    /// <exception cref="JsonException">The text is not such a report.</exception>
    public static ReportInput Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<ReportInput>(json, Options)
            ?? throw new JsonException("The JSON report is null.");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        options.Converters.Add(new NonFiniteAsNullConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
