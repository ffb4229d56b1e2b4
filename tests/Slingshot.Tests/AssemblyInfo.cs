// Decoding tests share the machine's cores; running them in parallel oversubscribes ggml's threads.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
