using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Evaluation.Reports;

/// <summary>
/// Writes doubles as JSON numbers, and infinity or NaN (JSON has neither) as null; reads null back as NaN.
/// Nullable doubles go through it too, so a missing value and a non-finite one both read as null in JSON.
/// </summary>
public sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
