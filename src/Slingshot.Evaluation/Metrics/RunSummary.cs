namespace Slingshot.Evaluation.Metrics;

/// <summary>Accuracy at one sample budget k.</summary>
/// <param name="K">Samples per problem.</param>
/// <param name="Coverage">Mean unbiased pass@k: the share of problems with at least one correct sample among k.</param>
/// <param name="MajorityVote">maj@k: the share whose most frequent extracted answer among k is correct; null for tasks without answers.</param>
public sealed record CoveragePoint(int K, double Coverage, double? MajorityVote);

/// <summary>The fit coverage(k) ≈ exp(a·k^b) (Large Language Monkeys), a &lt; 0, b &lt; 0.</summary>
/// <param name="A">Scale; exp(a) is the fitted pass@1.</param>
/// <param name="B">Exponent.</param>
/// <param name="RSquared">Goodness of fit on log(-log coverage) vs log k.</param>
public sealed record CoverageFit(double A, double B, double RSquared)
{
    /// <summary>Fitted coverage at k samples.</summary>
    public double Predict(double k) => Math.Exp(A * Math.Pow(k, B));

    /// <summary>Smallest k the fit predicts reaches <paramref name="coverage"/> (0..1), or null when it never does.</summary>
    public double? SamplesFor(double coverage)
    {
        if (coverage <= 0 || coverage >= 1 || A >= 0 || B >= 0)
        {
            return null;
        }
        // exp(a k^b) = c  =>  k = (ln c / a)^(1/b)
        return Math.Pow(Math.Log(coverage) / A, 1 / B);
    }
}

/// <summary>Tokens, compute, time and money of a run, in total and per problem.</summary>
public sealed record CostSummary
{
    /// <summary>Prompt tokens processed (a prompt shared by k forked samples counts once).</summary>
    public long PromptTokens { get; init; }
    /// <summary>Completion tokens generated.</summary>
    public long CompletionTokens { get; init; }
    /// <summary>Estimated FLOPs: 2 × parameters × tokens (local models).</summary>
    public double Flops { get; init; }
    /// <summary>Wall time spent generating, in seconds.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Price in US dollars from the model's price table (0 for local models without one).</summary>
    public double PriceUsd { get; init; }
    /// <summary>Problems the run covers.</summary>
    public int Problems { get; init; }
    /// <summary>Problems solved by the run's selected answer (maj@n, or the verifier's choice for code).</summary>
    public int Solved { get; init; }

    /// <summary>Price per problem.</summary>
    public double PricePerProblem => Problems == 0 ? 0 : PriceUsd / Problems;
    /// <summary>Price per solved problem (infinity when none solved).</summary>
    public double PricePerSolved => Solved == 0 ? double.PositiveInfinity : PriceUsd / Solved;
    /// <summary>FLOPs per problem.</summary>
    public double FlopsPerProblem => Problems == 0 ? 0 : Flops / Problems;
    /// <summary>Wall seconds per solved problem (infinity when none solved).</summary>
    public double SecondsPerSolved => Solved == 0 ? double.PositiveInfinity : WallSeconds / Solved;
    /// <summary>Tokens (in and out) per problem.</summary>
    public double TokensPerProblem => Problems == 0 ? 0 : (double)(PromptTokens + CompletionTokens) / Problems;
}

/// <summary>Settings a run was drawn with; recorded so results can be reproduced.</summary>
public sealed record RunSettings
{
    /// <summary>Model id (file name or remote model name).</summary>
    public required string Model { get; init; }
    /// <summary>What produced the samples beyond the model's name (file digest and adapters, or endpoint); see <c>ModelFingerprint</c>.</summary>
    public string? ModelFingerprint { get; init; }
    /// <summary>Task name.</summary>
    public required string Task { get; init; }
    /// <summary>Task version.</summary>
    public required string TaskVersion { get; init; }
    /// <summary>Samples per problem requested.</summary>
    public int SamplesPerProblem { get; init; }
    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; }
    /// <summary>Nucleus sampling threshold.</summary>
    public double TopP { get; init; } = 1;
    /// <summary>Token limit per sample.</summary>
    public int MaxTokens { get; init; }
    /// <summary>Base seed; sample i of problem p uses a seed derived from it deterministically.</summary>
    public long Seed { get; init; }
    /// <summary>Problem limit (null = all).</summary>
    public int? Limit { get; init; }
    /// <summary>Whether the task extracts short answers (majority vote applies); false for code tasks.</summary>
    public bool ExtractsAnswers { get; init; } = true;
    /// <summary>Everything else worth recording (threads, context, endpoint, prices, ...).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>Everything a report shows about one run.</summary>
public sealed record RunSummary
{
    /// <summary>Run id in the store.</summary>
    public required string RunId { get; init; }
    /// <summary>How it was drawn.</summary>
    public required RunSettings Settings { get; init; }
    /// <summary>Problems with at least one graded sample.</summary>
    public int Problems { get; init; }
    /// <summary>Smallest number of graded samples any problem has (coverage is reported up to this k).</summary>
    public int SamplesPerProblem { get; init; }
    /// <summary>Coverage and maj@k at k = 1, 2, 4, ... up to <see cref="SamplesPerProblem"/> (and that n itself).</summary>
    public required IReadOnlyList<CoveragePoint> Curve { get; init; }
    /// <summary>Accuracy of the answer a verifier selects (first sample passing); equals coverage at n with an oracle verifier.</summary>
    public double? VerifierSelectedAccuracy { get; init; }
    /// <summary>Accuracy of the sample with the highest mean token log-probability.</summary>
    public double? LogprobSelectedAccuracy { get; init; }
    /// <summary>Fit of coverage vs k, when at least two points with 0 &lt; coverage &lt; 1 exist.</summary>
    public CoverageFit? Fit { get; init; }
    /// <summary>Cost.</summary>
    public required CostSummary Cost { get; init; }
    /// <summary>When the run was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Coverage at the largest k.</summary>
    public double CoverageAtN => Curve.Count == 0 ? 0 : Curve[^1].Coverage;
    /// <summary>maj@n.</summary>
    public double? MajorityAtN => Curve.Count == 0 ? null : Curve[^1].MajorityVote;
    /// <summary>The gap between what k samples contain (coverage) and what majority vote picks out.</summary>
    public double? SelectionGap => MajorityAtN is { } m ? CoverageAtN - m : null;
}
