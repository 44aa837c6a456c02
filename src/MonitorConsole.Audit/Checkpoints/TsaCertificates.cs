using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>Reads the trusted TSA certificates (the TSA's own or its CA's) from PEM files.</summary>
public static class TsaCertificates
{
    public static X509Certificate2Collection Load(IEnumerable<string> pemFiles, string field = "Audit:Timestamping:TrustedCertificates")
    {
        var certificates = new X509Certificate2Collection();
        foreach (var path in pemFiles.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (!File.Exists(path)) throw new AuditValidationException(field, $"{Path.GetFullPath(path)} does not exist");
            var before = certificates.Count;
            try
            {
                certificates.ImportFromPemFile(path);
            }
            catch (CryptographicException ex)
            {
                throw new AuditValidationException(field, $"{Path.GetFullPath(path)} is not a PEM certificate file: {ex.Message}");
            }
            if (certificates.Count == before) throw new AuditValidationException(field, $"{Path.GetFullPath(path)} holds no CERTIFICATE block");
        }
        return certificates;
    }
}
