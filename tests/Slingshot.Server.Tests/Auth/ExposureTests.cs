using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Auth;

/// <summary>The server refuses to listen beyond loopback without a key unless told so explicitly.</summary>
public sealed class ExposureTests
{
    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://*:{0}")]
    [InlineData("http://+:{0}")]
    [InlineData("http://127.0.0.1:{0};http://0.0.0.0:{0}")]
    [InlineData("http://[::]:{0}")]
    public void Build_NonLoopbackWithoutKey_ThrowsSlingshotException(string urls)
    {
        var options = ServerFixture.BaseOptions(string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, ServerFixture.FreePort()));
        using var catalog = new ModelCatalog(options);

        var error = Assert.Throws<SlingshotException>(() => SlingshotServer.Build(options, catalog));

        Assert.Contains("API key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}")]
    [InlineData("http://localhost:{0}")]
    [InlineData("http://[::1]:{0}")]
    public async Task Build_LoopbackWithoutKey_Allowed(string urls)
    {
        var options = ServerFixture.BaseOptions(string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, ServerFixture.FreePort()));
        using var catalog = new ModelCatalog(options);

        await using var app = SlingshotServer.Build(options, catalog);

        Assert.NotNull(app);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Build_NonLoopbackWithKeyOrOptOut_Allowed(bool withKey, bool optOut)
    {
        var options = ServerFixture.BaseOptions($"http://0.0.0.0:{ServerFixture.FreePort()}");
        if (withKey)
        {
            options.ApiKeys.Add("secret");
        }
        options.AllowUnauthenticatedRemote = optOut;
        using var catalog = new ModelCatalog(options);

        await using var app = SlingshotServer.Build(options, catalog);

        Assert.NotNull(app);
    }

    [Fact]
    public void Build_UrlThatIsNoUrl_ThrowsSlingshotException()
    {
        var options = ServerFixture.BaseOptions("not a url");
        using var catalog = new ModelCatalog(options);

        Assert.Throws<SlingshotException>(() => SlingshotServer.Build(options, catalog));
    }
}
