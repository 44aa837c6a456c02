using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>Why a TSA gave no token (unreachable, slow, an error status, or a response that fails the request's checks).</summary>
public sealed class TimestampException(string message) : Exception(message);

/// <summary>
/// The RFC 3161 client: asks the configured TSA for a token over a SHA-256 digest (with a nonce, asking for the
/// signer's certificate), checks the response against the request (status, imprint, nonce) and returns the token's DER.
/// </summary>
public sealed class TimestampAuthority(IHttpClientFactory http, IOptions<AuditOptions> options)
{
    public const string HttpClientName = "MonitorConsole.Audit.Timestamping";

    private TimestampingOptions Options => options.Value.Timestamping;

    public bool Enabled => !string.IsNullOrWhiteSpace(Options.Url);

    public async Task<byte[]> RequestTokenAsync(byte[] sha256Digest, CancellationToken ct = default)
    {
        var settings = Options;
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new TimestampException($"Audit:Timestamping:Url ({settings.Url}) is not an http(s) URL");
        var request = Rfc3161TimestampRequest.CreateFromHash(sha256Digest, HashAlgorithmName.SHA256,
            nonce: settings.UseNonce ? Nonce() : null, requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).PostAsync(url, content, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new TimestampException($"the TSA at {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            try
            {
                // Checks the status is granted, the imprint and nonce are ours, and the signer's certificate is included.
                var token = request.ProcessResponse(body, out _);
                return token.AsSignedCms().Encode();
            }
            catch (CryptographicException ex)
            {
                throw new TimestampException($"the TSA at {url} gave no usable token: {ex.Message}");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new TimestampException($"the TSA at {url} could not be reached: {ex.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimestampException($"the TSA at {url} did not answer within {settings.Timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>64 random bits as a positive INTEGER (the top bit clear, the first byte non-zero, so DER needs no padding).</summary>
    private static ReadOnlyMemory<byte> Nonce()
    {
        var nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] = (byte)((nonce[0] & 0x7F) | 0x40);
        return nonce;
    }
}
