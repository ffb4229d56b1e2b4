using System.Globalization;
using Slingshot.Evaluation.Reports;
using Slingshot.Evaluation.Tests.Reports.Support;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Reports;

/// <summary>Renders the report in a real browser and checks, on the pixels, that the plots show.</summary>
public sealed class HtmlReportScreenshotTests
{
    private const int WindowWidth = 1400;
    private const int WindowHeight = 2400;

    [ChromiumFact]
    public async Task Render_InHeadlessChromium_DrawsEveryRunsSeriesVisibly()
    {
        var input = ReportFixtures.Input() with { ProblemResults = ReportFixtures.Problems };
        var folder = Directory.CreateTempSubdirectory("slingshot-report-");
        try
        {
            var htmlPath = Path.Combine(folder.FullName, "report.html");
            var pngPath = Path.Combine(folder.FullName, "report.png");
            await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(input));

            await HeadlessChromium.ScreenshotAsync(htmlPath, pngPath, WindowWidth, WindowHeight, TimeSpan.FromMinutes(2));

            // Kept for people to look at; the folder is ignored by git.
            var keep = Path.Combine(TestPaths.RepoRoot, "artifacts", "test-output");
            Directory.CreateDirectory(keep);
            File.Copy(pngPath, Path.Combine(keep, "report-screenshot.png"), overwrite: true);
            File.Copy(htmlPath, Path.Combine(keep, "report-screenshot.html"), overwrite: true);

            var image = PngImage.Decode(await File.ReadAllBytesAsync(pngPath));
            Assert.Equal(WindowWidth, image.Width);
            Assert.True(image.Height >= 1000, $"screenshot only {image.Height} px high");

            var nonWhite = Count(image, (r, g, b) => r < 235 || g < 235 || b < 235);
            Assert.True(nonWhite > 20_000, $"the page looks blank: {nonWhite} non-white pixels");
            for (var i = 0; i < input.Runs.Count; i++)
            {
                var color = ReportPalette.ColorFor(i);
                var (r, g, b) = Parse(color);
                var matching = Count(image, (pr, pg, pb) =>
                    Math.Abs(pr - r) <= 12 && Math.Abs(pg - g) <= 12 && Math.Abs(pb - b) <= 12);
                Assert.True(matching > 200,
                    $"run {input.Runs[i].RunId} ({color}) shows on only {matching} pixels; its series did not render");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static int Count(PngImage image, Func<int, int, int, bool> predicate)
    {
        var count = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                if (predicate(r, g, b))
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static (int R, int G, int B) Parse(string hex) => (
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
