using System.Diagnostics;
using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class ModelFilePathTests
{
    [Fact]
    public async Task Validate_Fifo_RefusesWithoutOpeningIt()
    {
        using var temp = new TempDirectory();
        string fifo = MakeFifo(temp.File("model.gguf"));

        // Opening a FIFO for reading blocks until a writer comes; run the check on the side so that a regression
        // fails on the timeout instead of hanging the test run.
        var check = Task.Run(() => GgufValidator.Validate(fifo));
        try
        {
            var error = await Assert.ThrowsAsync<InvalidModelFileException>(() => check.WaitAsync(TimeSpan.FromSeconds(10)));

            Assert.Equal($"Invalid model file '{fifo}': is a FIFO (named pipe), not a regular file", error.Message);
        }
        finally
        {
            if (!check.IsCompleted)
            {
                // Release the blocked reader so the thread does not outlive the test.
                await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            }
        }
    }

    [Theory]
    [InlineData("/dev/null", "is a character device, not a regular file")]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    public void EnsureRegularFile_Device_Refuses(string path, string problem)
    {
        var error = Assert.Throws<InvalidModelFileException>(() => ModelFilePath.EnsureRegularFile(path));

        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void EnsureRegularFile_DirectoryAndMissing_KeepTheirMessages()
    {
        using var temp = new TempDirectory();

        Assert.Equal("is a directory, not a file", Assert.Throws<InvalidModelFileException>(() => ModelFilePath.EnsureRegularFile(temp.Path)).Problem);
        Assert.Equal("file not found", Assert.Throws<InvalidModelFileException>(() => ModelFilePath.EnsureRegularFile(temp.File("none.gguf"))).Problem);
        Assert.Equal("file not found", Assert.Throws<InvalidModelFileException>(() => ModelFilePath.EnsureRegularFile(temp.File("none/x.gguf"))).Problem);
    }

    [Fact]
    public void EnsureRegularFile_SymbolicLinkToModel_Accepts()
    {
        using var temp = new TempDirectory();
        string link = temp.File("link.gguf");
        File.CreateSymbolicLink(link, GgufTestFiles.Stories260K);

        ModelFilePath.EnsureRegularFile(link);
        Assert.Equal("llama", GgufValidator.Validate(link).Architecture);
    }

    private static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
