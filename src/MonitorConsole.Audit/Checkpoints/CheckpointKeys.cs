using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>
/// The checkpoint signing key (ECDSA P-256, .NET's own) and the trusted public keys. The signing key is a PEM file
/// outside the database, created on first use; its public key is copied into the public-keys directory under its key
/// id, so checkpoints signed before a rotation still verify.
/// </summary>
public sealed class CheckpointKeys(IOptions<AuditOptions> options, Storage.AuditDatabase database)
{
    private readonly Lock _gate = new();
    private ECDsa? _signing;
    private string? _keyId;

    private CheckpointOptions Options => options.Value.Checkpoints;

    private string Home => Path.GetDirectoryName(database.Target.SqliteFilePath ?? "") is { Length: > 0 } folder ? folder : "data";

    public string SigningKeyPath => Path.GetFullPath(Options.SigningKeyFile ?? Path.Combine(Home, "checkpoint-signing-key.pem"));

    public string PublicKeysPath => Path.GetFullPath(Options.PublicKeysDirectory ?? Path.Combine(Home, "checkpoint-keys"));

    /// <summary>First 16 hex digits of SHA-256 over the public key (SubjectPublicKeyInfo DER).</summary>
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    public (ECDsa Key, string KeyId) Signing()
    {
        lock (_gate)
        {
            if (_signing is not null) return (_signing, _keyId!);
            var path = SigningKeyPath;
            var key = ECDsa.Create();
            if (File.Exists(path))
            {
                key.ImportFromPem(File.ReadAllText(path));
                if (key.KeySize != 256) throw new AuditOperationException($"{path}: the checkpoint key must be ECDSA P-256");
            }
            else
            {
                key.GenerateKey(ECCurve.NamedCurves.nistP256);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(file)) writer.Write(key.ExportPkcs8PrivateKeyPem());
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var spki = key.ExportSubjectPublicKeyInfo();
            _keyId = KeyIdOf(spki);
            Trust(spki);
            _signing = key;
            return (_signing, _keyId);
        }
    }

    /// <summary>The trusted public key with this id, or null when none is on file.</summary>
    public ECDsa? Trusted(string keyId)
    {
        if (keyId.Length != 16 || !keyId.All(Uri.IsHexDigit)) return null;
        var path = Path.Combine(PublicKeysPath, keyId + ".pem");
        if (!File.Exists(path)) return null;
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return KeyIdOf(key.ExportSubjectPublicKeyInfo()) == keyId ? key : null;
    }

    private void Trust(byte[] spki)
    {
        var directory = PublicKeysPath;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, KeyIdOf(spki) + ".pem");
        if (!File.Exists(path)) File.WriteAllText(path, PemEncoding.WriteString("PUBLIC KEY", spki) + "\n");
    }
}
