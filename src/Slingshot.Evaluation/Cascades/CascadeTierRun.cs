using Slingshot.Strategies.Cascades;

namespace Slingshot.Evaluation.Cascades;

/// <summary>A cascade tier as a stored run: the run, how many of its samples the tier draws, and its price.</summary>
/// <param name="RunId">The run in the store.</param>
/// <param name="Samples">Samples per problem the tier draws and votes on (its first k stored samples).</param>
/// <param name="Price">Price of its tokens; null uses the prices the run was drawn with (the store's cost ledger).</param>
public sealed record CascadeTierRun(string RunId, int Samples = 1, TokenPrice? Price = null);
