namespace Slingshot.Cli.Tests;

/// <summary>
/// The command needs nothing beside its own folder to start: a copy of the built command, run from a folder with no
/// repository and no reference data above it, finds its embedded default model relative to itself.
/// </summary>
public sealed class EmbeddedDefaultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-installed-").FullName;

    [Fact]
    public void Run_CopyOfTheCommandFarFromTheRepository_UsesItsOwnEmbeddedModel()
    {
        var installed = Path.Combine(_dir, "app");
        CopyDirectory(Path.GetDirectoryName(CliRunner.CliDll)!, installed);
        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var dll = Path.Combine(installed, Path.GetFileName(CliRunner.CliDll));
        string[] run = ["run", "Once upon a time", "--temperature", "0", "--max-tokens", "10", "--threads", "1"];

        var result = CliRunner.Run(run, workingDirectory: elsewhere, cliDll: dll);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(", there was a little girl named Lily", result.Stdout.Trim());

        // And it was that copy's model: without it the command says where it looked.
        Directory.Delete(Path.Combine(installed, "models"), recursive: true);
        var missing = CliRunner.Run(run, workingDirectory: elsewhere, cliDll: dll);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(Path.Combine(installed, "models", "stories260K", "stories260K.gguf"), missing.Stderr);
    }

    [Fact]
    public void BuiltCommand_CarriesTheRepositoryModelsFolder()
    {
        var source = Path.Combine(CliRunner.RepoRoot, "models", "stories260K", "stories260K.gguf");
        var beside = Path.Combine(Path.GetDirectoryName(CliRunner.CliDll)!, "models", "stories260K", "stories260K.gguf");

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(beside));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(beside)!, "LICENSE.llama2.c-MIT.txt")));
        Assert.Equal(File.ReadAllBytes(TestPaths.Stories260K), File.ReadAllBytes(source));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
