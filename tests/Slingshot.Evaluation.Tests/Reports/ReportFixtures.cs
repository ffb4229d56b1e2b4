using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

/// <summary>
/// Hand-made run summaries on one task: a small local model sampled 64 times (coverage rising log-linearly),
/// a large model sampled once, and a mid-size model that is dominated (costlier and less accurate than the small one).
/// </summary>
internal static class ReportFixtures
{
    public const string SmallId = "run-small";
    public const string LargeId = "run-large";
    public const string DominatedId = "run-mid";

    public static readonly DateTimeOffset GeneratedAt = new(2025, 11, 20, 9, 30, 0, TimeSpan.Zero);

    public static RunSummary Small { get; } = Run(
        SmallId, "qwen2.5-0.5b-instruct-q4_k_m", k: 64, parameters: 0.5e9, completionPerSample: 300,
        curve: [.. Enumerable.Range(0, 7).Select(i => new CoveragePoint(1 << i, (3 + i) / 10.0, (12 + i) / 40.0))],
        fit: new CoverageFit(-1.204, -0.539, 0.962), verifier: 0.86, logprob: 0.38);

    public static RunSummary Large { get; } = Run(
        LargeId, "llama-3.1-70b-instruct-q4_k_m", k: 1, parameters: 70e9, completionPerSample: 300,
        curve: [new CoveragePoint(1, 0.62, 0.62)], fit: null, verifier: 0.62, logprob: 0.62);

    public static RunSummary Dominated { get; } = Run(
        DominatedId, "mistral-7b-instruct-q4_k_m", k: 8, parameters: 7e9, completionPerSample: 300,
        curve: [new(1, 0.20, 0.20), new(2, 0.28, 0.24), new(4, 0.35, 0.33), new(8, 0.42, 0.40)],
        fit: new CoverageFit(-1.609, -0.31, 0.991), verifier: null, logprob: 0.25);

    public static IReadOnlyList<RunSummary> ThreeRuns { get; } = [Small, Large, Dominated];

    public static ReportInput Input(params RunSummary[] runs) => new()
    {
        Runs = runs.Length == 0 ? ThreeRuns : runs,
        Title = "GSM8K: small model × 64 vs. large model × 1",
        GeneratedAt = GeneratedAt,
    };

    public static IReadOnlyList<ProblemResult> Problems { get; } =
    [
        new(SmallId, "gsm8k/0", 64, 40, "18", true),
        new(LargeId, "gsm8k/0", 1, 1, "18", true),
        new(SmallId, "gsm8k/1", 64, 0, "7", false),
        new(LargeId, "gsm8k/1", 1, 0, "5", false),
    ];

    public static RunSummary Run(string id, string model, int k, double parameters, int completionPerSample,
        IReadOnlyList<CoveragePoint> curve, CoverageFit? fit, double? verifier, double? logprob, string task = "gsm8k")
    {
        const int problems = 100;
        const int promptTokens = 150;
        var completion = (long)problems * k * completionPerSample;
        var prompt = (long)problems * promptTokens;
        var selected = curve[^1].MajorityVote ?? curve[0].Coverage;
        return new RunSummary
        {
            RunId = id,
            Settings = new RunSettings
            {
                Model = model, Task = task, TaskVersion = "v1", SamplesPerProblem = k, Temperature = k == 1 ? 0 : 0.7,
                TopP = 0.95, MaxTokens = 512, Seed = 1234, Limit = problems,
                Extra = new Dictionary<string, string> { ["threads"] = "1", ["context"] = "4096" },
            },
            Problems = problems,
            SamplesPerProblem = k,
            Curve = curve,
            Fit = fit,
            VerifierSelectedAccuracy = verifier,
            LogprobSelectedAccuracy = logprob,
            Cost = new CostSummary
            {
                PromptTokens = prompt, CompletionTokens = completion, Flops = 2 * parameters * (prompt + completion),
                WallSeconds = (prompt + completion) * parameters / 2e12, Problems = problems,
                Solved = (int)Math.Round(selected * problems),
            },
            CreatedAt = GeneratedAt.AddHours(-1),
        };
    }
}
