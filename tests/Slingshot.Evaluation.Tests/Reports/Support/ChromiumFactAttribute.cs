namespace Slingshot.Evaluation.Tests.Reports.Support;

/// <summary>A fact that needs a headless Chromium; skipped, saying why, only where none is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.FindExecutable() is null)
        {
            Skip = "Chromium is not installed (looked for /usr/bin/chromium and chromium, chromium-browser, "
                + "google-chrome on PATH); install the 'chromium' package to check the rendered report.";
        }
    }
}
