namespace Slingshot.Strategies.Selection;

/// <summary>The votes one distinct answer received.</summary>
/// <param name="Answer">The answer in canonical form.</param>
/// <param name="Count">Samples that gave it.</param>
/// <param name="Weight">Their weights summed (equal to <paramref name="Count"/> in an unweighted vote).</param>
/// <param name="FirstIndex">The lowest index of a sample that gave it.</param>
public sealed record AnswerTally(string Answer, int Count, double Weight, int FirstIndex);
