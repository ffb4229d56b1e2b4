using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// A task seen through a subset of its problems (a split): same name, version, prompts and grading, so a run drawn
/// through it is the run <c>slingshot eval</c> would draw with the same settings, and the two share their samples.
/// </summary>
public sealed class ProblemSubsetTask : IBenchmarkTask
{
    private readonly IBenchmarkTask _inner;
    private readonly HashSet<string> _problemIds;

    /// <summary>Wraps <paramref name="inner"/>, keeping only <paramref name="problemIds"/> (in the task's order).</summary>
    public ProblemSubsetTask(IBenchmarkTask inner, IEnumerable<string> problemIds)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(problemIds);
        _problemIds = problemIds.ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public string Version => _inner.Version;

    /// <inheritdoc />
    public string Description => _inner.Description;

    /// <inheritdoc />
    public IAnswerExtractor? Extractor => _inner.Extractor;

    /// <inheritdoc />
    public ChatOptions DefaultOptions => _inner.DefaultOptions;

    /// <inheritdoc />
    public IVerifier Verifier => _inner.Verifier;

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems() => [.. _inner.LoadProblems().Where(p => _problemIds.Contains(p.Id))];
}
