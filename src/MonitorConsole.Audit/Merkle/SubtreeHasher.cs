namespace MonitorConsole.Audit.Merkle;

/// <summary>
/// Computes the hashes of several disjoint leaf ranges (and, if asked, the whole tree's root) in one pass over the
/// leaves in order, keeping O(log n) hashes per range: each range folds its leaves on a stack the way RFC 9162's
/// tree splits them.
/// </summary>
public sealed class SubtreeHasher
{
    private readonly LeafRange[] _ranges;
    private readonly Folder[] _folders;
    private readonly Folder? _whole;
    private long _next;
    private int _current;

    /// <param name="ranges">Disjoint ranges, in any order.</param>
    /// <param name="rootSize">When set, also computes the root of the first <paramref name="rootSize"/> leaves.</param>
    /// <param name="onBlock">Called, in order, with the hash of each complete aligned block of <see cref="MerkleBlockCache.BlockLeaves"/> leaves the root's pass forms.</param>
    public SubtreeHasher(IEnumerable<LeafRange> ranges, long? rootSize = null, Action<byte[]>? onBlock = null)
    {
        _ranges = ranges.OrderBy(r => r.Start).ToArray();
        _folders = _ranges.Select(_ => new Folder(null)).ToArray();
        if (rootSize is > 0) _whole = new Folder(onBlock);
        RootSize = rootSize ?? 0;
        LeavesNeeded = Math.Max(_ranges.Length == 0 ? 0 : _ranges.Max(r => r.End), RootSize);
    }

    public long RootSize { get; }

    /// <summary>How many leaves (from the first) the pass must see.</summary>
    public long LeavesNeeded { get; }

    /// <summary>Feeds the next leaf's hash (leaf 0 first).</summary>
    public void Add(byte[] leafHash)
    {
        var index = _next++;
        if (_whole is not null && index < RootSize) _whole.Push(leafHash);
        while (_current < _ranges.Length && index >= _ranges[_current].End) _current++;
        if (_current < _ranges.Length && index >= _ranges[_current].Start) _folders[_current].Push(leafHash);
    }

    public byte[] HashOf(LeafRange range)
    {
        var i = Array.IndexOf(_ranges, range);
        if (i < 0) throw new ArgumentException($"range {range} was not asked for", nameof(range));
        if (_next < range.End) throw new InvalidOperationException($"only {_next} leaves were seen; range {range} needs {range.End}");
        return _folders[i].Root();
    }

    public byte[] Root() => RootSize == 0 ? MerkleTree.EmptyRoot()
        : _next >= RootSize ? _whole!.Root() : throw new InvalidOperationException($"only {_next} of {RootSize} leaves were seen");

    /// <summary>
    /// Folds leaves as a binary counter folds carries: two subtrees of equal size merge at once; what is left at the
    /// end (sizes strictly decreasing) merges right to left, which is exactly the RFC's split at powers of two.
    /// </summary>
    private sealed class Folder(Action<byte[]>? onBlock)
    {
        private readonly List<(byte[] Hash, long Size)> _stack = [];

        public void Push(byte[] leaf)
        {
            var node = (Hash: leaf, Size: 1L);
            while (_stack.Count > 0 && _stack[^1].Size == node.Size)
            {
                var left = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
                node = (MerkleTree.NodeHash(left.Hash, node.Hash), left.Size * 2);
                if (node.Size == MerkleBlockCache.BlockLeaves) onBlock?.Invoke(node.Hash);
            }
            _stack.Add(node);
        }

        public byte[] Root()
        {
            if (_stack.Count == 0) return MerkleTree.EmptyRoot();
            var hash = _stack[^1].Hash;
            for (var i = _stack.Count - 2; i >= 0; i--) hash = MerkleTree.NodeHash(_stack[i].Hash, hash);
            return hash;
        }
    }
}
