using System.Diagnostics;

namespace Slingshot.Evaluation.Tests.Reports.Support;

/// <summary>Takes screenshots of local pages with a headless Chromium, isolated in a fresh profile.</summary>
internal static class HeadlessChromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>Path of the Chromium executable, or null when none is installed.</summary>
    public static string? FindExecutable()
    {
        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => Names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Renders <paramref name="htmlPath"/> in a window of the given size and writes a PNG to <paramref name="pngPath"/>.</summary>
    public static async Task ScreenshotAsync(string htmlPath, string pngPath, int width, int height, TimeSpan timeout)
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException("Chromium is not installed.");
        var profile = Directory.CreateTempSubdirectory("slingshot-chromium-");
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // No network, no background services, no first-run UI: the page must render on its own.
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile.FullName}", "--hide-scrollbars", $"--window-size={width},{height}",
                $"--screenshot={pngPath}", new Uri(htmlPath).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium took longer than {timeout.TotalSeconds:0} s; stderr: {await stderr}");
            }
            if (!File.Exists(pngPath))
            {
                throw new InvalidOperationException(
                    $"Chromium exited with {process.ExitCode} and wrote no screenshot; stdout: {await stdout}; stderr: {await stderr}");
            }
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A crash handler may still hold files in the profile; a leftover temp folder is harmless.
            }
        }
    }
}
