using Slingshot.Gguf;

namespace Slingshot.Cli;

/// <summary>
/// The model used when --model is not given: SLINGSHOT_MODEL, else the bundled tiny real model
/// (shared/models/stories260K/stories260K.gguf) found beside the checkout or the app. Every command that opens
/// a model resolves its path here, so the path is also checked here to name a regular file: a FIFO given as the
/// model would otherwise block the command forever when it is opened.
/// </summary>
internal static class DefaultModel
{
    public const string Variable = "SLINGSHOT_MODEL";
    private static readonly string Relative = Path.Combine("models", "stories260K", "stories260K.gguf");

    public static string Resolve(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Checked(given);
        }
        var fromEnv = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Checked(fromEnv);
        }
        if (SharedData.Find(Relative, directory: false) is { } bundled)
        {
            return bundled;
        }
        throw new SlingshotException($"No model given and the default model (shared/{Relative}) was not found; pass --model <file.gguf> or set {Variable}.");
    }

    private static string Checked(string path)
    {
        ModelFilePath.EnsureRegularFile(path);
        return path;
    }
}
