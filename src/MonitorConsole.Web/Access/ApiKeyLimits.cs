using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace MonitorConsole.Web.Access;

/// <summary>
/// Each API key has its own request budget per minute and its own largest body; sign-in attempts are limited per
/// address, so a guessing script meets a 429 besides the account lockout.
/// </summary>
internal static class ApiKeyLimits
{
    public const string SignInPolicy = "sign-in";
    public const int SignInAttemptsPerMinute = 20;

    public static void Configure(RateLimiterOptions options)
    {
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var keyId = context.User.FindFirstValue(CallerPrincipal.KeyIdClaim);
            if (keyId is null || !int.TryParse(context.User.FindFirstValue(CallerPrincipal.RequestsPerMinuteClaim), CultureInfo.InvariantCulture, out var perMinute))
                return RateLimitPartition.GetNoLimiter("");
            return RateLimitPartition.GetFixedWindowLimiter($"{keyId}/{perMinute}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
        options.AddPolicy(SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = SignInAttemptsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        options.OnRejected = async (context, ct) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                "this caller's request budget for the minute is spent; retry after the Retry-After seconds");
        };
    }

    /// <summary>Refuses (413) an API-key request whose body is larger than the key allows, declared or streamed.</summary>
    public static async Task LimitBodyAsync(HttpContext context, Func<Task> next)
    {
        if (long.TryParse(context.User.FindFirstValue(CallerPrincipal.MaxBodyBytesClaim), CultureInfo.InvariantCulture, out var max))
        {
            if (context.Request.ContentLength > max)
            {
                await ApiProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Body too large", $"this API key may send at most {max} bytes");
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = max;
            context.Request.Body = new LimitedStream(context.Request.Body, max);
        }
        await next();
    }

    /// <summary>Counts what is read and fails the request once the limit is passed (for bodies without a length).</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new BadHttpRequestException($"the body is larger than the {limit} bytes this API key may send", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
