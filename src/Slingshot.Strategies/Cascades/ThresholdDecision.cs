using System.Globalization;

namespace Slingshot.Strategies.Cascades;

/// <summary>The one comparison every scored escalation test makes, worded the same way everywhere.</summary>
internal static class ThresholdDecision
{
    public static EscalationDecision Compare(string what, double score, double threshold) =>
        score < threshold
            ? new EscalationDecision(true, score, string.Create(CultureInfo.InvariantCulture, $"{what} {score:0.###} below {threshold:0.###}"))
            : new EscalationDecision(false, score, string.Create(CultureInfo.InvariantCulture, $"{what} {score:0.###} reaches {threshold:0.###}"));
}
