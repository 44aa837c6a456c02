using System.IO.Compression;
using System.Security.Cryptography;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests.Evidence;

/// <summary>Evidence packs for the tests: made by a ledger, unzipped, and zipped again after a forger's edits.</summary>
internal static class PackFiles
{
    /// <summary>Makes a pack of the filter's entries and writes it to a file in the ledger's folder.</summary>
    public static async Task<(string Path, PreparedEvidencePack Pack)> MakeAsync(LedgerFixture ledger, TrailFilter? filter, string name = "pack.zip")
    {
        var pack = await ledger.Evidence.PrepareAsync(filter, "alice");
        var path = Path.Combine(ledger.Folder, name);
        await using (var file = File.Create(path)) await pack.CopyToAsync(file);
        return (path, pack);
    }

    /// <summary>The ledger's own trust: its signing key and no TSA (as an auditor holding the published key).</summary>
    public static EvidenceTrust Trusted(LedgerFixture ledger, string keyId, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? tsa = null) =>
        new(ledger.Keys.Trusted(keyId), tsa ?? [], TimeSpan.FromMinutes(5));

    public static EvidenceTrust Untrusted => new(null, [], TimeSpan.FromMinutes(5));

    public static string Unzip(string zip)
    {
        var folder = zip + ".d";
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        ZipFile.ExtractToDirectory(zip, folder);
        return folder;
    }

    /// <summary>Zips a folder again, rewriting SHA256SUMS as a forger would so the file check alone cannot tell.</summary>
    public static string Rezip(string folder, string zip, bool rewriteSums = true)
    {
        if (rewriteSums)
        {
            var lines = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(n => n != EvidencePackFiles.Sums).Order(StringComparer.Ordinal)
                .Select(n => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, n))))}  {n}\n");
            File.WriteAllText(Path.Combine(folder, EvidencePackFiles.Sums), string.Concat(lines));
        }
        if (File.Exists(zip)) File.Delete(zip);
        ZipFile.CreateFromDirectory(folder, zip);
        return zip;
    }

    /// <summary>Recomputes an exported entry's data and entry hashes after a forger's edit, as anyone can.</summary>
    public static void Rehash(System.Text.Json.Nodes.JsonNode entry)
    {
        if ((string?)entry["data"] is { } data) entry["data_hash"] = HashSpec.ComputeDataHash(data);
        entry["entry_hash"] = HashSpec.ComputeEntryHash((long)entry["sequence"]!, (string)entry["entry_id"]!, (string)entry["timestamp"]!,
            (string)entry["action"]!, (string)entry["actor"]!, (string)entry["resource_type"]!, (string?)entry["resource_id"],
            (string)entry["data_hash"]!, (string?)entry["details"], (string)entry["previous_hash"]!);
    }

    public static EvidenceCheck Check(EvidenceVerification result, string title) =>
        Assert.Single(result.Checks, c => c.Title == title);
}
