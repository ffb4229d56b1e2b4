using System.CommandLine;
using Slingshot.Remote;

namespace Slingshot.Cli;

/// <summary>Options of a model behind an OpenAI-compatible endpoint (eval --endpoint), mapped onto <see cref="RemoteModelOptions"/>.</summary>
internal sealed class RemoteOptionSet
{
    // The flags' defaults are the library's, read from a throwaway instance so the two cannot drift apart.
    private static readonly RemoteModelOptions Defaults = new() { Url = "http://localhost/v1", Model = "m" };

    public Option<string?> Endpoint { get; } = new("--endpoint") { Description = "Evaluate a model behind an OpenAI-compatible endpoint (base URL, e.g. http://localhost:8000/v1) instead of a local GGUF" };
    public Option<string?> Model { get; } = new("--endpoint-model") { Description = "Model name at the endpoint" };
    public Option<string> ApiKeyVariable { get; } = new("--api-key-env") { Description = "Environment variable holding the endpoint's API key", DefaultValueFactory = _ => RemoteModelOptions.DefaultApiKeyVariable };
    public Option<double> Timeout { get; } = new("--endpoint-timeout") { Description = "Seconds one request attempt may take before it is retried", DefaultValueFactory = _ => Defaults.Timeout.TotalSeconds };
    public Option<int> Retries { get; } = new("--endpoint-retries") { Description = "Retries on 408/429/5xx, network errors and timeouts (exponential backoff with jitter, Retry-After honoured)", DefaultValueFactory = _ => Defaults.MaxRetries };
    public Option<int> Concurrency { get; } = new("--endpoint-concurrency") { Description = "HTTP requests in flight to the endpoint at once", DefaultValueFactory = _ => Defaults.MaxConcurrency };
    public Option<string> NativeN { get; } = new("--endpoint-n") { Description = "Send n samples as one request with 'n': auto (try, fall back to parallel requests), on, off", DefaultValueFactory = _ => "auto" };

    public void AddTo(Command command)
    {
        command.Add(Endpoint);
        command.Add(Model);
        command.Add(ApiKeyVariable);
        command.Add(Timeout);
        command.Add(Retries);
        command.Add(Concurrency);
        command.Add(NativeN);
    }

    /// <summary>The remote model the flags describe, or null without --endpoint; bad values are a one-line <see cref="ArgumentException"/>.</summary>
    public RemoteModelOptions? Options(ParseResult parse, TokenPrice price)
    {
        if (parse.GetValue(Endpoint) is not { } url)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(parse.GetValue(Model)))
        {
            throw new ArgumentException("--endpoint-model is required with --endpoint (the model name the server knows).");
        }
        var seconds = parse.GetValue(Timeout);
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > 86_400)
        {
            throw new ArgumentException($"--endpoint-timeout must be a number of seconds above 0 and at most a day (got {seconds}).");
        }
        var options = new RemoteModelOptions
        {
            Url = url,
            Model = parse.GetValue(Model)!,
            ApiKeyVariable = parse.GetRequiredValue(ApiKeyVariable),
            Timeout = TimeSpan.FromSeconds(seconds),
            MaxRetries = parse.GetValue(Retries),
            MaxConcurrency = parse.GetValue(Concurrency),
            UseNativeN = parse.GetValue(NativeN) switch
            {
                "auto" => null,
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--endpoint-n must be auto, on or off (got '{other}')."),
            },
            Price = price,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--endpoint: {e.Message}", e);
        }
        return options;
    }
}
