namespace Slingshot.Strategies.Routing;

/// <summary>A feature vector stored as its non-zero entries, in ascending index order.</summary>
/// <param name="Indices">Feature indices, ascending and distinct.</param>
/// <param name="Values">The value at each index.</param>
public sealed record SparseVector(int[] Indices, float[] Values)
{
    /// <summary>The dot product with dense <paramref name="weights"/>.</summary>
    public double Dot(ReadOnlySpan<float> weights)
    {
        var sum = 0.0;
        for (var i = 0; i < Indices.Length; i++)
        {
            sum += weights[Indices[i]] * (double)Values[i];
        }
        return sum;
    }
}
