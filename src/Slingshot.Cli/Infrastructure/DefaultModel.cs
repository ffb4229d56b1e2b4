namespace Slingshot.Cli;

/// <summary>
/// The model used when --model is not given: SLINGSHOT_MODEL, else the bundled tiny real model
/// (shared/models/stories260K/stories260K.gguf) found beside the checkout or the app.
/// </summary>
internal static class DefaultModel
{
    public const string Variable = "SLINGSHOT_MODEL";
    private static readonly string Relative = Path.Combine("models", "stories260K", "stories260K.gguf");

    public static string Resolve(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }
        var fromEnv = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }
        if (SharedData.Find(Relative, directory: false) is { } bundled)
        {
            return bundled;
        }
        throw new SlingshotException($"No model given and the default model (shared/{Relative}) was not found; pass --model <file.gguf> or set {Variable}.");
    }
}
