using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Tests.Support;

/// <summary>
/// A small real task for the stories model: story openings as prompts, graded by whether the continuation
/// mentions a word. Its accuracy means nothing; it gives the harness real, varied verdicts to count.
/// </summary>
internal sealed class StoryTask(int problems = 4, string word = "the") : IBenchmarkTask
{
    private static readonly string[] Openings = ["Once upon a time", "Lily went to the park", "Tom had a big red ball", "The sun was hot", "One day a little dog", "The cat sat", "Sam and Mia", "There was a tree"];

    public string Name => "story";
    public string Version => "story@1";
    public string Description => "Story openings; correct when the continuation mentions a word.";
    public IAnswerExtractor? Extractor { get; } = new FirstWordExtractor();
    public ChatOptions DefaultOptions { get; } = new() { MaxOutputTokens = 12 };

    public IReadOnlyList<Problem> LoadProblems() => Enumerable.Range(0, problems)
        .Select(i => new Problem { Id = $"story/{i}", Messages = [new ChatMessage(ChatRole.User, Openings[i % Openings.Length])], Reference = word })
        .ToList();

    public IVerifier Verifier { get; } = new MentionsReferenceVerifier();

    /// <summary>Passes a text that has the reference as one of its words, in any case.</summary>
    private sealed class MentionsReferenceVerifier : IVerifier
    {
        public string Name => "mentions";

        public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
        {
            var word = context.Reference;
            var correct = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(word, StringComparer.OrdinalIgnoreCase);
            return ValueTask.FromResult(new Verdict(correct, correct ? $"mentions '{word}'" : $"no '{word}'"));
        }
    }

    private sealed class FirstWordExtractor : IAnswerExtractor
    {
        public string Name => "first-word";
        public string? Extract(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        public string NormalizeReference(string reference) => reference.ToLowerInvariant();
    }
}
