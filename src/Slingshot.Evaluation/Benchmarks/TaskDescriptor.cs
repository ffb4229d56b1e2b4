namespace Slingshot.Evaluation.Benchmarks;

/// <summary>One line of the benchmark list.</summary>
/// <param name="Name">Registry name ("gsm8k", "mmlu"); parameterized names are shown as "mmlu:&lt;subject&gt;".</param>
/// <param name="Description">What it measures and how it is graded.</param>
/// <param name="Version">Version of prompt plus grader.</param>
public sealed record TaskDescriptor(string Name, string Description, string Version);
