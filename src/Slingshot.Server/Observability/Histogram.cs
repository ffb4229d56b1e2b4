using System.Globalization;
using System.Text;

namespace Slingshot.Server.Observability;

/// <summary>A Prometheus histogram with fixed buckets (seconds), thread-safe.</summary>
internal sealed class Histogram(double[] buckets)
{
    private readonly long[] _counts = new long[buckets.Length + 1];
    private readonly Lock _gate = new();
    private double _sum;
    private long _count;

    public void Observe(double value)
    {
        lock (_gate)
        {
            var i = Array.FindIndex(buckets, b => value <= b);
            _counts[i < 0 ? buckets.Length : i]++;
            _sum += value;
            _count++;
        }
    }

    public void Render(StringBuilder text, string name, string labels)
    {
        lock (_gate)
        {
            long cumulative = 0;
            for (var i = 0; i < buckets.Length; i++)
            {
                cumulative += _counts[i];
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{(labels.Length > 0 ? "," : "")}le=\"{buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{(labels.Length > 0 ? "," : "")}le=\"+Inf\"}} {_count}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {_sum.ToString("R", CultureInfo.InvariantCulture)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {_count}\n");
        }
    }
}
