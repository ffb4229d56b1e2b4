using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>An extractor for engine tests: a sample's first word, or null for a blank sample.</summary>
internal sealed class FirstWordExtractor : IAnswerExtractor
{
    public string Name => "first-word";

    public string? Extract(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    public string NormalizeReference(string reference) => reference.Trim();
}
