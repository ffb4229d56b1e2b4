// Every test class runs its own server over a llama.cpp engine; two at once would oversubscribe the cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
