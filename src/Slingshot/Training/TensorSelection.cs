using System.Globalization;
using System.Text.RegularExpressions;

namespace Slingshot.Training;

/// <summary>
/// Which of a model's tensors train, by name: <c>all</c>, or a comma-separated union of <c>output</c> (the
/// output layer and its norm), <c>norms</c> (every normalization weight), <c>last:N</c> (every tensor of the
/// last N blocks) and name patterns with <c>*</c> (<c>blk.3.ffn_*</c>). llama.cpp trains only F32 tensors and
/// never <c>token_embd.weight</c> or <c>rope_freqs.weight</c>, whatever the selection says.
/// </summary>
public sealed partial class TensorSelection
{
    private readonly bool _all;
    private readonly bool _output;
    private readonly bool _norms;
    private readonly int _lastBlocks;
    private readonly IReadOnlyList<Regex> _patterns;

    private TensorSelection(string text, bool all, bool output, bool norms, int lastBlocks, IReadOnlyList<Regex> patterns)
    {
        Text = text;
        _all = all;
        _output = output;
        _norms = norms;
        _lastBlocks = lastBlocks;
        _patterns = patterns;
    }

    /// <summary>Every tensor llama.cpp can train.</summary>
    public static TensorSelection All { get; } = new("all", true, false, false, 0, []);

    /// <summary>The selection as written.</summary>
    public string Text { get; }

    /// <summary>Whether this is <see cref="All"/>.</summary>
    public bool IsAll => _all;

    /// <summary>Parses a selection; a one-line <see cref="ArgumentException"/> names what is wrong.</summary>
    public static TensorSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("The tensor selection is empty; use all, output, norms, last:N or name patterns such as blk.3.*.");
        }
        bool output = false, norms = false;
        var last = 0;
        var patterns = new List<Regex>();
        foreach (var part in parts)
        {
            switch (part.ToLowerInvariant())
            {
                case "all":
                    if (parts.Length > 1)
                    {
                        throw new ArgumentException($"'all' cannot be combined with other selections (got '{text}').");
                    }
                    return All;
                case "output":
                    output = true;
                    break;
                case "norms":
                    norms = true;
                    break;
                default:
                    if (part.StartsWith("last:", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!int.TryParse(part[5..], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < 1)
                        {
                            throw new ArgumentException($"'{part}' needs a positive number of blocks, for example last:2.");
                        }
                    }
                    else if (NamePattern().IsMatch(part) && (part.Contains('.', StringComparison.Ordinal) || part.Contains('*', StringComparison.Ordinal)))
                    {
                        patterns.Add(new Regex("^" + Regex.Escape(part).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant));
                    }
                    else
                    {
                        throw new ArgumentException($"Unknown tensor selection '{part}'; use all, output, norms, last:N or name patterns such as blk.3.*.");
                    }
                    break;
            }
        }
        return new TensorSelection(text, false, output, norms, last, patterns);
    }

    /// <summary>Whether tensor <paramref name="name"/> of a model with <paramref name="blockCount"/> blocks is selected.</summary>
    public bool Includes(string name, int blockCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_all)
        {
            return true;
        }
        if (_output && (name.StartsWith("output.", StringComparison.Ordinal) || name.StartsWith("output_norm.", StringComparison.Ordinal)))
        {
            return true;
        }
        if (_norms && name.Contains("_norm", StringComparison.Ordinal))
        {
            return true;
        }
        if (_lastBlocks > 0 && BlockIndex(name) is { } block && block >= blockCount - _lastBlocks)
        {
            return true;
        }
        return _patterns.Any(p => p.IsMatch(name));
    }

    /// <summary>The block a tensor belongs to (<c>blk.N.</c>), or null.</summary>
    public static int? BlockIndex(string name)
    {
        var match = BlockName().Match(name);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    [GeneratedRegex(@"^blk\.(\d+)\.")]
    private static partial Regex BlockName();

    [GeneratedRegex(@"^[A-Za-z0-9_.*]+$")]
    private static partial Regex NamePattern();
}
