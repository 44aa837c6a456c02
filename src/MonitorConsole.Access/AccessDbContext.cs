using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MonitorConsole.Access;

/// <summary>An API key as stored: only a hash of its secret is kept.</summary>
public sealed class ApiKey
{
    /// <summary>The public part of the key, printed in it and used to find it.</summary>
    public required string KeyId { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret part (the secret is 256 random bits, so no slow hash is needed).</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>Space-separated scopes.</summary>
    public required string Scopes { get; set; }

    public int RequestsPerMinute { get; set; }

    public long MaxBodyBytes { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// Console accounts (ASP.NET Core Identity), API keys and the web host's data-protection keys, in the ledger's
/// database: every console node on that database signs and reads the same session and antiforgery tokens.
/// </summary>
public sealed class AccessDbContext(DbContextOptions<AccessDbContext> options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public const string MigrationsTable = "__access_migrations";

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Passkeys are not used (Identity schema version 1), but MySQL's EF provider still meets their JSON data type
        // (a string[] it cannot map) while building the model; no other provider maps it either.
        builder.Ignore<IdentityPasskeyData>();
        builder.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.KeyId);
            e.Property(x => x.KeyId).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(64);
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Scopes).HasMaxLength(256);
        });
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
