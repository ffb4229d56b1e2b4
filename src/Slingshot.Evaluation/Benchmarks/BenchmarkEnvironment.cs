using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>What benchmarks need from their surroundings.</summary>
/// <param name="DatasetRoot">
/// Folder holding the data sets in their published layout (gsm8k/test.jsonl, math500/test.jsonl,
/// humaneval/HumanEval.jsonl.gz, mbpp/, arc/, boolq/, mmlu/test/, bbh/).
/// </param>
/// <param name="Sandbox">Runs code for HumanEval and MBPP; null means code tasks load but refuse to grade.</param>
public sealed record BenchmarkEnvironment(string DatasetRoot, ICodeSandbox? Sandbox = null);
