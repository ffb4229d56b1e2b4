using System.Security.Cryptography;
using System.Text;

namespace Slingshot.Evaluation.Cascades;

/// <summary>
/// Splits problems into a development split (where thresholds are chosen) and a held-out test split (where
/// they are checked), by a hash of each problem id and a seed: the same problem always lands in the same
/// split, whatever other problems the runs hold, so a config's promise can be re-checked later.
/// </summary>
public static class ProblemSplit
{
    /// <summary>Whether <paramref name="problemId"/> is in the development split drawn with <paramref name="fraction"/> and <paramref name="seed"/>.</summary>
    public static bool IsDevelopment(string problemId, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(problemId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{seed}:{problemId}")), hash);
        var unit = BitConverter.ToUInt64(hash) / (double)ulong.MaxValue;
        return unit < fraction;
    }

    /// <summary>Splits <paramref name="problems"/>; <paramref name="fraction"/> (in (0, 1)) of them, roughly, go to development.</summary>
    public static (IReadOnlyList<CascadeProblem> Development, IReadOnlyList<CascadeProblem> Test) Split(
        IReadOnlyList<CascadeProblem> problems, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), $"The development fraction must be between 0 and 1 (got {fraction}).");
        }
        var development = new List<CascadeProblem>();
        var test = new List<CascadeProblem>();
        foreach (var problem in problems)
        {
            (IsDevelopment(problem.ProblemId, fraction, seed) ? development : test).Add(problem);
        }
        return (development, test);
    }
}
