using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>
/// Checks a checkpoint's RFC 3161 token with nothing but the checkpoint and the trusted TSA certificates (so it works
/// offline, on a file): the token's message imprint must be SHA-256 of the checkpoint's signed statement, its CMS
/// signature must verify, its signer must carry the (critical) timeStamping EKU and be a trusted certificate or chain
/// to one at the token's genTime, and genTime must not lie before the checkpoint's own time by more than the tolerance.
/// </summary>
public static class AnchorVerifier
{
    public const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>The digest a token covers: SHA-256 over <see cref="Checkpoint.SignedText()"/>, the exact bytes the checkpoint key signs.</summary>
    public static byte[] Digest(Checkpoint checkpoint) => SHA256.HashData(checkpoint.SignedText());

    public static AnchorCheck Verify(Checkpoint checkpoint, X509Certificate2Collection trusted, TimeSpan clockTolerance, string? unanchoredReason = null)
    {
        if (checkpoint.TimestampToken is not { Length: > 0 } base64)
            return new AnchorCheck(AnchorCheck.NotAnchored, null, null, unanchoredReason ?? "the checkpoint carries no timestamp token");
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return new AnchorCheck(AnchorCheck.TokenInvalid, null, null, "timestamp_token is not base64");
        }
        return Verify(checkpoint, der, trusted, clockTolerance);
    }

    public static AnchorCheck Verify(Checkpoint checkpoint, byte[] tokenDer, X509Certificate2Collection trusted, TimeSpan clockTolerance)
    {
        // TryDecode also checks the CMS signature against the certificate the token carries: altered bytes fail here.
        if (!Rfc3161TimestampToken.TryDecode(tokenDer, out var token, out var consumed) || consumed != tokenDer.Length)
            return new AnchorCheck(AnchorCheck.TokenInvalid, null, null,
                "the timestamp token cannot be read as an RFC 3161 token, or its signature does not verify against the certificate it carries: it was altered");
        var info = token.TokenInfo;
        var genTime = info.Timestamp.UtcDateTime;
        var carried = token.AsSignedCms().SignerInfos[0].Certificate;
        var digest = Digest(checkpoint);
        if (info.HashAlgorithmId.Value != Sha256Oid || !info.GetMessageHash().Span.SequenceEqual(digest))
            return new AnchorCheck(AnchorCheck.TokenMismatch, genTime, carried?.Subject,
                "the token timestamps another statement (its message imprint is not SHA-256 of this checkpoint's signed statement): it belongs to another checkpoint");
        if (trusted.Count == 0)
            return new AnchorCheck(AnchorCheck.NoTrustedTsa, genTime, carried?.Subject,
                "a token is present but no trusted TSA certificate is configured (Audit:Timestamping:TrustedCertificates, or --tsa-cert offline), so it was not checked");
        if (!token.VerifySignatureForHash(digest, HashAlgorithmName.SHA256, out var signer, trusted) || signer is null)
            return new AnchorCheck(AnchorCheck.TokenInvalid, genTime, carried?.Subject,
                "the token's signature does not verify, or its signer is not a timestamping certificate (critical timeStamping EKU), or was not valid at genTime");
        if (!ChainsToTrusted(signer, token.AsSignedCms().Certificates, trusted, genTime, out var why))
            return new AnchorCheck(AnchorCheck.TokenInvalid, genTime, signer.Subject,
                $"the token's signer ({signer.Subject}) is not a trusted TSA: {why}");
        if (HashSpec.TryParseTimestamp(checkpoint.Timestamp, out var made) && genTime < made - clockTolerance)
            return new AnchorCheck(AnchorCheck.GenTimeTooEarly, genTime, signer.Subject,
                $"the token's genTime {HashSpec.FormatTimestamp(genTime)} is before the checkpoint's own time {checkpoint.Timestamp} by more than {clockTolerance}: one of the two clocks is wrong, or the checkpoint's time was forged");
        return new AnchorCheck(AnchorCheck.Anchored, genTime, signer.Subject,
            $"the statement of this checkpoint existed at {HashSpec.FormatTimestamp(genTime)}, signed by {signer.Subject}");
    }

    /// <summary>The signer is itself a trusted certificate, or chains to one as a custom root, with the timeStamping EKU, at genTime.</summary>
    private static bool ChainsToTrusted(X509Certificate2 signer, X509Certificate2Collection carried, X509Certificate2Collection trusted, DateTime genTime, out string why)
    {
        why = "";
        if (trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span))) return true;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.ExtraStore.AddRange(carried);
        // Offline by design (a file must verify years later): revocation is not consulted (docs/security.md).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = genTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStampingEku));
        if (chain.Build(signer)) return true;
        why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (why.Length == 0) why = "it does not chain to a configured certificate";
        return false;
    }
}
