using System.Runtime.CompilerServices;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MonitorConsole.Drift;

/// <summary>How a <see cref="ColumnBuilder"/> keeps a column's values.</summary>
public enum ColumnMode
{
    /// <summary>Numbers while every value is one, categories from the first that is not.</summary>
    Auto,

    /// <summary>Numbers only: a value that is neither a finite number nor missing is refused.</summary>
    Numeric,

    /// <summary>Category labels, numbers in their canonical form.</summary>
    Categorical,
}

/// <summary>Why a value was refused by a numeric column.</summary>
public enum ValueProblem
{
    None,
    NotANumber,
    NotFinite,
}

/// <summary>
/// Collects one column's values as they are read — numbers as float64 (NaN for missing), categories as a dictionary of
/// canonical labels and int32 codes (−1 for missing) — without a string per value.
/// </summary>
public sealed class ColumnBuilder
{
    private double[] _numbers = [];
    private int[] _codes = [];
    private readonly List<string> _labels = [];
    private readonly Dictionary<string, int> _textCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<double, int> _numberCodes = [];
    private char[] _chars = new char[128];

    public ColumnBuilder(string name, ColumnMode mode, int capacity = 0)
    {
        Name = name;
        Mode = mode;
        IsNumeric = mode != ColumnMode.Categorical;
        if (IsNumeric) _numbers = GC.AllocateUninitializedArray<double>(capacity);
        else _codes = GC.AllocateUninitializedArray<int>(capacity);
    }

    public string Name { get; }
    public ColumnMode Mode { get; }
    public bool IsNumeric { get; private set; }
    public int Count { get; private set; }

    /// <summary>The numbers so far (numeric columns).</summary>
    public ReadOnlySpan<double> Numbers => _numbers.AsSpan(0, Count);

