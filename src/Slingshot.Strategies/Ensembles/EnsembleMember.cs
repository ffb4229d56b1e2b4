using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Ensembles;

/// <summary>One model of an ensemble: where its samples come from and how large its share of them is.</summary>
/// <param name="Name">Name shown in reasons and metadata.</param>
/// <param name="Client">The model: a local engine's chat client (samples forked from one prompt) or any other, remote included.</param>
/// <param name="Weight">Relative share of the samples; members with equal weights draw equally. Default 1.</param>
public sealed record EnsembleMember(string Name, IChatClient Client, double Weight = 1)
{
    /// <summary>Throws a one-line <see cref="ArgumentException"/> when the member cannot take part.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentNullException.ThrowIfNull(Client);
        if (!double.IsFinite(Weight) || Weight <= 0)
        {
            throw new ArgumentException($"Ensemble member '{Name}' needs a positive weight (got {Weight}).");
        }
    }
}
