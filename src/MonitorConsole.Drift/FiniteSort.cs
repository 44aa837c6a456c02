using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MonitorConsole.Drift;

/// <summary>
/// Sorts finite doubles ascending by a least-significant-digit radix sort over their bit patterns, several times
/// faster than a comparison sort on the million-value windows a run sorts once per feature (the KS and Wasserstein
/// metrics need sorted samples). The order is the numeric order; −0 sorts before +0, which as equal values changes
/// no metric.
/// </summary>
public static class FiniteSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;

    /// <summary>Below this a comparison sort is as fast and needs no scratch buffer.</summary>
    private const int RadixThreshold = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<double> values)
    {
        if (values.Length < RadixThreshold)
        {
            values.Sort();
            return;
        }
        var keys = MemoryMarshal.Cast<double, ulong>(values);
        for (var i = 0; i < keys.Length; i++) keys[i] = ToKey(keys[i]);

        var rented = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            var source = keys;
            var target = rented.AsSpan(0, keys.Length);
            var counts = new int[Passes * Buckets];
            Count(source, counts);
            for (var pass = 0; pass < Passes; pass++)
            {
                var histogram = counts.AsSpan(pass * Buckets, Buckets);
                // A digit every key shares (the exponent's high bits, typically) moves nothing: skip the pass.
                if (histogram[Digit(source[0], pass)] == source.Length) continue;
                Scatter(source, target, histogram, pass);
                var swap = source;
                source = target;
                target = swap;
            }
            if (source != keys) source.CopyTo(keys);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
        for (var i = 0; i < keys.Length; i++) keys[i] = FromKey(keys[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Count(ReadOnlySpan<ulong> keys, int[] counts)
    {
        ref var count = ref MemoryMarshal.GetArrayDataReference(counts);
        foreach (var key in keys)
            for (var pass = 0; pass < Passes; pass++)
                Unsafe.Add(ref count, pass * Buckets + Digit(key, pass))++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(ReadOnlySpan<ulong> source, Span<ulong> target, Span<int> histogram, int pass)
    {
        var offset = 0;
        for (var b = 0; b < Buckets; b++)
        {
            var count = histogram[b];
            histogram[b] = offset;
            offset += count;
        }
        // Every digit's offset is within target by construction of the histogram, so the bounds checks are left out.
        ref var first = ref MemoryMarshal.GetReference(target);
        ref var offsets = ref MemoryMarshal.GetReference(histogram);
        foreach (var key in source) Unsafe.Add(ref first, Unsafe.Add(ref offsets, Digit(key, pass))++) = key;
    }

    private static int Digit(ulong key, int pass) => (int)(key >> (pass * DigitBits)) & (Buckets - 1);

    // Positive doubles order as their bits; negative ones in reverse. Setting the sign bit of positives and inverting
    // negatives makes unsigned order equal numeric order.
    private static ulong ToKey(ulong bits) => (bits & SignBit) != 0 ? ~bits : bits | SignBit;

    private static ulong FromKey(ulong key) => (key & SignBit) != 0 ? key & ~SignBit : ~key;

    private const ulong SignBit = 1UL << 63;
}
