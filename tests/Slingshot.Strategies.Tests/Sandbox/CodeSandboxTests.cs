using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

public sealed class CodeSandboxTests
{
    [SandboxFact]
    public void Create_BubblewrapAvailable_ReturnsBubblewrapEvenWhenUnsafeIsAllowed()
    {
        Assert.IsType<BubblewrapSandbox>(CodeSandbox.Create(allowUnsafe: false));
        Assert.IsType<BubblewrapSandbox>(CodeSandbox.Create(allowUnsafe: true));
    }

    [Fact]
    public void Create_UnavailableAndUnsafeAllowed_ReturnsUnsafeSandbox()
    {
        var sandbox = CodeSandbox.Create(allowUnsafe: true, unavailableReason: "bwrap not found", pythonPath: null);

        Assert.IsType<UnsafeProcessSandbox>(sandbox);
        Assert.StartsWith("UNSAFE", sandbox.Description);
    }

    [Fact]
    public void Create_UnavailableAndUnsafeRefused_ThrowsWithOneLineAdvice()
    {
        var error = Assert.Throws<SandboxUnavailableException>(() =>
            CodeSandbox.Create(allowUnsafe: false, unavailableReason: "bwrap not found", pythonPath: null));

        Assert.Equal("sandbox unavailable (bwrap not found) — install bubblewrap, or pass --unsafe-run-code "
            + "to run model-written code without isolation", error.Message);
        Assert.Equal("bwrap not found", error.Reason);
        Assert.IsAssignableFrom<SlingshotException>(error);
        Assert.DoesNotContain('\n', error.Message);
    }
}
