using System.Globalization;

namespace Slingshot.Server.Tests.Support;

/// <summary>The server's /metrics page, parsed: every sample line as "name{labels}" → value.</summary>
public sealed class Metrics(IReadOnlyDictionary<string, double> samples, string text)
{
    public string Text { get; } = text;

    public IReadOnlyDictionary<string, double> Samples { get; } = samples;

    public static async Task<Metrics> ReadAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        return Parse(text);
    }

    /// <summary>Parses Prometheus text format 0.0.4, failing on any line that is neither a comment nor "series value".</summary>
    public static Metrics Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            Assert.True(space > 0, $"Not a Prometheus sample line: '{line}'");
            var value = line[(space + 1)..];
            Assert.True(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || value is "+Inf" or "-Inf" or "NaN",
                $"Not a Prometheus value: '{line}'");
            samples[line[..space]] = number;
        }
        return new Metrics(samples, text);
    }

    /// <summary>The values of every series of a metric (any labels).</summary>
    public IEnumerable<double> All(string name) =>
        Samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Select(s => s.Value);

    public double Sum(string name) => All(name).Sum();

    /// <summary>No request waiting or running, no sequence in any decode loop.</summary>
    public bool IsIdle => Sum("slingshot_queue_depth") == 0 && Sum("slingshot_active_sequences") == 0;

    /// <summary>Polls /metrics until the server is idle; fails with the last page after <paramref name="timeout"/>.</summary>
    public static async Task<Metrics> WaitForIdleAsync(HttpClient http, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(3));
        while (true)
        {
            var metrics = await ReadAsync(http);
            if (metrics.IsIdle)
            {
                return metrics;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The server did not return to idle:\n{metrics.Text}");
            }
            await Task.Delay(50);
        }
    }
}
