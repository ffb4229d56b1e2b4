using Slingshot.Server.Configuration;
using Slingshot.Strategies.Ensembles;
using Slingshot.Strategies.Extraction;

namespace Slingshot.Server.Hosting;

/// <summary>
/// The "ensemble" virtual model: a majority vote over k samples drawn from several served models (local ones
/// fork their share from one prompt, endpoints answer one call per sample), each member an equal share.
/// </summary>
internal static class EnsembleVirtualModel
{
    public static ServedModel Build(VirtualModelOptions options, IReadOnlyDictionary<string, ServedModel> models, IAnswerExtractor extractor)
    {
        if (options.Members is not { Count: > 0 })
        {
            throw new SlingshotException($"Ensemble '{options.Name}' needs Members naming at least one configured model or endpoint.");
        }
        if (options.Samples < options.Members.Count)
        {
            throw new SlingshotException($"Ensemble '{options.Name}' draws {options.Samples} samples but has {options.Members.Count} members; draw at least one per member.");
        }
        var members = new List<EnsembleMember>(options.Members.Count);
        foreach (var name in options.Members)
        {
            // Virtual models give one voted answer per call, not samples: only real models take part.
            if (models.GetValueOrDefault(name) is not SourceModel member)
            {
                throw new SlingshotException($"Ensemble '{options.Name}' lists '{name}', which is not a configured local model or endpoint.");
            }
            if (members.Any(m => m.Name == name))
            {
                throw new SlingshotException($"Ensemble '{options.Name}' lists '{name}' twice.");
            }
            members.Add(new EnsembleMember(name, member.Client));
        }
        var client = members.AsEnsembleVote(extractor, options.Samples, options.Name);
        return new StrategyModel(options.Name, client);
    }
}
