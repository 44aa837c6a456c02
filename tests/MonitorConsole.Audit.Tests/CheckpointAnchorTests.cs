using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Tests.Support;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Audit.Tests;

/// <summary>RFC 3161 anchors on checkpoints, against a local TSA on a loopback port.</summary>
public sealed class CheckpointAnchorTests : IAsyncLifetime
{
    private readonly string _certificates = Path.Combine(Path.GetTempPath(), "mc-tsa-tests", Guid.NewGuid().ToString("N"));
    private LocalTsa _tsa = null!;

    public ValueTask InitializeAsync()
    {
        _tsa = LocalTsa.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _tsa.DisposeAsync();
        if (Directory.Exists(_certificates)) Directory.Delete(_certificates, recursive: true);
    }

    private LedgerFixture Ledger(string? url = null, bool trust = true) => AnchoredLedger.Create(_tsa, _certificates, url, trust);

    [Fact]
    public async Task ANewCheckpoint_IsAnchored_AndItsTokenVerifies()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(5);
        var checkpoint = await ledger.Checkpoints.CreateAsync();

        Assert.NotNull(checkpoint.TimestampToken);
        Assert.Equal(1, _tsa.Requests);
        var check = await ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.True(check.Matches, check.Detail);
        Assert.Equal(AnchorCheck.Anchored, check.Anchor!.Outcome);
        Assert.Contains("MonitorConsole Test TSA", check.Anchor.TsaSubject);
        Assert.InRange(check.Anchor.GenTime!.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));

        var stored = (await ledger.Checkpoints.LatestRecordAsync())!;
        Assert.Equal(checkpoint.TimestampTokenBytes(), stored.TimestampToken);
        Assert.Equal(check.Anchor.GenTime, stored.AnchoredAt);
        Assert.Null(stored.AnchorProblem);
        Assert.StartsWith("anchored at ", check.Anchor.Summary);
    }

    [Fact]
    public async Task ATokenFromAnotherCheckpoint_IsRejected_EvenAfterTheChainIsRewrittenToTheSameSize()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(4);
        var first = await ledger.Checkpoints.CreateAsync();
        await ledger.SeedAsync(1);
        var second = await ledger.Checkpoints.CreateAsync();

        var swapped = second with { TimestampToken = first.TimestampToken };
        Assert.Equal(AnchorCheck.TokenMismatch, ledger.Checkpoints.CheckAnchor(swapped).Outcome);

        // A history rewritten later and re-checkpointed gets another statement (head hash, root, time), so an old
        // token cannot be carried over to make the new checkpoint look older.
        var resigned = first with { EntryHash = second.EntryHash, MerkleRoot = second.MerkleRoot };
        var check = ledger.Checkpoints.CheckAnchor(resigned);
        Assert.Equal(AnchorCheck.TokenMismatch, check.Outcome);
        Assert.True(check.IsFailure);
    }

    [Fact]
    public async Task ATokenSignedByAnUntrustedTsa_IsRejected()
    {
        await using var other = LocalTsa.Start("Someone Else's TSA");
        await using var ledger = Ledger();
        await ledger.SeedAsync(3);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var foreign = checkpoint with { TimestampToken = Convert.ToBase64String(other.TokenFor(AnchorVerifier.Digest(checkpoint))) };

        var check = ledger.Checkpoints.CheckAnchor(foreign);
        Assert.Equal(AnchorCheck.TokenInvalid, check.Outcome);
        Assert.Contains("Someone Else's TSA", check.Detail);
    }

    [Fact]
    public async Task TamperedTokenBytes_AreRejected()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(3);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var token = checkpoint.TimestampTokenBytes()!;

        // The message imprint inside the signed TSTInfo, and the last byte (the signature's).
        var imprintAt = token.AsSpan().IndexOf(AnchorVerifier.Digest(checkpoint));
        Assert.True(imprintAt > 0);
        foreach (var position in new[] { imprintAt + 5, token.Length - 1 })
        {
            var altered = (byte[])token.Clone();
            altered[position] ^= 0x01;
            var check = ledger.Checkpoints.CheckAnchor(checkpoint with { TimestampToken = Convert.ToBase64String(altered) });
            Assert.Equal(AnchorCheck.TokenInvalid, check.Outcome);
        }
        Assert.Equal(AnchorCheck.TokenInvalid, ledger.Checkpoints.CheckAnchor(checkpoint with { TimestampToken = Convert.ToBase64String(token[..^10]) }).Outcome);
    }

    [Fact]
    public async Task WhenTheTsaIsDown_TheCheckpointIsStoredUnanchored_AndAnchoredLater()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(6);
        _tsa.Failing = true;
        var checkpoint = await ledger.Checkpoints.CreateAsync();

        Assert.Null(checkpoint.TimestampToken);
        var stored = (await ledger.Checkpoints.LatestRecordAsync())!;
        Assert.Contains("HTTP 503", stored.AnchorProblem);
        var unanchored = await ledger.Checkpoints.CheckAsync(checkpoint, unanchoredReason: stored.UnanchoredReason);
        Assert.True(unanchored.Matches);
        Assert.Equal(AnchorCheck.NotAnchored, unanchored.Anchor!.Outcome);
        Assert.False(unanchored.Anchor.IsFailure);
        Assert.Contains("HTTP 503", unanchored.Anchor.Summary);

        Assert.False(Assert.Single(await ledger.Checkpoints.AnchorAsync()).Anchored); // still down: a new reason is kept
        _tsa.Failing = false;
        var attempt = Assert.Single(await ledger.Checkpoints.AnchorAsync());
        Assert.True(attempt.Anchored, attempt.Detail);
        Assert.Equal(stored.Id, attempt.Id);

        var anchored = (await ledger.Checkpoints.LatestRecordAsync())!;
        Assert.Null(anchored.AnchorProblem);
        Assert.Equal(AnchorCheck.Anchored, (await ledger.Checkpoints.CheckAsync(anchored.Checkpoint)).Anchor!.Outcome);
        Assert.Empty(await ledger.Checkpoints.AnchorAsync());
        var again = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Checkpoints.AnchorAsync(anchored.Id));
        Assert.Equal("id", again.Field);
    }

    [Fact]
    public async Task AnUnreachableTsa_IsRecordedAsTheReason()
    {
        await using var ledger = Ledger(url: "http://127.0.0.1:9/tsa");
        await ledger.SeedAsync(2);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        Assert.Null(checkpoint.TimestampToken);
        Assert.Contains("could not be reached", (await ledger.Checkpoints.LatestRecordAsync())!.AnchorProblem);
    }

    [Fact]
    public async Task AGenTimeBeforeTheCheckpointsOwnTime_IsReported()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(2);
        // The ledger's clock says 2026-01-30 12:00; a TSA saying an hour earlier contradicts it.
        _tsa.Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 30, 11, 0, 0, TimeSpan.Zero));
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var check = ledger.Checkpoints.CheckAnchor(checkpoint);
        Assert.Equal(AnchorCheck.GenTimeTooEarly, check.Outcome);
        Assert.True(check.IsFailure);
    }

    [Fact]
    public async Task WithoutTrustedCertificates_ATokenIsReportedUnchecked_AndANoneConfiguredLedgerMakesNoRequest()
    {
        await using (var ledger = Ledger(trust: false))
        {
            await ledger.SeedAsync(2);
            var checkpoint = await ledger.Checkpoints.CreateAsync();
            var check = ledger.Checkpoints.CheckAnchor(checkpoint);
            Assert.Equal(AnchorCheck.NoTrustedTsa, check.Outcome);
            Assert.False(check.IsFailure);
        }
        await using var plain = new LedgerFixture();
        await plain.SeedAsync(2);
        var requests = _tsa.Requests;
        var unanchored = await plain.Checkpoints.CreateAsync();
        Assert.Null(unanchored.TimestampToken);
        Assert.Equal(requests, _tsa.Requests);
        Assert.Contains("no time-stamping authority", (await plain.Checkpoints.LatestRecordAsync())!.UnanchoredReason);
        await Assert.ThrowsAsync<AuditValidationException>(() => plain.Checkpoints.AnchorAsync());
    }

    [Fact]
    public async Task ACheckpointFile_CarriesItsToken_AndVerifiesOfflineOnlyWithTheRightCertificate()
    {
        await using var other = LocalTsa.Start("Someone Else's TSA");
        await using var ledger = Ledger();
        await ledger.SeedAsync(3);
        var file = Checkpoint.Parse((await ledger.Checkpoints.CreateAsync()).ToJson());
        Assert.NotNull(file.TimestampToken);

        var right = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(_tsa.Ca.RawData));
        var wrong = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(other.Ca.RawData));
        Assert.Equal(AnchorCheck.Anchored, AnchorVerifier.Verify(file, right, TimeSpan.FromMinutes(5)).Outcome);
        Assert.Equal(AnchorCheck.TokenInvalid, AnchorVerifier.Verify(file, wrong, TimeSpan.FromMinutes(5)).Outcome);
        // Pinning the TSA's own certificate (not its CA) works too.
        var leaf = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(_tsa.TsaCertificate.RawData));
        Assert.Equal(AnchorCheck.Anchored, AnchorVerifier.Verify(file, leaf, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public async Task OnceAnchored_TheDatabaseRefusesToChangeTheCheckpointRow()
    {
        await using var ledger = Ledger();
        await ledger.SeedAsync(2);
        _tsa.Failing = true;
        await ledger.Checkpoints.CreateAsync();
        // Unanchored: only the anchor columns may be written.
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => ledger.Tamper("UPDATE audit_checkpoints SET tree_size = 1", dropTriggers: false)).Message);
        ledger.Tamper("UPDATE audit_checkpoints SET anchor_problem = 'retried'", dropTriggers: false);
        _tsa.Failing = false;
        await ledger.Checkpoints.AnchorAsync();

        foreach (var sql in new[] { "UPDATE audit_checkpoints SET timestamp_token = NULL", "UPDATE audit_checkpoints SET anchored_at = '2000-01-01T00:00:00.000000Z'", "DELETE FROM audit_checkpoints" })
            Assert.Contains("append-only", Assert.Throws<SqliteException>(() => ledger.Tamper(sql, dropTriggers: false)).Message);
        Assert.Equal(AnchorCheck.Anchored, ledger.Checkpoints.CheckAnchor((await ledger.Checkpoints.LatestAsync())!).Outcome);
    }
}

/// <summary>A ledger whose checkpoints are anchored by a local TSA (on SQLite, or on a server database).</summary>
public static class AnchoredLedger
{
    public static LedgerFixture Create(LocalTsa tsa, string certificateFolder, string? url = null, bool trust = true, string? database = null)
    {
        var pem = tsa.WriteCaPem(certificateFolder, $"ca-{Guid.NewGuid():N}.pem");
        return new LedgerFixture(o =>
        {
            if (database is not null) o.Database = database;
            o.Timestamping.Url = url ?? tsa.Url;
            if (trust) o.Timestamping.TrustedCertificates = [pem];
            o.Timestamping.Timeout = TimeSpan.FromSeconds(5);
        });
    }
}
