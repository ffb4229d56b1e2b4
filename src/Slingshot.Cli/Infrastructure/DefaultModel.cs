using Slingshot.Gguf;

namespace Slingshot.Cli;

/// <summary>
/// The model used when --model is not given: SLINGSHOT_MODEL, else the embedded tiny real model
/// (models/stories260K/stories260K.gguf) that ships beside the command itself. Every command that opens a model
/// resolves its path here, so the path is also checked here to name a regular file: a FIFO given as the model
/// would otherwise block the command forever when it is opened.
/// </summary>
internal static class DefaultModel
{
    public const string Variable = "SLINGSHOT_MODEL";
    private static readonly string Relative = Path.Combine("models", "stories260K", "stories260K.gguf");

    /// <summary>Where the embedded default model lives: relative to the installed program, never to a checkout.</summary>
    public static string EmbeddedPath => Path.Combine(AppContext.BaseDirectory, Relative);

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
        if (File.Exists(EmbeddedPath))
        {
            return EmbeddedPath;
        }
        throw new SlingshotException($"No model given and the embedded default model ({EmbeddedPath}) is missing from this installation; pass --model <file.gguf> or set {Variable}.");
    }

    private static string Checked(string path)
    {
        ModelFilePath.EnsureRegularFile(path);
        return path;
    }
}