    /// <summary>The codes so far, indexes into <see cref="Labels"/> or −1 for missing (categorical columns).</summary>
    public ReadOnlySpan<int> Codes => _codes.AsSpan(0, Count);

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Adds one value given as UTF-8 text; a numeric column refuses (and does not add) a non-number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueProblem Add(ReadOnlySpan<byte> utf8)
    {
        if (IsNumeric)
        {
            if (TryParseShortDecimal(utf8, out var number)
                || (double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number)))
            {
                AddNumber(number);
                return ValueProblem.None;
            }
        }
        var chars = Decode(utf8);
        return AddText(chars);
    }

    /// <summary>Adds one value given as text (null is missing).</summary>
    public ValueProblem Add(string? text) => text is null ? AddMissing() : AddText(text.AsSpan());

    public ValueProblem AddMissing()
    {
        if (IsNumeric) AddNumber(double.NaN);
        else AddCode(-1);
        return ValueProblem.None;
    }

    /// <summary>Adds a number (NaN or ±∞ as missing).</summary>
    public void Add(double value)
    {
        if (IsNumeric) AddNumber(double.IsFinite(value) ? value : double.NaN);
        else AddCode(double.IsFinite(value) ? CodeOf(value) : -1);
    }

    private ValueProblem AddText(ReadOnlySpan<char> text)
    {
        if (FeatureColumn.IsMissingText(text)) return AddMissing();
        var trimmed = text.Trim();
        var isNumber = double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        if (isNumber && double.IsFinite(number))
        {
            Add(number);
            return ValueProblem.None;
        }
        if (IsNumeric)
        {
            if (Mode == ColumnMode.Numeric) return isNumber ? ValueProblem.NotFinite : ValueProblem.NotANumber;
            SwitchToCategories();
        }
        AddCode(CodeOf(trimmed));
        return ValueProblem.None;
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// The common case fast: an optional minus, digits, an optional point and digits, at most 15 digits in all. The
    /// digits as an integer and the power of ten are then both exact doubles, and one IEEE division of exact operands is
    /// correctly rounded — the same double <see cref="double.Parse(string)"/> gives (Clinger's fast path). Anything else
    /// goes to the full parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseShortDecimal(ReadOnlySpan<byte> utf8, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (utf8.Length > 0 && utf8[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        long mantissa = 0;
        int digits = 0, fraction = -1;
        for (; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if ((uint)(b - '0') <= 9)
            {
                mantissa = mantissa * 10 + (b - '0');
                digits++;
                if (fraction >= 0) fraction++;
            }
            else if (b == (byte)'.' && fraction < 0) fraction = 0;
            else return false;
        }
        if (digits == 0 || digits > 15 || fraction == 0) return false;
        value = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        if (negative) value = -value;
        return true;
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length) _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        var n = Encoding.UTF8.GetChars(utf8, _chars);
        return _chars.AsSpan(0, n);
    }

    private void SwitchToCategories()
    {
        IsNumeric = false;
        _codes = new int[Math.Max(_numbers.Length, 16)];
        for (var i = 0; i < Count; i++) _codes[i] = double.IsFinite(_numbers[i]) ? CodeOf(_numbers[i]) : -1;
        _numbers = [];
    }

    private int CodeOf(double number)
    {
        if (_numberCodes.TryGetValue(number, out var code)) return code;
        code = CodeOf(FeatureColumn.CanonicalNumber(number).AsSpan());
        _numberCodes[number] = code;
        return code;
    }

    private int CodeOf(ReadOnlySpan<char> label)
    {
        var lookup = _textCodes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(label, out var code)) return code;
        code = _labels.Count;
        var text = label.ToString();
        _labels.Add(text);
        _textCodes[text] = code;
        return code;
    }

    private void AddNumber(double value)
    {
        if (Count == _numbers.Length) Array.Resize(ref _numbers, Math.Max(16, _numbers.Length * 2));
        _numbers[Count++] = value;
    }

    private void AddCode(int code)
    {
        if (Count == _codes.Length) Array.Resize(ref _codes, Math.Max(16, _codes.Length * 2));
        _codes[Count++] = code;
    }

    /// <summary>
    /// Appends the values of a part of the same column read separately (a later block of the same file): numbers are
    /// copied, categories re-coded into this column's labels; an Auto column turns to categories if either side has.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ColumnBuilder part)
    {
        if (part.IsNumeric && IsNumeric)
        {
            EnsureCapacity(ref _numbers, Count + part.Count);
            part.Numbers.CopyTo(_numbers.AsSpan(Count));
            Count += part.Count;
            return;
        }
        if (part.IsNumeric)
        {
            foreach (var v in part.Numbers) Add(v);
            return;
        }
        if (IsNumeric) SwitchToCategories();
        var codes = new int[part._labels.Count];
        for (var i = 0; i < codes.Length; i++) codes[i] = CodeOf(part._labels[i].AsSpan());
        EnsureCapacity(ref _codes, Count + part.Count);
        foreach (var code in part.Codes) _codes[Count++] = code < 0 ? -1 : codes[code];
    }

    private static void EnsureCapacity<T>(ref T[] array, int length)
    {
        if (array.Length < length) Array.Resize(ref array, Math.Max(length, array.Length * 2));
    }

    /// <summary>The column as the metrics read it: numbers, or canonical category labels.</summary>
    public FeatureColumn ToColumn()
    {
        // A column read to its exact size hands its array over rather than copying it (a window holds 8 bytes per value).
        if (IsNumeric) return FeatureColumn.Numeric(Count == _numbers.Length ? _numbers : _numbers.AsSpan(0, Count).ToArray());
        var labels = new string?[Count];
        for (var i = 0; i < Count; i++) labels[i] = _codes[i] < 0 ? null : _labels[_codes[i]];
        return FeatureColumn.Categories(labels);
    }

    /// <summary>The numbers as little-endian float64 bytes (numeric columns).</summary>
    public ReadOnlySpan<byte> NumberBytes => MemoryMarshal.AsBytes(Numbers);

    /// <summary>The codes as little-endian int32 bytes (categorical columns).</summary>
    public ReadOnlySpan<byte> CodeBytes => MemoryMarshal.AsBytes(Codes);
}
