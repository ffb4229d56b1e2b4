using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
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

/// <summary>
/// The exposure check applies to the addresses the server really bound, whatever configured them, and the host
/// reads no listen addresses of its own from the environment or the working directory.
/// </summary>
public sealed class BoundAddressExposureTests
{
    [Fact]
    public async Task Start_KestrelEndpointInEnvironment_NotBound()
    {
        var port = ServerFixture.FreePort();
        var ambientPort = ServerFixture.FreePort();
        var options = ServerFixture.BaseOptions($"http://127.0.0.1:{port}");
        using var catalog = new ModelCatalog(options);
        Environment.SetEnvironmentVariable("Kestrel__Endpoints__Http__Url", $"http://0.0.0.0:{ambientPort}");
        try
        {
            await using var app = SlingshotServer.Build(options, catalog);
            await app.StartAsync();

            Assert.Equal([$"http://127.0.0.1:{port}"], app.Urls);
            Assert.False(await AcceptsAsync(ambientPort), $"Something listens on the port from the environment ({ambientPort}).");
            await app.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("Kestrel__Endpoints__Http__Url", null);
        }
    }

    [Fact]
    public async Task Start_BoundBeyondLoopbackWithoutKey_ThrowsAndServesNothing()
    {
        var port = ServerFixture.FreePort();
        var options = ServerFixture.BaseOptions($"http://127.0.0.1:{ServerFixture.FreePort()}");
        using var catalog = new ModelCatalog(options);
        var logs = new LogCapture();
        await using var app = SlingshotServer.Build(options, catalog, logging => logging.AddProvider(logs), AmbientEndpoint($"http://0.0.0.0:{port}"));

        var error = await Assert.ThrowsAsync<SlingshotException>(() => app.StartAsync());

        Assert.Contains($"0.0.0.0:{port} without an API key", error.Message, StringComparison.Ordinal);
        // The exception is the one report (the command prints it as one line); the host does not log it again.
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
        // Kestrel still listens until the application is disposed; it must answer nothing but 503.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var reply = await http.GetReplyAsync("/v1/models");
        Assert.Equal(503, reply.Code);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Start_BoundBeyondLoopbackWithKeyOrOptOut_Serves(bool withKey, bool optOut)
    {
        var port = ServerFixture.FreePort();
        var options = ServerFixture.BaseOptions($"http://127.0.0.1:{ServerFixture.FreePort()}");
        options.ApiKeys.AddRange(withKey ? ["secret"] : []);
        options.AllowUnauthenticatedRemote = optOut;
        using var catalog = new ModelCatalog(options);
        await using var app = SlingshotServer.Build(options, catalog, logging: null, configure: AmbientEndpoint($"http://0.0.0.0:{port}"));

        await app.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(200, (await http.GetReplyAsync("/health")).Code);
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_Ipv6Loopback_ServesOnTheBracketedAddress()
    {
        var url = $"http://[::1]:{ServerFixture.FreePort()}";
        var options = ServerFixture.BaseOptions(url);
        using var catalog = new ModelCatalog(options);
        await using var app = SlingshotServer.Build(options, catalog);

        await app.StartAsync();

        Assert.Equal([url], app.Urls);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(200, (await http.GetReplyAsync("/health")).Code);
        await app.StopAsync();
    }

    /// <summary>A listen address from configuration the options never saw, as an operator's environment could add one.</summary>
    private static Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder> AmbientEndpoint(string url) => builder =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = url });

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
