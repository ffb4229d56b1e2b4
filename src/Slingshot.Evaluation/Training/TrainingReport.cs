using System.Globalization;
using System.Text;
using Slingshot.Evaluation.Reports;
using Slingshot.Evaluation.Reports.Plotting;
using Slingshot.Training;

namespace Slingshot.Evaluation.Training;

/// <summary>
/// A training run as one self-contained HTML page in the style of the evaluation reports (inline CSS and SVG, no
/// script): loss per step with its moving average and the validation loss per epoch, token accuracy, the learning
/// rate schedule, the gradient norm, the run's settings and a table of epochs. Input: the trainer's JSON-lines log.
/// </summary>
public static class TrainingReport
{
    private const int Smoothing = 25;

    /// <summary>Renders the log entries of one run.</summary>
    public static string RenderHtml(IReadOnlyList<TrainingLogEntry> entries, string title)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var steps = entries.Where(e => e.Type == "step" && e.Step is not null).ToList();
        var validations = entries.Where(e => e.Type == "validation" && e.Loss is not null).ToList();
        var epochs = entries.Where(e => e.Type == "epoch").ToList();
        var settings = entries.LastOrDefault(e => e.Type == "start")?.Settings;

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n")
            .Append("<style>\n").Append(HtmlStyles.Css).Append("\n</style>\n</head>\n<body>\n<main>\n")
            .Append(CultureInfo.InvariantCulture, $"<header><h1>{E(title)}</h1>\n<p class=\"meta\">{steps.Count} steps · {epochs.Count} epochs</p></header>\n");
        if (steps.Count == 0)
        {
            html.Append("<p class=\"empty\">The log holds no training steps yet.</p>\n");
        }
        else
        {
            html.Append("<section>\n<h2>Loss</h2>\n").Append(LossPlot(steps, validations)).Append("</section>\n");
            html.Append("<section>\n<h2>Token accuracy</h2>\n").Append(AccuracyPlot(steps, validations)).Append("</section>\n");
            html.Append("<section>\n<h2>Learning rate and gradient norm</h2>\n").Append(RatePlot(steps));
            if (steps.Any(s => s.GradientNorm is not null))
            {
                html.Append(NormPlot(steps));
            }
            html.Append("</section>\n");
        }
        AppendEpochs(html, epochs, validations);
        if (settings is not null)
        {
            html.Append("<section>\n<h2>Settings</h2>\n<table>\n<tbody>\n");
            foreach (var (key, value) in settings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n</section>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string LossPlot(List<TrainingLogEntry> steps, List<TrainingLogEntry> validations)
    {
        var raw = steps.Select(s => new PlotPoint(s.Step!.Value, s.Loss ?? double.NaN)).Where(p => double.IsFinite(p.Y)).ToList();
        var smooth = MovingAverage(raw);
        var val = validations.Select(v => new PlotPoint(v.Step ?? 0, v.Loss!.Value, F($"epoch {v.Epoch + 1}: validation loss {v.Loss:0.000}"))).ToList();
        var max = raw.Concat(val).Select(p => p.Y).DefaultIfEmpty(1).Max();
        var plot = new SvgPlot("Loss (nats per token)", Linear(0, StepMax(steps), "Optimizer step"), Linear(0, max, "Loss"));
        plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(0), Points = raw, Marker = MarkerShape.None, LineWidth = 1, LineOpacity = 0.3 });
        plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(0), Points = smooth, Marker = MarkerShape.None, LegendLabel = $"training (mean of {Smoothing} steps)" });
        if (val.Count > 0)
        {
            plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(1), Points = val, LegendLabel = "validation" });
        }
        return plot.Render();
    }

    private static string AccuracyPlot(List<TrainingLogEntry> steps, List<TrainingLogEntry> validations)
    {
        var raw = steps.Select(s => new PlotPoint(s.Step!.Value, s.Accuracy ?? double.NaN)).Where(p => double.IsFinite(p.Y)).ToList();
        var plot = new SvgPlot("Token accuracy", Linear(0, StepMax(steps), "Optimizer step"), PlotAxis.Percent("Next token right"));
        plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(0), Points = MovingAverage(raw), Marker = MarkerShape.None, LegendLabel = "training" });
        var val = validations.Select(v => new PlotPoint(v.Step ?? 0, v.Accuracy ?? 0, F($"epoch {v.Epoch + 1}: {v.Accuracy:P1}"))).ToList();
        if (val.Count > 0)
        {
            plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(1), Points = val, LegendLabel = "validation" });
        }
        return plot.Render();
    }

    private static string RatePlot(List<TrainingLogEntry> steps)
    {
        var points = steps.Where(s => s.LearningRate is not null).Select(s => new PlotPoint(s.Step!.Value, s.LearningRate!.Value)).ToList();
        var plot = new SvgPlot("Learning rate", Linear(0, StepMax(steps), "Optimizer step"), Linear(0, points.Select(p => p.Y).DefaultIfEmpty(1).Max(), "Learning rate"), plotHeight: 200);
        plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(2), Points = points, Marker = MarkerShape.None });
        return plot.Render();
    }

    private static string NormPlot(List<TrainingLogEntry> steps)
    {
        var points = steps.Where(s => s.GradientNorm > 0).Select(s => new PlotPoint(s.Step!.Value, s.GradientNorm!.Value)).ToList();
        var plot = new SvgPlot("Gradient norm (L2, all trained tensors)", Linear(0, StepMax(steps), "Optimizer step"),
            PlotAxis.LogRange(points.Min(p => p.Y), points.Max(p => p.Y), hasZero: false, "Gradient norm", v => v.ToString("G3", CultureInfo.InvariantCulture)), plotHeight: 200);
        plot.Add(new PlotSeries { Color = ReportPalette.ColorFor(3), Points = points, Marker = MarkerShape.None, LineWidth = 1.5 });
        return plot.Render();
    }

    private static void AppendEpochs(StringBuilder html, List<TrainingLogEntry> epochs, List<TrainingLogEntry> validations)
    {
        if (epochs.Count == 0 && validations.Count == 0)
        {
            return;
        }
        html.Append("<section>\n<h2>Epochs</h2>\n<table>\n<thead><tr><th>epoch</th><th>steps</th><th>train loss</th><th>train accuracy</th>")
            .Append("<th>validation loss</th><th>validation accuracy</th><th>tokens/s</th><th>seconds</th></tr></thead>\n<tbody>\n");
        if (validations.FirstOrDefault(v => v.Epoch == -1) is { } before)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>before</td><td>0</td><td></td><td></td><td>{before.Loss:0.0000}</td><td>{before.Accuracy:P2}</td><td></td><td></td></tr>\n");
        }
        foreach (var e in epochs)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{e.Epoch + 1}</td><td>{e.Step}</td><td>{e.Loss:0.0000}</td><td>{e.Accuracy:P2}</td><td>{e.ValidationLoss:0.0000}</td><td>{e.ValidationAccuracy:P2}</td><td>{e.TokensPerSecond:N0}</td><td>{e.Seconds:N0}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static List<PlotPoint> MovingAverage(List<PlotPoint> points)
    {
        var result = new List<PlotPoint>(points.Count);
        double sum = 0;
        for (var i = 0; i < points.Count; i++)
        {
            sum += points[i].Y;
            if (i >= Smoothing)
            {
                sum -= points[i - Smoothing].Y;
            }
            result.Add(new PlotPoint(points[i].X, sum / Math.Min(i + 1, Smoothing)));
        }
        return result;
    }

    private static double StepMax(List<TrainingLogEntry> steps) => Math.Max(1, steps.Max(s => s.Step ?? 0));

    /// <summary>A linear axis from <paramref name="min"/> to a round number at or above <paramref name="max"/>, about five ticks.</summary>
    private static PlotAxis Linear(double min, double max, string title)
    {
        if (!(max > min) || !double.IsFinite(max))
        {
            max = min + 1;
        }
        var rough = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1.0, 2.0, 2.5, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= rough);
        var top = Math.Ceiling(max / step) * step;
        var ticks = new List<AxisTick>();
        for (var v = min; v <= top + step / 2; v += step)
        {
            ticks.Add(new AxisTick(v, v.ToString(step < 1 ? "G3" : "N0", CultureInfo.InvariantCulture)));
        }
        return new PlotAxis(min, top, AxisScale.Linear, title, ticks);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => HtmlText.Encode(text);
}
