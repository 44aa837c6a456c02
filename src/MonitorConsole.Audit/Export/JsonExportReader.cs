using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MonitorConsole.Audit.Export;

/// <summary>
/// Reads a JSON export in chunks: the top-level string fields, then each object of "entries" one at a time, so a file
/// of any size is read in flat memory. It hands over only what a reader can check: the entries and the top-level
/// strings (format, scope). Numbers and objects the file adds about itself (entry_count, filter) are skipped, and an
/// entry's rolled_back flag is passed on only for display: no check relies on it. A name given twice — at the top level or inside an entry — is refused,
/// because two readers of the file could then see two different exports.
/// </summary>
internal static class JsonExportReader
{
    internal abstract record Item;
    internal sealed record Header(string Name, string? Value) : Item;
    internal sealed record Entry(ExportedEntry Value) : Item;

    private static readonly JsonSerializerOptions EntryOptions = new() { AllowDuplicateProperties = false };

    public static async IAsyncEnumerable<Item> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var length = 0;
            var final = false;
            var state = new JsonReaderState();
            var parser = new ParserState();
            var items = new List<Item>();
            while (true)
            {
                if (!final)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                    if (read == 0) final = true;
                    length += read;
                }
                var consumed = Parse(buffer.AsSpan(0, length), final, ref state, parser, items);
                foreach (var item in items) yield return item;
                items.Clear();
                if (parser.Done)
                {
                    // Anything after the document but whitespace is a second document some other reader would see.
                    if (!IsWhitespace(buffer.AsSpan(consumed, length - consumed)) || !await RestIsWhitespaceAsync(stream, buffer, ct))
                        throw new AuditOperationException("the export holds more after its JSON document; a file that says two things is not read");
                    yield break;
                }
                if (final)
                    throw new AuditOperationException("the export ends before its JSON is complete");
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static async Task<bool> RestIsWhitespaceAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            if (!IsWhitespace(buffer.AsSpan(0, read))) return false;
        return true;
    }

    private sealed class ParserState
    {
        public string? PendingProperty;
        public readonly HashSet<string> TopLevelNames = new(StringComparer.Ordinal);
        public bool InEntries;
        public bool Done;
    }

    private static int Parse(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, ParserState p, List<Item> items)
    {
        var reader = new Utf8JsonReader(data, final, state);
        try
        {
            while (true)
            {
                var before = reader.CurrentState;
                var beforeConsumed = (int)reader.BytesConsumed;
                if (!reader.Read()) break;
                if (p.InEntries && reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2)
                {
                    var start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        state = before;
                        return beforeConsumed;
                    }
                    var slice = data[start..(int)reader.BytesConsumed];
                    items.Add(new Entry(JsonSerializer.Deserialize<ExportedEntry>(slice, EntryOptions)
                        ?? throw new AuditOperationException("an entry of the export is null")));
                    continue;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        p.PendingProperty = reader.GetString();
                        if (!p.TopLevelNames.Add(p.PendingProperty!))
                            throw new AuditOperationException(
                                $"the export has '{p.PendingProperty}' twice at its top level; a file that says two things about itself is not read");
                        break;
                    case JsonTokenType.String when reader.CurrentDepth == 1:
                        items.Add(new Header(p.PendingProperty!, reader.GetString()));
                        break;
                    case JsonTokenType.StartArray when reader.CurrentDepth == 1 && p.PendingProperty == "entries":
                        p.InEntries = true;
                        break;
                    case JsonTokenType.EndArray when reader.CurrentDepth == 1 && p.InEntries:
                        p.InEntries = false;
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 0:
                        p.Done = true;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= 1 && !p.InEntries:
                        if (!reader.TrySkip())
                        {
                            state = before;
                            return beforeConsumed;
                        }
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new AuditOperationException($"the export is not valid JSON: {ex.Message}");
        }
        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
