using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace Slingshot.Remote;

/// <summary>
/// The one way Slingshot connects to an OpenAI-compatible endpoint, for <c>eval</c>, the strategies and the server
/// alike. The chat goes through the official OpenAI client behind Microsoft.Extensions.AI; underneath it sits one
/// HTTP handler per endpoint that retries, times out and limits concurrency. The OpenAI client's built-in retry policy
/// is switched off (zero retries) and its network timeout disabled, so both happen exactly once, in that handler.
/// </summary>
public static class RemoteModel
{
    /// <summary>Connects to the endpoint <paramref name="options"/> describes (no request is made yet).</summary>
    /// <param name="options">Where and how; validated here.</param>
    /// <param name="loggerFactory">Receives a warning for every retry; none by default.</param>
    /// <returns>A chat client that is also a sample source (<see cref="ISampleSource"/>); dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">A setting is unusable (the message says which).</exception>
    public static RemoteChatClient Connect(RemoteModelOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var handler = new EndpointResilienceHandler(options, new SocketsHttpHandler
        {
            // Long-lived clients should notice DNS changes of hosted endpoints.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }, loggerFactory?.CreateLogger(typeof(RemoteModel).FullName!));
        // The handler times each attempt; a client-wide timeout would cut retries short.
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var clientOptions = new OpenAIClientOptions
            {
                Endpoint = options.Endpoint,
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = Timeout.InfiniteTimeSpan,
            };
            IChatClient chat = new OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(ApiKey(options)), clientOptions).AsIChatClient();
            return new RemoteChatClient(chat, options, handler, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The key from the configured variable, or "none": local servers accept any key, hosted ones answer 401.</summary>
    private static string ApiKey(RemoteModelOptions options) =>
        Environment.GetEnvironmentVariable(options.ApiKeyVariable) is { Length: > 0 } key ? key : "none";
}
