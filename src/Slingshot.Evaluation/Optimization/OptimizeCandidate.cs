using System.Globalization;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// A model <c>slingshot optimize</c> may use: a local GGUF file, or a model behind an OpenAI-compatible endpoint with its
/// price. Written on the command line as <c>name=path.gguf</c> or <c>name=endpoint:URL:MODEL:price_in,price_out</c>.
/// </summary>
public sealed record OptimizeCandidate
{
    /// <summary>The name configurations, reports and the served configuration use for it.</summary>
    public required string Name { get; init; }

    /// <summary>The GGUF file of a local model; null for an endpoint.</summary>
    public string? Path { get; init; }

    /// <summary>Base URL of the endpoint (for example http://gpu-box:8000/v1); null for a local model.</summary>
    public string? Url { get; init; }

    /// <summary>Model name at the endpoint; null for a local model.</summary>
    public string? Model { get; init; }

    /// <summary>US dollars per million prompt tokens at the endpoint.</summary>
    public double InputPricePerMillion { get; init; }

    /// <summary>US dollars per million completion tokens at the endpoint.</summary>
    public double OutputPricePerMillion { get; init; }

    /// <summary>Whether the candidate is a local model.</summary>
    public bool IsLocal => Path is not null;

    private const string EndpointPrefix = "endpoint:";

    /// <summary>Parses <c>name=path.gguf</c> or <c>name=endpoint:URL:MODEL:price_in,price_out</c>.</summary>
    /// <exception cref="ArgumentException">The text has neither form; the message shows both.</exception>
    public static OptimizeCandidate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=');
        var name = eq > 0 ? text[..eq].Trim() : "";
        var value = eq > 0 ? text[(eq + 1)..].Trim() : "";
        if (name.Length == 0 || value.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw Invalid(text, "give name=path.gguf or name=endpoint:URL:MODEL:price_in,price_out (names: letters, digits, - _ .)");
        }
        if (!value.StartsWith(EndpointPrefix, StringComparison.Ordinal))
        {
            return new OptimizeCandidate { Name = name, Path = value };
        }
        var rest = value[EndpointPrefix.Length..];
        var lastColon = rest.LastIndexOf(':');
        if (lastColon < 0 || !TryPrices(rest[(lastColon + 1)..], out var priceIn, out var priceOut))
        {
            throw Invalid(text, "an endpoint ends with :price_in,price_out in US dollars per million tokens (for example :0.15,0.60)");
        }
        var urlAndModel = rest[..lastColon];
        var urlEnd = UrlEnd(urlAndModel);
        if (urlEnd < 0 || urlEnd >= urlAndModel.Length - 1
            || !Uri.TryCreate(urlAndModel[..urlEnd], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Invalid(text, "an endpoint is endpoint:URL:MODEL:price_in,price_out with an http(s) URL (for example endpoint:http://gpu:8000/v1:qwen:0.15,0.60)");
        }
        return new OptimizeCandidate
        {
            Name = name,
            Url = urlAndModel[..urlEnd],
            Model = urlAndModel[(urlEnd + 1)..],
            InputPricePerMillion = priceIn,
            OutputPricePerMillion = priceOut,
        };
    }

    /// <summary>
    /// Where the URL ends in URL:MODEL: after the host, an optional :port (digits only) and an optional path, at the
    /// next colon. A model name may hold colons ("llama3:8b"); a URL's path may not. -1 when there is no URL.
    /// </summary>
    private static int UrlEnd(string urlAndModel)
    {
        var scheme = urlAndModel.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return -1;
        }
        var i = scheme + 3;
        while (i < urlAndModel.Length && urlAndModel[i] is not (':' or '/'))
        {
            i++;
        }
        if (i < urlAndModel.Length && urlAndModel[i] == ':')
        {
            var j = i + 1;
            while (j < urlAndModel.Length && char.IsAsciiDigit(urlAndModel[j]))
            {
                j++;
            }
            if (j > i + 1 && (j == urlAndModel.Length || urlAndModel[j] is ':' or '/'))
            {
                i = j; // a port
            }
        }
        if (i < urlAndModel.Length && urlAndModel[i] == '/')
        {
            i = urlAndModel.IndexOf(':', i);
        }
        return i >= urlAndModel.Length ? -1 : i;
    }

    private static bool TryPrices(string text, out double input, out double output)
    {
        input = output = 0;
        var parts = text.Split(',');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out input)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out output)
            && double.IsFinite(input) && double.IsFinite(output) && input >= 0 && output >= 0;
    }

    private static ArgumentException Invalid(string text, string why) => new($"--candidate '{text}': {why}.");

    /// <inheritdoc />
    public override string ToString() => IsLocal
        ? $"{Name}={Path}"
        : string.Create(CultureInfo.InvariantCulture, $"{Name}=endpoint:{Url}:{Model}:{InputPricePerMillion},{OutputPricePerMillion}");
}
