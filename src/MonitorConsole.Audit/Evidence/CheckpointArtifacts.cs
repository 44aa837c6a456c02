using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using MonitorConsole.Audit.Checkpoints;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// A checkpoint taken apart into the files openssl reads: the signed statement, the signature as DER (openssl's
/// ECDSA form; the checkpoint holds r‖s), the public key as PEM and the timestamp token.
/// </summary>
public static class CheckpointArtifacts
{
    public static byte[] SignatureDer(Checkpoint checkpoint)
    {
        var raw = Convert.FromBase64String(checkpoint.Signature);
        if (raw.Length == 0 || raw.Length % 2 != 0) throw new AuditValidationException("signature", "is not an ECDSA signature (r and s of equal length)");
        var half = raw.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(raw.AsSpan(0, half), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(raw.AsSpan(half), isUnsigned: true, isBigEndian: true));
        }
        return writer.Encode();
    }

    public static string PublicKeyPem(Checkpoint checkpoint) =>
        PemEncoding.WriteString("PUBLIC KEY", Convert.FromBase64String(checkpoint.PublicKey)) + "\n";

    /// <summary>The files, by pack name; the token only when the checkpoint is anchored.</summary>
    public static IEnumerable<(string Name, byte[] Content)> Of(Checkpoint checkpoint)
    {
        yield return (EvidencePackFiles.Statement, checkpoint.SignedText());
        yield return (EvidencePackFiles.Signature, SignatureDer(checkpoint));
        yield return (EvidencePackFiles.PublicKey, System.Text.Encoding.ASCII.GetBytes(PublicKeyPem(checkpoint)));
        if (checkpoint.TimestampTokenBytes() is { } token) yield return (EvidencePackFiles.Token, token);
    }
}
