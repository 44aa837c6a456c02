using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>Sends an e-mail alert through the configured SMTP server (MailKit), one connection per message.</summary>
public sealed class EmailSender(IOptions<MonitoringOptions> options)
{
    public async Task<AttemptResult> SendAsync(string to, string payload, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
            return new AttemptResult(false, null, "no mail server: set Monitoring:Smtp:Host", Permanent: true);
        var body = JsonSerializer.Deserialize<EmailBody>(payload) ?? throw new InvalidOperationException("empty e-mail payload");
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = body.Subject;
        message.Body = new TextPart("plain") { Text = body.Text };

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, ct);
            if (!string.IsNullOrEmpty(smtp.User)) await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return new AttemptResult(true, 250, null, false);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx is the server's final word on this message (unknown mailbox, refused sender); 4xx is worth retrying.
            var status = (int)ex.StatusCode;
            return new AttemptResult(false, status, $"SMTP {status}: {ex.Message}", Permanent: status >= 500);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"{ex.GetType().Name}: {ex.Message}", false);
        }
    }
}
