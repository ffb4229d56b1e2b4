using System.Text;

namespace Slingshot.Evaluation.Runs;

/// <summary>
/// Seeds that depend only on the run's seed, the problem id and the sample index, so a resumed, extended or
/// sharded run asks for exactly the seeds an uninterrupted one would.
/// </summary>
public static class SampleSeeds
{
    /// <summary>Seed of sample 0 of a problem; sample i uses this + i (kept below 2^31 so it never wraps).</summary>
    public static long ProblemSeed(long runSeed, string problemId)
    {
        ArgumentNullException.ThrowIfNull(problemId);
        // FNV-1a over the seed and the id: stable across processes and platforms, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in BitConverter.GetBytes(runSeed).Concat(Encoding.UTF8.GetBytes(problemId)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return (long)(hash % (1UL << 30));
    }
}
