namespace Slingshot.Evaluation.Benchmarks;

/// <summary>A benchmark name that is not in the registry; the message lists what exists.</summary>
public sealed class UnknownBenchmarkException : SlingshotException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name asked for.</param>
    /// <param name="known">The names that exist in the place the name was looked up.</param>
    /// <param name="suggestion">The closest known name, if one is close.</param>
    /// <param name="what">What kind of name was wrong ("benchmark", "MMLU subject").</param>
    public UnknownBenchmarkException(string name, IReadOnlyList<string> known, string? suggestion, string what = "benchmark")
        : base($"Unknown {what} '{name}'.{(suggestion is null ? "" : $" Did you mean '{suggestion}'?")} Known: {string.Join(", ", known)}.")
    {
        Name = name;
        Known = known;
        Suggestion = suggestion;
    }

    /// <summary>The name asked for.</summary>
    public string Name { get; }

    /// <summary>The names that exist.</summary>
    public IReadOnlyList<string> Known { get; }

    /// <summary>The closest known name, or null when none is close.</summary>
    public string? Suggestion { get; }
}
