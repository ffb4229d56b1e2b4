using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slingshot.Evaluation.Runs;

/// <summary>
/// Identifies what produced a run's samples beyond its display name, so samples of two different models that
/// happen to share a file name (or of one model with and without a LoRA adapter, or behind two endpoints)
/// never mix in one run.
/// </summary>
public static class ModelFingerprint
{
    private const int HeadBytes = 4 << 20;

    /// <summary>
    /// A local model: its file size and the SHA-256 of its first 4 MiB (the GGUF header, metadata and first
    /// tensors; reading whole multi-gigabyte files would cost seconds), plus each adapter the same way with its scale.
    /// </summary>
    public static string ForLocal(string modelPath, IEnumerable<(string Path, float Scale)>? adapters = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var text = new StringBuilder(FileDigest(modelPath));
        foreach (var (path, scale) in adapters ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"|lora:{FileDigest(path)}@{scale:R}");
        }
        return Short(text.ToString());
    }

    /// <summary>A remote model: the endpoint's URL and the model name it serves.</summary>
    public static string ForEndpoint(Uri endpoint, string model)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        return Short($"endpoint:{endpoint.AbsoluteUri.TrimEnd('/')}|{model}");
    }

    private static string FileDigest(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[(int)Math.Min(HeadBytes, file.Length)];
        file.ReadExactly(head);
        return string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{Convert.ToHexStringLower(SHA256.HashData(head))}");
    }

    private static string Short(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
