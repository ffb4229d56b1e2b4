namespace Slingshot.Evaluation.Routing;

/// <summary>One labelled prompt for router training or evaluation: whether each tier answered it correctly.</summary>
/// <param name="Id">Stable identifier (file and row, or problem id).</param>
/// <param name="Prompt">The prompt text the router reads.</param>
/// <param name="SmallCorrect">Whether the small (weak) tier answered correctly.</param>
/// <param name="LargeCorrect">Whether the large (strong) tier answered correctly.</param>
public sealed record RoutingExample(string Id, string Prompt, bool SmallCorrect, bool LargeCorrect)
{
    /// <summary>The classifier's label: the small tier does not suffice.</summary>
    public bool SmallFails => !SmallCorrect;
}
