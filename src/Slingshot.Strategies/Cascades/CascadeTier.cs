using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>A tier after the first: the client that answers when the tiers before it escalate, and how it is treated.</summary>
/// <param name="Client">The client (a single model, a voting client, a remote endpoint, another cascade).</param>
/// <param name="Options">Its name, price and escalation test.</param>
public sealed record CascadeTier(IChatClient Client, CascadeTierOptions Options);
