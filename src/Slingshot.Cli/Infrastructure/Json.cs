using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Cli;

/// <summary>One JSON style for every --json output: camelCase, enums as strings, indented.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new Slingshot.Evaluation.Reports.NonFiniteAsNullConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}

