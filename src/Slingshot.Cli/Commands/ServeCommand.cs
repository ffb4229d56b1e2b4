using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Slingshot.Server;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot serve</c>: local models and strategy models behind an OpenAI-compatible API. Settings come from a
/// configuration file (section "Slingshot"), then SLINGSHOT__* environment variables, then these options.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Configuration file, JSON or YAML (appsettings layout, section \"Slingshot\")" };
        var model = new Option<string[]>("--model", "-m") { Description = "Model to serve: name=path.gguf, or just path.gguf (repeatable; default the bundled stories260K)" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template for the --model models (a built-in name like chatml, or template text); default each model's own" };
        var vote = new Option<string[]>("--vote") { Description = "Virtual model: name=model:samples:extractor, k samples and a majority vote (repeatable)" };
        var host = new Option<string?>("--host") { Description = "Address to bind (default 127.0.0.1)" };
        var port = new Option<int?>("--port", "-p") { Description = "Port (default 8080)" };
        var threads = new Option<int?>("--threads", "-t") { Description = "Decode threads per model (default: the machine's cores)" };
        var ctx = new Option<int?>("--ctx") { Description = "Context size per model, shared by its sequences" };
        var sequences = new Option<int?>("--sequences") { Description = "Parallel sequences (slots) per model" };
        var splitKv = new Option<bool>("--split-kv") { Description = "Give each sequence its own KV cells, like llama-server's slots (faster with many concurrent requests; shorter prompts fit)" };
        var apiKeys = new Option<string[]>("--api-key") { Description = "Accepted bearer key (repeatable); none = no authentication, loopback only" };
        var allowRemote = new Option<bool>("--allow-unauthenticated-remote") { Description = "Listen on a non-loopback address without API keys" };
        var verbose = new Option<bool>("--verbose") { Description = "Log every request" };
        var command = new Command("serve", "Serve local models and strategies behind an OpenAI-compatible HTTP API")
        {
            config, model, template, vote, host, port, threads, ctx, sequences, splitKv, apiKeys, allowRemote, verbose,
        };
        var noPrefixCache = new Option<bool>("--no-prefix-cache") { Description = "Prefill every prompt whole instead of reusing the KV cells of earlier prompts that began the same way" };
        var prefixCacheTokens = new Option<int?>("--prefix-cache-tokens") { Description = "Most tokens each model's prefix cache keeps (default: as many prompts as sequences)" };
        command.Add(noPrefixCache);
        command.Add(prefixCacheTokens);
        var mmap = new Option<bool>("--mmap") { Description = "Memory-map the model files instead of reading them (faster start; a file rewritten in place while served then ends the process)" };
        command.Add(mmap);
        command.SetAction(async (parse, ct) =>
        {
            var options = Load(parse.GetValue(config));
            foreach (var spec in parse.GetValue(model) ?? [])
            {
                var eq = spec.IndexOf('=');
                var path = eq > 0 ? spec[(eq + 1)..] : spec;
                options.Models.Add(new LocalModelOptions
                {
                    Name = eq > 0 ? spec[..eq] : Path.GetFileNameWithoutExtension(spec),
                    Path = path,
                    ChatTemplate = parse.GetValue(template),
                });
            }
            if (options.Models.Count == 0)
            {
                options.Models.Add(new LocalModelOptions { Name = "stories260K", Path = DefaultModel.Resolve(null), ChatTemplate = "chatml" });
            }
            foreach (var spec in parse.GetValue(vote) ?? [])
            {
                options.VirtualModels.Add(ParseVote(spec));
            }
            foreach (var m in options.Models)
            {
                m.Threads = parse.GetValue(threads) ?? m.Threads;
                m.ContextSize = parse.GetValue(ctx) ?? m.ContextSize;
                m.Sequences = parse.GetValue(sequences) ?? m.Sequences;
                m.SplitKvCache |= parse.GetValue(splitKv);
                m.MemoryMap |= parse.GetValue(mmap);
                m.PrefixCache = parse.GetValue(noPrefixCache) ? false : m.PrefixCache;
                m.PrefixCacheTokens = parse.GetValue(prefixCacheTokens) ?? m.PrefixCacheTokens;
            }
            if (parse.GetValue(host) is not null || parse.GetValue(port) is not null)
            {
                var current = new Uri(options.Urls.Split(';')[0]);
                options.Urls = $"http://{UrlHost(parse.GetValue(host) ?? current.Host)}:{parse.GetValue(port) ?? current.Port}";
            }
            options.ApiKeys.AddRange(parse.GetValue(apiKeys) ?? []);
            options.AllowUnauthenticatedRemote |= parse.GetValue(allowRemote);

            ModelOptionSet.ConfigureRuntime(parse, null, verbose: false);
            using var catalog = new ModelCatalog(options);
            foreach (var m in options.Models.Where(m => m.ChatTemplate is null))
            {
                if (catalog.Find(m.Name) is LocalModel { Engine.Model.Info.ChatTemplateError: { } problem })
                {
                    Console.Error.WriteLine($"slingshot: warning: model '{m.Name}': its chat template cannot render a conversation ({problem}); chat requests fail until a chat template is given (--chat-template).");
                }
            }
            await catalog.WarmUpAsync(ct);
            await using var app = SlingshotServer.Build(options, catalog, logging => logging
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning));
            await app.StartAsync(ct);
            // The addresses the server really bound (as it reports them), not the ones asked for.
            Console.Error.WriteLine($"slingshot: serving {string.Join(", ", catalog.Models.Select(m => m.Name))} on {string.Join(", ", app.Urls)} (OpenAI API at /v1)");
            // SIGTERM (a service manager stopping us) shuts down as gracefully as Ctrl-C.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop accepting, let in-flight requests finish within the shutdown timeout.
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    private static ServerOptions Load(string? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new SlingshotException($"Configuration file '{file}' does not exist.");
            }
            var path = Path.GetFullPath(file);
            _ = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".json" => builder.AddJsonFile(path, optional: false),
                ".yaml" or ".yml" => builder.AddYamlFile(path, optional: false),
                _ => throw new SlingshotException($"Configuration file '{file}' must be .json, .yaml or .yml."),
            };
        }
        builder.AddEnvironmentVariables("SLINGSHOT__");
        try
        {
            var configuration = builder.Build();
            var options = new ServerOptions();
            configuration.GetSection(ServerOptions.Section).Bind(options);
            // Environment variables are SLINGSHOT__Urls, SLINGSHOT__ApiKeys__0, ... (the section is the prefix).
            configuration.Bind(options);
            return options;
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or InvalidOperationException)
        {
            // A syntax error in the file, or a value of the wrong type ("Sequences: many").
            throw new SlingshotException($"Configuration {(file is null ? "" : $"file '{file}' ")}is not valid: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}", ex);
        }
    }

    /// <summary>A host as a URL needs it: an IPv6 address in brackets (--host ::1 is http://[::1]:8080).</summary>
    private static string UrlHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private static VirtualModelOptions ParseVote(string spec)
    {
        var eq = spec.IndexOf('=');
        var parts = eq > 0 ? spec[(eq + 1)..].Split(':') : [];
        if (eq <= 0 || parts.Length is < 1 or > 3 || (parts.Length >= 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"--vote '{spec}' is not name=model[:samples[:extractor]] (for example gsm-vote=qwen:8:gsm8k-flexible).");
        }
        return new VirtualModelOptions
        {
            Name = spec[..eq],
            Model = parts[0],
            Samples = parts.Length >= 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 8,
            Extractor = parts.Length >= 3 ? parts[2] : "gsm8k-flexible",
        };
    }
}
