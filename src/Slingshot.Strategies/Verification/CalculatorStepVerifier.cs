using System.Globalization;
using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a GSM8K-format solution whose calculator steps hold up, without a reference answer: every
/// <c>&lt;&lt;a op b=c&gt;&gt;c</c> annotation computes right, each operand is a number the question states (or a
/// multiplier its words name: "doubles", "triples", "half") or a result of an earlier step, and the answer after
/// <c>#### </c> is the last step's result. What it catches is a solution that is right by luck: the arithmetic
/// a small model writes down is often wrong or starts from a number the problem never gave, and a sampled
/// answer can still land on the reference. Usable at inference time (best-of-n, a cascade's escalation test)
/// because it needs only the sample and the question (<see cref="VerificationContext.Question"/>).
/// </summary>
public sealed partial class CalculatorStepVerifier : IVerifier
{
    private static readonly IReadOnlyDictionary<string, decimal> MultiplierWords = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
    {
        ["double"] = 2, ["doubles"] = 2, ["twice"] = 2, ["half"] = 2, ["halves"] = 2,
        ["triple"] = 3, ["triples"] = 3, ["thrice"] = 3, ["quadruple"] = 4, ["quadruples"] = 4,
    };

    /// <summary>Creates the verifier.</summary>
    /// <param name="requireGroundedOperands">
    /// Whether every operand must come from the question or an earlier step. True for generated tasks whose
    /// solutions only combine the problem's numbers; false for GSM8K itself, whose solutions also use facts the
    /// question leaves out (60 minutes in an hour).
    /// </param>
    public CalculatorStepVerifier(bool requireGroundedOperands = true) => RequireGroundedOperands = requireGroundedOperands;

    /// <summary>Whether every operand must come from the question or an earlier step.</summary>
    public bool RequireGroundedOperands { get; }

    /// <inheritdoc />
    public string Name => "calculator";

    /// <inheritdoc />
    public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Judge(text, context.Question));
    }

    /// <summary>The verdict on <paramref name="text"/> for <paramref name="question"/> (null: no grounding check possible).</summary>
    public Verdict Judge(string text, string? question)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (RequireGroundedOperands && question is null)
        {
            return Verdict.Fail("no question to check the operands against");
        }
        var known = question is null ? [] : NumbersOf(question);
        var steps = StepPattern().Matches(text);
        if (steps.Count == 0)
        {
            return Verdict.Fail("no calculator steps (<<a+b=c>>)");
        }
        decimal? last = null;
        foreach (Match step in steps)
        {
            if (TryParse(step.Groups["a"].Value) is not { } a || TryParse(step.Groups["b"].Value) is not { } b
                || TryParse(step.Groups["c"].Value) is not { } c)
            {
                return Verdict.Fail($"step {VerdictText.Shorten(step.Value, 60)} has a number too large to check");
            }
            var op = step.Groups["op"].Value[0];
            if (Compute(a, op, b) is not { } expected || expected != c)
            {
                return Verdict.Fail($"step {step.Groups["a"].Value}{op}{step.Groups["b"].Value}={step.Groups["c"].Value} is wrong");
            }
            if (step.Groups["shown"].Success && TryParse(step.Groups["shown"].Value) != c)
            {
                return Verdict.Fail($"step shows {step.Groups["shown"].Value} after computing {step.Groups["c"].Value}");
            }
            if (RequireGroundedOperands && (!known.Contains(a) || !known.Contains(b)))
            {
                var stray = known.Contains(a) ? step.Groups["b"].Value : step.Groups["a"].Value;
                return Verdict.Fail($"operand {stray} is neither in the question nor an earlier result");
            }
            known.Add(c);
            last = c;
        }
        var final = FinalPattern().Match(text);
        if (!final.Success)
        {
            return Verdict.Fail("no final answer after '#### '");
        }
        var answer = TryParse(final.Groups["n"].Value);
        return answer == last
            ? Verdict.Pass($"{steps.Count} calculator steps check out, answer {final.Groups["n"].Value}")
            : Verdict.Fail($"answer {final.Groups["n"].Value} is not the last step's result {last}");
    }

    private static decimal? Compute(decimal a, char op, decimal b)
    {
        try
        {
            return op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                '/' when b != 0 => a / b,
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null; // A result beyond decimal's range is no step a solution can rely on.
        }
    }

    private static HashSet<decimal> NumbersOf(string question)
    {
        var known = new HashSet<decimal>();
        foreach (Match number in NumberPattern().Matches(question))
        {
            if (TryParse(number.Value) is { } value)
            {
                known.Add(value);
            }
        }
        foreach (Match word in WordPattern().Matches(question))
        {
            if (MultiplierWords.TryGetValue(word.Value, out var factor))
            {
                known.Add(factor);
            }
        }
        return known;
    }

    /// <summary>The number without its thousands separators; null when it is beyond decimal's range.</summary>
    private static decimal? TryParse(string number) =>
        decimal.TryParse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"<<\s*(?<a>-?\d[\d,]*(?:\.\d+)?)\s*(?<op>[-+*/])\s*(?<b>-?\d[\d,]*(?:\.\d+)?)\s*=\s*(?<c>-?\d[\d,]*(?:\.\d+)?)\s*>>(?<shown>-?\d[\d,]*(?:\.\d+)?)?")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"####\s*(?<n>-?\d[\d,]*(?:\.\d+)?)")]
    private static partial Regex FinalPattern();

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex WordPattern();
}
