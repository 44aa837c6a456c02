using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A tiny RFC 3161 time-stamping authority on a loopback port, for tests: its own root CA and a TSA certificate
/// (critical timeStamping EKU) issued by it, an HTTP listener that takes application/timestamp-query, and tokens
/// built by hand (TSTInfo with AsnWriter, signed with SignedCms, signing-certificate-v2 attribute). It can be made to
/// fail (HTTP 503) and its clock can be set.
/// </summary>
public sealed class LocalTsa : IAsyncDisposable
{
    public const string PolicyOid = "1.3.6.1.4.1.99999.3161.1";
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private long _serial;
    private int _requests;

    private LocalTsa(string name)
    {
        var notBefore = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} Root CA, O=MonitorConsole tests", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        Ca = X509CertificateLoader.LoadCertificate(ca.RawData);

        var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest($"CN={name}, O=MonitorConsole tests", tsaKey, HashAlgorithmName.SHA256);
        tsaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tsaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        tsaRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        using var issued = tsaRequest.Create(ca, notBefore, notAfter, serial);
        TsaCertificate = issued.CopyWithPrivateKey(tsaKey);

        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/tsa/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public static LocalTsa Start(string name = "MonitorConsole Test TSA") => new(name);

    public string Url { get; }

    /// <summary>The root CA (public part only): what a deployment would trust.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The TSA's signing certificate, with its private key.</summary>
    public X509Certificate2 TsaCertificate { get; }

    /// <summary>When set, every request gets HTTP 503, as from a TSA that is down.</summary>
    public bool Failing { get; set; }

    /// <summary>The TSA's clock (genTime); the real clock unless a test sets another.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Writes the CA certificate as PEM into <paramref name="folder"/> and returns the path.</summary>
    public string WriteCaPem(string folder, string fileName = "tsa-ca.pem")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        File.WriteAllText(path, Ca.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>A token for any SHA-256 digest, without HTTP (for building hostile inputs).</summary>
    public byte[] TokenFor(byte[] sha256Digest)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(sha256Digest, HashAlgorithmName.SHA256, requestSignerCertificates: true);
        return Sign(TstInfo(request), includeCertificate: true);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Interlocked.Increment(ref _requests);
                await AnswerAsync(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException)
            {
                // The client went away; the next request is served as usual.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        if (Failing)
        {
            context.Response.StatusCode = 503;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        if (context.Request.HttpMethod != "POST" || context.Request.ContentType != "application/timestamp-query" ||
            !Rfc3161TimestampRequest.TryDecode(body.ToArray(), out var request, out _))
        {
            context.Response.StatusCode = 400;
            return;
        }
        var token = Sign(TstInfo(request), request.RequestSignerCertificate);
        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            using (response.PushSequence()) response.WriteInteger(0); // PKIStatus granted
            response.WriteEncodedValue(token);
        }
        var bytes = response.Encode();
        context.Response.ContentType = "application/timestamp-reply";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    /// <summary>TSTInfo: version 1, policy, the request's message imprint, a serial number, genTime and the request's nonce.</summary>
    private byte[] TstInfo(Rfc3161TimestampRequest request)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteObjectIdentifier(PolicyOid);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(request.HashAlgorithmId.Value!);
                    writer.WriteNull();
                }
                writer.WriteOctetString(request.GetMessageHash().Span);
            }
            writer.WriteInteger(Interlocked.Increment(ref _serial));
            writer.WriteGeneralizedTime(Clock.GetUtcNow(), omitFractionalSeconds: true);
            if (request.GetNonce() is { } nonce) writer.WriteInteger(nonce.Span);
        }
        return writer.Encode();
    }

    private byte[] Sign(byte[] tstInfo, bool includeCertificate)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoContentType), tstInfo), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, TsaCertificate)
        {
            IncludeOption = includeCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
            DigestAlgorithm = new Oid(Sha256Oid),
        };
        signer.SignedAttributes.Add(new AsnEncodedData(new Oid(SigningCertificateV2Oid), SigningCertificateV2()));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    /// <summary>SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash (SHA-256, the default algorithm) } }.</summary>
    private byte[] SigningCertificateV2()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
            writer.WriteOctetString(SHA256.HashData(TsaCertificate.RawData));
        return writer.Encode();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        TsaCertificate.Dispose();
        Ca.Dispose();
    }
}
