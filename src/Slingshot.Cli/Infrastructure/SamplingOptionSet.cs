using System.CommandLine;

namespace Slingshot.Cli;

/// <summary>Sampling and stopping flags shared by run and chat.</summary>
internal sealed class SamplingOptionSet
{
    private static readonly SamplerSettings Defaults = new();

    public Option<float> Temperature { get; } = new("--temperature", "--temp") { Description = "Sampling temperature; 0 = greedy", DefaultValueFactory = _ => Defaults.Temperature };
    public Option<int> TopK { get; } = new("--top-k") { Description = "Keep the k most likely tokens (0 = off)", DefaultValueFactory = _ => Defaults.TopK };
    public Option<float> TopP { get; } = new("--top-p") { Description = "Nucleus sampling threshold (1 = off)", DefaultValueFactory = _ => Defaults.TopP };
    public Option<float> MinP { get; } = new("--min-p") { Description = "Min-p threshold (0 = off)", DefaultValueFactory = _ => Defaults.MinP };
    public Option<float> RepeatPenalty { get; } = new("--repeat-penalty") { Description = "Repetition penalty (1 = off)", DefaultValueFactory = _ => Defaults.RepeatPenalty };
    public Option<float> FrequencyPenalty { get; } = new("--frequency-penalty") { Description = "Frequency penalty (0 = off)" };
    public Option<float> PresencePenalty { get; } = new("--presence-penalty") { Description = "Presence penalty (0 = off)" };
    public Option<uint?> Seed { get; } = new("--seed", "-s") { Description = "Random seed (sample i uses seed + i); default random" };
    public Option<int?> MaxTokens { get; } = new("--max-tokens") { Description = "Most tokens per sample", DefaultValueFactory = _ => 128 };
    public Option<string[]> Stop { get; } = new("--stop") { Description = "Stop sequence (repeatable)" };
    public Option<bool> JsonMode { get; } = new("--json-mode") { Description = "Constrain output to a JSON object (grammar)" };
    public Option<string?> GrammarFile { get; } = new("--grammar-file") { Description = "Constrain output with a GBNF grammar file" };
    public Option<bool> IgnoreEos { get; } = new("--ignore-eos") { Description = "Keep generating past end-of-generation tokens" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Temperature, TopK, TopP, MinP, RepeatPenalty, FrequencyPenalty, PresencePenalty, Seed, MaxTokens, Stop, JsonMode, GrammarFile, IgnoreEos })
        {
            command.Add(option);
        }
    }

    public SamplerSettings Settings(ParseResult parse)
    {
        string? grammar = null;
        if (parse.GetValue(GrammarFile) is { } file)
        {
            grammar = File.Exists(file) ? File.ReadAllText(file) : throw new SlingshotException($"Grammar file '{file}' does not exist.");
        }
        else if (parse.GetValue(JsonMode))
        {
            grammar = Grammars.JsonObject;
        }
        var settings = new SamplerSettings
        {
            Temperature = parse.GetValue(Temperature),
            TopK = parse.GetValue(TopK),
            TopP = parse.GetValue(TopP),
            MinP = parse.GetValue(MinP),
            RepeatPenalty = parse.GetValue(RepeatPenalty),
            FrequencyPenalty = parse.GetValue(FrequencyPenalty),
            PresencePenalty = parse.GetValue(PresencePenalty),
            Seed = parse.GetValue(Seed),
            Grammar = grammar,
        };
        settings.Validate();
        return settings;
    }

    public GenerationRequest Request(ParseResult parse, string prompt, int samples, int? topLogprobs) => new()
    {
        Prompt = prompt,
        SampleCount = samples,
        MaxTokens = parse.GetValue(MaxTokens),
        StopSequences = parse.GetValue(Stop) ?? [],
        Sampling = Settings(parse),
        TopLogprobs = topLogprobs,
        IgnoreEndOfGeneration = parse.GetValue(IgnoreEos),
    };
}
