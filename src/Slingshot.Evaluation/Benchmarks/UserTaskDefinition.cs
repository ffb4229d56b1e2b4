namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// The contents of a user task file (JSON, property names case-insensitive):
/// <code>
/// {
///   "name": "capitals",
///   "description": "Capital cities",              // optional
///   "data": "capitals.jsonl",                     // relative to the task file
///   "format": "jsonl",                            // jsonl or csv; optional, else from the extension
///   "prompt": "What is the capital of {country}?",
///   "system": "Answer briefly.",                  // optional
///   "reference": "capital",                       // field holding the reference answer
///   "extractor": "final-answer",                  // any ExtractorRegistry name
///   "verifier": "match",                          // optional; "match" is the only one so far
///   "id": "code",                                 // optional field holding a stable id
///   "maxTokens": 256                              // optional
/// }
/// </code>
/// In the prompt, <c>{field}</c> is replaced by the record's field and <c>{{</c> / <c>}}</c> stand for braces.
/// </summary>
public sealed record UserTaskDefinition
{
    /// <summary>Task name, used as the registry name and in problem ids.</summary>
    public string? Name { get; init; }

    /// <summary>One line for the benchmark list.</summary>
    public string? Description { get; init; }

    /// <summary>Data file path, relative to the task file.</summary>
    public string? Data { get; init; }

    /// <summary>"jsonl" or "csv".</summary>
    public string? Format { get; init; }

    /// <summary>The user message template.</summary>
    public string? Prompt { get; init; }

    /// <summary>An optional system message.</summary>
    public string? System { get; init; }

    /// <summary>The field holding the reference answer.</summary>
    public string? Reference { get; init; }

    /// <summary>The answer extractor's registry name.</summary>
    public string? Extractor { get; init; }

    /// <summary>How a sample is judged; "match" (extracted answer equals the normalized reference).</summary>
    public string? Verifier { get; init; }

    /// <summary>An optional field holding each record's stable id (the record's index otherwise).</summary>
    public string? Id { get; init; }

    /// <summary>Optional default for the most tokens a reply may have.</summary>
    public int? MaxTokens { get; init; }
}
