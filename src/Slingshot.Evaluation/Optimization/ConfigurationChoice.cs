using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Optimization;

/// <summary>The choice among measured configurations.</summary>
/// <param name="Chosen">The cheapest servable configuration whose lower Wilson bound reaches the target; null when none does.</param>
/// <param name="Closest">When none reaches it: the servable configuration with the highest lower bound (cheapest among equals).</param>
public sealed record ConfigurationChoice(ConfigurationResult? Chosen, ConfigurationResult? Closest)
{
    /// <summary>Whether a configuration reaches the target.</summary>
    public bool TargetReached => Chosen is not null;

    /// <summary>
    /// Chooses among <paramref name="results"/>: of the servable ones with a known cost whose lower bound reaches
    /// <paramref name="target"/> (a hair of tolerance: accuracies are sums of fractions), the cheapest; ties go to the higher
    /// accuracy, then to fewer samples, then to the name. When none reaches it, the closest (highest lower bound).
    /// </summary>
    public static ConfigurationChoice Choose(IReadOnlyList<ConfigurationResult> results, double target)
    {
        ArgumentNullException.ThrowIfNull(results);
        var eligible = results.Where(r => r.Spec.Servable && double.IsFinite(r.CostPerProblem)).ToList();
        var reaching = eligible.Where(r => Reaches(r, target)).ToList();
        if (reaching.Count > 0)
        {
            var chosen = reaching.OrderBy(r => r.CostPerProblem).ThenByDescending(r => r.Accuracy)
                .ThenBy(r => r.Spec.MaxSamples).ThenBy(r => r.Name, StringComparer.Ordinal).First();
            return new ConfigurationChoice(chosen, null);
        }
        var closest = eligible.OrderByDescending(r => r.Lower).ThenBy(r => r.CostPerProblem)
            .ThenBy(r => r.Spec.MaxSamples).ThenBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault();
        return new ConfigurationChoice(null, closest);
    }

    /// <summary>Whether <paramref name="result"/>'s lower bound reaches <paramref name="target"/>.</summary>
    public static bool Reaches(ConfigurationResult result, double target)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Lower >= target - 1e-9;
    }

    /// <summary>The configurations on the accuracy/cost Pareto front (known cost only), cheapest first.</summary>
    public static IReadOnlyList<ConfigurationResult> Front(IReadOnlyList<ConfigurationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var byName = results.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. ParetoFront.Of(byName.Values.Select(r => new ParetoPoint(r.CostPerProblem, r.Accuracy, r.Name))).Select(p => byName[p.Id])];
    }
}
