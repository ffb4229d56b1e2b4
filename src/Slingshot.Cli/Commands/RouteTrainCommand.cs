using System.CommandLine;
using System.Globalization;
using Slingshot.Embeddings;
using Slingshot.Evaluation.Routing;
using Slingshot.Strategies.Routing;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot route train</c>: fit a router on the training part of labelled prompts and write the router file.</summary>
internal static class RouteTrainCommand
{
    public static Command Create()
    {
        var data = new RouteDataOptions();
        var output = new Option<string>("--output", "-o") { Description = "Router file to write (JSON)", Required = true };
        var heldOut = new Option<double>("--held-out") { Description = "Share of prompts held out for evaluation (never trained on)", DefaultValueFactory = _ => 0.2 };
        var target = new Option<double>("--target-large-share") { Description = "Share of prompts the calibrated threshold sends to the large model", DefaultValueFactory = _ => 0.5 };
        var hashBits = new Option<int>("--hash-bits") { Description = "Hashed word n-grams go into 2^bits buckets (0: none)", DefaultValueFactory = _ => 14 };
        var ngrams = new Option<int>("--ngrams") { Description = "Longest word n-gram hashed", DefaultValueFactory = _ => 2 };
        var noShape = new Option<bool>("--no-shape") { Description = "Leave out the length and task-shape features" };
        var embeddingModel = new Option<string?>("--embedding-model") { Description = "GGUF model whose pooled prompt embedding is added to the features" };
        var embeddingMaxTokens = new Option<int>("--embedding-max-tokens") { Description = "Most prompt tokens the embedding model reads", DefaultValueFactory = _ => 512 };
        var epochs = new Option<int>("--epochs") { Description = "Training passes", DefaultValueFactory = _ => 12 };
        var json = new Option<bool>("--json") { Description = "Print the training summary as JSON" };
        var command = new Command("train", "Train a router (logistic regression on prompt features) and calibrate its threshold")
        {
            output, heldOut, target, hashBits, ngrams, noShape, embeddingModel, embeddingMaxTokens, epochs, json,
        };
        data.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var fraction = parse.GetValue(heldOut);
            var share = parse.GetValue(target);
            if (fraction is < 0 or >= 1 || share is < 0 or > 1 || parse.GetValue(epochs) < 1)
            {
                throw new SlingshotException("--held-out must be in [0, 1), --target-large-share in [0, 1] and --epochs at least 1.");
            }
            var (examples, source) = await data.LoadAsync(parse, ct);
            var seed = parse.GetValue(data.Seed);
            var (train, held) = RoutingSplit.Split(examples, fraction, seed);
            using var embeddings = parse.GetValue(embeddingModel) is { } modelPath ? LlamaEmbeddingGenerator.Load(modelPath, new LlamaEmbeddingOptions { Threads = 1, MaxTokens = parse.GetValue(embeddingMaxTokens) }) : null;
            var options = new RouterTrainingOptions
            {
                Features = new PromptFeatureOptions
                {
                    HashBits = parse.GetValue(hashBits),
                    WordNGrams = parse.GetValue(ngrams),
                    Shape = !parse.GetValue(noShape),
                    EmbeddingModel = embeddings is null ? null : Path.GetFullPath(parse.GetValue(embeddingModel)!),
                    EmbeddingDimensions = embeddings?.Dimensions ?? 0,
                    EmbeddingMaxTokens = parse.GetValue(embeddingMaxTokens),
                },
                Classifier = new LogisticRegressionOptions { Epochs = parse.GetValue(epochs) },
                TargetLargeShare = share,
                TrainedOn = source,
            };
            var file = await RouteProgressBar.RunAsync(progress => RouterTrainer.TrainAsync(train, options, embeddings, progress, ct));
            file = file with { HeldOutFraction = fraction, SplitSeed = seed };
            var path = parse.GetRequiredValue(output);
            file.Save(path);
            var summary = new
            {
                router = path, source, trainExamples = train.Count, heldOutExamples = held.Count,
                smallAccuracy = RoutingMetrics.SmallAccuracy(train), largeAccuracy = RoutingMetrics.LargeAccuracy(train),
                threshold = file.Threshold, targetLargeShare = share, features = file.Features.Dimensions,
            };
            if (parse.GetValue(json))
            {
                Json.Write(summary);
                return 0;
            }
            AnsiConsole.MarkupLine(Invariant($"Wrote [bold]{Markup.Escape(path)}[/]: trained on {train.Count} prompts ({held.Count} held out) from {Markup.Escape(source)}"));
            AnsiConsole.MarkupLine(Invariant($"{file.Features.Dimensions} features; threshold {file.Threshold:0.####} sends {share * 100:0.#}% of training prompts to the large model"));
            return 0;
        });
        return command;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
