// Every test starts a process that may decode; one at a time keeps the cores free.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
