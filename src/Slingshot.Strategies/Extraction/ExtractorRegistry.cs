using System.Globalization;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// Creates answer extractors from the names used on the command line, in task files and in stored
/// results: "gsm8k-strict", "gsm8k-flexible", "math-boxed", "choice", "choice:5", "choice:4:numeric",
/// "yes-no", "final-answer", "code", "json-field:&lt;path&gt;".
/// </summary>
public static class ExtractorRegistry
{
    /// <summary>The names (and name patterns) <see cref="Create"/> accepts, for help text and errors.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        Gsm8kStrictExtractor.ExtractorName,
        Gsm8kFlexibleExtractor.ExtractorName,
        MathBoxedExtractor.ExtractorName,
        "choice[:<count>][:numeric]",
        YesNoExtractor.ExtractorName,
        FinalAnswerExtractor.ExtractorName,
        CodeBlockExtractor.ExtractorName,
        JsonFieldExtractor.NamePrefix + "<dotted.path>",
    ];

    /// <summary>Creates the extractor called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown or its parameters are invalid; the message lists valid names.</exception>
    public static IAnswerExtractor Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        switch (trimmed)
        {
            case Gsm8kStrictExtractor.ExtractorName:
                return new Gsm8kStrictExtractor();
            case Gsm8kFlexibleExtractor.ExtractorName:
                return new Gsm8kFlexibleExtractor();
            case MathBoxedExtractor.ExtractorName:
                return new MathBoxedExtractor();
            case YesNoExtractor.ExtractorName:
                return new YesNoExtractor();
            case FinalAnswerExtractor.ExtractorName:
                return new FinalAnswerExtractor();
            case CodeBlockExtractor.ExtractorName:
                return new CodeBlockExtractor();
        }

        if (trimmed.StartsWith(JsonFieldExtractor.NamePrefix, StringComparison.Ordinal))
        {
            var path = trimmed[JsonFieldExtractor.NamePrefix.Length..];
            if (string.IsNullOrWhiteSpace(path) || path.Split('.').Any(string.IsNullOrWhiteSpace))
            {
                throw Unknown(name, "json-field needs a dotted field path, as in json-field:answer");
            }
            return new JsonFieldExtractor(path);
        }

        if (trimmed == MultipleChoiceExtractor.ExtractorName
            || trimmed.StartsWith(MultipleChoiceExtractor.ExtractorName + ":", StringComparison.Ordinal))
        {
            return CreateChoice(name, trimmed.Split(':')[1..]);
        }

        throw Unknown(name, null);
    }

    private static MultipleChoiceExtractor CreateChoice(string name, string[] parameters)
    {
        var count = 4;
        var numeric = false;
        foreach (var parameter in parameters)
        {
            if (parameter == "numeric" && !numeric)
            {
                numeric = true;
            }
            else if (int.TryParse(parameter, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                && parsed is >= 2 and <= 26 && count == 4)
            {
                count = parsed;
            }
            else
            {
                throw Unknown(name, "choice takes an option count from 2 to 26 and/or 'numeric', as in choice:5:numeric");
            }
        }
        return new MultipleChoiceExtractor(count, numeric);
    }

    private static ArgumentException Unknown(string name, string? detail) => new(
        $"Unknown answer extractor '{name}'{(detail is null ? "" : $" ({detail})")}; valid names: {string.Join(", ", Names)}.",
        nameof(name));
}
