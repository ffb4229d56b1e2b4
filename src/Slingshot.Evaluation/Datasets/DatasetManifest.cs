using System.Text.Json;
using System.Text.Json.Serialization;
using Slingshot.Evaluation.Benchmarks;

namespace Slingshot.Evaluation.Datasets;

/// <summary>One file of a data set: where it goes, what its bytes must be, and where it is published.</summary>
/// <param name="Path">Path relative to the data set root, with '/' separators ("gsm8k/test.jsonl"); also its path under a mirror.</param>
/// <param name="Size">Exact size in bytes.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the bytes.</param>
/// <param name="Url">The canonical public address of these exact bytes, or null where none is pinned (a mirror or a local folder is then needed).</param>
public sealed record DatasetFile(string Path, long Size, string Sha256, Uri? Url);

/// <summary>A data set: the files one or more built-in benchmarks read.</summary>
/// <param name="Name">Name used by <c>slingshot datasets pull</c> ("gsm8k", "mmlu", "routellm").</param>
/// <param name="Tasks">Registry names of the benchmarks that read it ("gsm8k", "gsm8k-cot"); "mmlu" also covers "mmlu:&lt;subject&gt;".</param>
/// <param name="License">License of the data.</param>
/// <param name="Source">Where the bytes come from (repository and commit).</param>
/// <param name="Files">Its files.</param>
public sealed record DatasetEntry(string Name, IReadOnlyList<string> Tasks, string License, string Source, IReadOnlyList<DatasetFile> Files)
{
    /// <summary>Sum of the file sizes in bytes.</summary>
    public long TotalSize => Files.Sum(f => f.Size);
}

/// <summary>
/// The pinned list of benchmark data: for every built-in benchmark, its files with their sizes, SHA-256 sums and
/// canonical addresses. The built-in manifest is <c>datasets.json</c>, embedded in this assembly, the one place
/// these pins live.
/// </summary>
public sealed class DatasetManifest
{
    private static readonly Lazy<DatasetManifest> s_builtIn = new(LoadBuiltIn);

    private DatasetManifest(IReadOnlyList<DatasetEntry> datasets) => Datasets = datasets;

    /// <summary>The manifest embedded in this assembly.</summary>
    public static DatasetManifest BuiltIn => s_builtIn.Value;

    /// <summary>The data sets, in manifest order.</summary>
    public IReadOnlyList<DatasetEntry> Datasets { get; }

    /// <summary>Parses and validates a manifest; any defect is one <see cref="SlingshotException"/>.</summary>
    public static DatasetManifest Parse(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ManifestJson? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ManifestJson>(json, JsonOptions);
        }
        catch (JsonException error)
        {
            throw new SlingshotException($"Dataset manifest is not valid JSON ({error.Message}).", error);
        }
        if (parsed?.Datasets is not { Count: > 0 } entries)
        {
            throw new SlingshotException("Dataset manifest lists no data sets.");
        }
        var datasets = entries.Select(Validate).ToList();
        var duplicate = datasets.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SlingshotException($"Dataset manifest names '{duplicate.Key}' twice.");
        }
        return new DatasetManifest(datasets);
    }

    /// <summary>The data set called <paramref name="nameOrTask"/>, or the one the benchmark of that name reads ("arc-easy", "mmlu:anatomy").</summary>
    /// <exception cref="UnknownBenchmarkException">No such data set or benchmark; the message lists what exists.</exception>
    public DatasetEntry Get(string nameOrTask)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrTask);
        var name = nameOrTask.Trim();
        var found = Datasets.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? ForTask(name);
        if (found is not null)
        {
            return found;
        }
        var known = Datasets.Select(d => d.Name).ToList();
        throw new UnknownBenchmarkException(name, known, NameSuggestion.Closest(name, known), "data set");
    }

    /// <summary>
    /// The data set a built-in benchmark reads: "gsm8k-cot" gives gsm8k, "mmlu:anatomy" gives mmlu. Null for names
    /// that are not built-in benchmarks (task files, typos), which need no download.
    /// </summary>
    public DatasetEntry? ForTask(string taskName)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        var name = taskName.Trim();
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var family = colon < 0 ? name : name[..colon];
        return Datasets.FirstOrDefault(d => d.Tasks.Contains(colon < 0 ? name : family, StringComparer.OrdinalIgnoreCase));
    }

    private static DatasetManifest LoadBuiltIn()
    {
        using var stream = typeof(DatasetManifest).Assembly.GetManifestResourceStream("Slingshot.Evaluation.Datasets.datasets.json")
            ?? throw new InvalidOperationException("The embedded dataset manifest is missing from the assembly.");
        return Parse(stream);
    }

    private static DatasetEntry Validate(DatasetJson entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            throw new SlingshotException("Dataset manifest has a data set without a name.");
        }
        if (entry.Files is not { Count: > 0 })
        {
            throw new SlingshotException($"Dataset manifest: '{entry.Name}' lists no files.");
        }
        var files = entry.Files.Select(file => ValidateFile(entry.Name, file)).ToList();
        return new DatasetEntry(entry.Name, entry.Tasks ?? [], entry.License ?? "", entry.Source ?? "", files);
    }

    private static DatasetFile ValidateFile(string dataset, FileJson file)
    {
        var path = file.Path ?? "";
        var segments = path.Split('/');
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal)
            || segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            throw new SlingshotException($"Dataset manifest: '{dataset}' has a file path that is not a plain relative path: '{path}'.");
        }
        if (file.Size < 0)
        {
            throw new SlingshotException($"Dataset manifest: {path} has a negative size.");
        }
        var sha = file.Sha256 ?? "";
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw new SlingshotException($"Dataset manifest: {path} has no valid lowercase sha256.");
        }
        Uri? url = null;
        if (file.Url is not null
            && (!Uri.TryCreate(file.Url, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            throw new SlingshotException($"Dataset manifest: {path} has a url that is not http(s): '{file.Url}'.");
        }
        return new DatasetFile(path, file.Size, sha, url);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record ManifestJson(int Version, List<DatasetJson>? Datasets);

    private sealed record DatasetJson(string? Name, List<string>? Tasks, string? License, string? Source, List<FileJson>? Files);

    private sealed record FileJson(string? Path, long Size, string? Sha256, string? Url);
}
