using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Access;

public sealed record ApiKeyView(
    string KeyId, string Name, IReadOnlyList<string> Scopes, int RequestsPerMinute, long MaxBodyBytes,
    string CreatedBy, DateTime CreatedAt, DateTime? RevokedAt, string? RevokedBy, DateTime? LastUsedAt)
{
    public bool Active => RevokedAt is null;
}

/// <summary>A new key: <see cref="Token"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Token);

public sealed record ApiKeyRequest(string Name, IReadOnlyList<string> Scopes, int? RequestsPerMinute = null, long? MaxBodyBytes = null);

/// <summary>
/// API keys for other services: created by an administrator and shown once, stored as a hash, scoped, revocable,
/// with the time each was last used. A token reads <c>mc_&lt;key id&gt;_&lt;secret&gt;</c>.
/// </summary>
public sealed partial class ApiKeyService(AccessDatabase database, ActionLog log, IOptions<AccessOptions> options, TimeProvider clock)
{
    public const string TokenPrefix = "mc_";
    public const int MaxRequestsPerMinute = 100_000;
    public const long MaxBodyBytesLimit = 1L << 30;

    /// <summary>Last-used times are written at most this often per key, so a busy key does not write on every call.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    public async Task<CreatedApiKey> CreateAsync(Caller caller, ApiKeyRequest request, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageApiKeys);
        var name = request.Name?.Trim() ?? "";
        if (!NamePattern().IsMatch(name))
            throw new AccessInputException("name", "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        var scopes = (request.Scopes ?? []).Select(s => s?.Trim() ?? "").Distinct().ToList();
        if (scopes.Count == 0) throw new AccessInputException("scopes", $"at least one is required: {string.Join(", ", ApiKeyScopes.All)}");
        if (scopes.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s)) is { } unknown)
            throw new AccessInputException("scopes", $"'{unknown}' is not a scope; use {string.Join(", ", ApiKeyScopes.All)}");
        var perMinute = request.RequestsPerMinute ?? options.Value.ApiKeyRequestsPerMinute;
        if (perMinute is < 1 or > MaxRequestsPerMinute)
            throw new AccessInputException("requests_per_minute", $"must be between 1 and {MaxRequestsPerMinute}");
        var maxBody = request.MaxBodyBytes ?? options.Value.ApiKeyMaxBodyBytes;
        if (maxBody is < 1024 or > MaxBodyBytesLimit)
            throw new AccessInputException("max_body_bytes", $"must be between 1024 and {MaxBodyBytesLimit}");

        await using var db = await database.CreateDbContextAsync(ct);
        if (await db.ApiKeys.AnyAsync(k => k.Name == name, ct))
            throw new AccessInputException("name", $"a key named '{name}' already exists (revoked keys keep their names)");

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            KeyId = keyId,
            Name = name,
            SecretHash = Hash(secret),
            Scopes = string.Join(' ', scopes),
            RequestsPerMinute = perMinute,
            MaxBodyBytes = maxBody,
            CreatedBy = caller.Actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        // The ledger entry comes first: a key that exists without its creation audited would be worse than an
        // audited creation whose insert then failed.
        await log.RecordAsync(ActionLog.ApiKeyCreated, caller.Actor, "api_key", name,
            new { key_id = keyId, name, scopes, requests_per_minute = perMinute, max_body_bytes = maxBody }, ct);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(View(key), $"{TokenPrefix}{keyId}_{secret}");
    }

    public async Task<ApiKeyView> RevokeAsync(Caller caller, string keyId, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageApiKeys);
        await using var db = await database.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyId == keyId, ct)
            ?? throw new AccessInputException("key_id", $"no API key has id '{keyId}'");
        if (key.RevokedAt is not null) return View(key);
        await log.RecordAsync(ActionLog.ApiKeyRevoked, caller.Actor, "api_key", key.Name, new { key_id = key.KeyId, name = key.Name }, ct);
        key.RevokedAt = clock.GetUtcNow().UtcDateTime;
        key.RevokedBy = caller.Actor;
        await db.SaveChangesAsync(ct);
        return View(key);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageApiKeys);
        await using var db = await database.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(ct);
        return keys.Select(View).ToList();
    }

    /// <summary>The active key the token belongs to, or null; records when it was used.</summary>
    public async Task<ApiKeyView?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (!TryParse(token, out var keyId, out var secret)) return null;
        await using var db = await database.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, ct);
        if (key is null || key.RevokedAt is not null) return null;
        if (!CryptographicOperations.FixedTimeEquals(key.SecretHash, Hash(secret))) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.KeyId == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
            key.LastUsedAt = now;
        }
        return View(key);
    }

    private static bool TryParse(string token, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 128) return false;
        var parts = token[TokenPrefix.Length..].Split('_', 2);
        if (parts.Length != 2 || parts[0].Length != 12 || parts[1].Length == 0) return false;
        keyId = parts[0];
        secret = parts[1];
        return true;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyView View(ApiKey k) => new(
        k.KeyId, k.Name, k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.RequestsPerMinute, k.MaxBodyBytes,
        k.CreatedBy, k.CreatedAt, k.RevokedAt, k.RevokedBy, k.LastUsedAt);
}
