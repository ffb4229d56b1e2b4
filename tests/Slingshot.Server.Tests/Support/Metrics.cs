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
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal)
                || line.StartsWith("# UNIT ", StringComparison.Ordinal) || line == "# EOF")
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

    /// <summary>
    /// The sum of the series of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>
    /// (the exporter adds labels of its own, such as the meter's name, and orders them as it likes); 0 when none does.
    /// </summary>
    public double Value(string name, params (string Label, string Value)[] labels) => Series(name, labels).Sum(s => s.Value);

    /// <summary>Whether a series of <paramref name="name"/> with all of <paramref name="labels"/> exists.</summary>
    public bool Has(string name, params (string Label, string Value)[] labels) => Series(name, labels).Any();

    /// <summary>The series of <paramref name="name"/> that carry all of <paramref name="labels"/>, with all their labels.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> Series(string name, params (string Label, string Value)[] labels)
    {
        foreach (var (key, value) in Samples)
        {
            var brace = key.IndexOf('{', StringComparison.Ordinal);
            if ((brace < 0 ? key : key[..brace]) != name)
            {
                continue;
            }
            var parsed = brace < 0 ? new Dictionary<string, string>() : Labels(key[(brace + 1)..^1]);
            if (labels.All(l => parsed.GetValueOrDefault(l.Label) == l.Value))
            {
                yield return (parsed, value);
            }
        }
    }

    /// <summary>Parses 'a="x",b="y\"z"' (Prometheus escapes \\, \" and \n in label values).</summary>
    private static Dictionary<string, string> Labels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            Assert.True(equals > i && text[equals + 1] == '"', $"Malformed labels: {text}");
            var name = text[i..equals];
            var value = new System.Text.StringBuilder();
            var j = equals + 2;
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    value.Append(text[j]);
                }
            }
            labels[name] = value.ToString();
            i = j + 1;
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
        return labels;
    }

    /// <summary>The number of requests the server answered on <paramref name="route"/> (a route template) with <paramref name="status"/>.</summary>
    public double Requests(string route, int status) =>
        Value("slingshot_server_requests_total", ("http_route", route), ("http_response_status_code", status.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A local model's value of an engine metric.</summary>
    public double Engine(string name, string model = ServerFixture.Model) => Value(name, ("model", model));

    /// <summary>No request waiting or running, no sequence in any decode loop.</summary>
    public bool IsIdle => Sum("slingshot_server_queue_depth") == 0 && Sum("slingshot_engine_active_sequences") == 0;

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
