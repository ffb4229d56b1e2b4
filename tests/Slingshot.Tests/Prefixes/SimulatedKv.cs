using Slingshot.Generation.Prefixes;

namespace Slingshot.Tests.Prefixes;

/// <summary>
/// A KV cache simulated cell by cell, as llama.cpp's keeps it: each cell has a position, the token decoded there and the
/// set of sequences it belongs to; a cell that belongs to none is free. <see cref="Unified"/> shares cells between
/// sequences like a unified cache (seq_cp of any range only adds the destination to cells); otherwise every sequence is a
/// stream of its own, and a copy between streams must be whole (llama.cpp asserts otherwise) and replaces the destination.
/// </summary>
internal sealed class SimulatedKv(bool unified) : IKvSequences
{
    private sealed class Cell(int position, int token)
    {
        public int Position { get; } = position;
        public int Token { get; } = token;
        public HashSet<int> Sequences { get; } = [];
    }

    private readonly List<Cell> _cells = [];

    public bool Unified { get; } = unified;

    /// <summary>Cells in use (belonging to at least one sequence).</summary>
    public int UsedCells => _cells.Count;

    /// <summary>Decodes tokens into a sequence at the positions after what it holds (one new cell each).</summary>
    public void Decode(int sequence, ReadOnlySpan<int> tokens)
    {
        var next = Contents(sequence).Length;
        foreach (var token in tokens)
        {
            var cell = new Cell(next++, token);
            cell.Sequences.Add(sequence);
            _cells.Add(cell);
        }
    }

    /// <summary>The tokens a sequence holds, in position order; throws when two cells share a position or one is missing.</summary>
    public int[] Contents(int sequence)
    {
        var held = _cells.Where(c => c.Sequences.Contains(sequence)).OrderBy(c => c.Position).ToArray();
        for (var i = 0; i < held.Length; i++)
        {
            if (held[i].Position != i)
            {
                throw new InvalidOperationException($"Sequence {sequence} holds position {held[i].Position} where {i} was expected.");
            }
        }
        return held.Select(c => c.Token).ToArray();
    }

    /// <summary>Cells that belong to at least one of <paramref name="sequences"/>.</summary>
    public int CellsOf(IEnumerable<int> sequences)
    {
        var set = sequences.ToHashSet();
        return _cells.Count(c => c.Sequences.Overlaps(set));
    }

    public void Copy(int source, int destination, int from, int to)
    {
        if (!Unified)
        {
            if (from > 0 || to >= 0)
            {
                throw new InvalidOperationException($"seq_cp() is only supported for full KV buffers (asked [{from}, {to}) between streams).");
            }
            Remove(destination, -1, -1);
        }
        foreach (var cell in _cells.Where(c => c.Sequences.Contains(source) && InRange(c.Position, from, to)).ToList())
        {
            if (Unified)
            {
                cell.Sequences.Add(destination);
            }
            else
            {
                var copy = new Cell(cell.Position, cell.Token);
                copy.Sequences.Add(destination);
                _cells.Add(copy);
            }
        }
    }

    public void Remove(int sequence, int from, int to)
    {
        foreach (var cell in _cells.Where(c => InRange(c.Position, from, to)))
        {
            cell.Sequences.Remove(sequence);
        }
        _cells.RemoveAll(c => c.Sequences.Count == 0);
    }

    private static bool InRange(int position, int from, int to) => (from < 0 || position >= from) && (to < 0 || position < to);
}
