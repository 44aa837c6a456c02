using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using MonitorConsole.Audit;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Api;

/// <summary>
/// Bad input becomes a 400 problem-details body naming the field; an unknown model a 404; a refused ledger operation a
/// 409. Anything else is a 500 without internals.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, field, detail) = exception switch
        {
            InputException e => (400, "Invalid input", e.Field, e.Problem),
            DriftInputException e => (400, "Invalid input", e.Field, e.Problem),
            BadHttpRequestException e => (e.StatusCode, e.StatusCode == 413 ? "Body too large" : "Invalid request", "body", e.Message),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => (400, "Invalid form", null, "the form's antiforgery token is missing or invalid; reload the page"),
            AccessDeniedException e => (403, "Forbidden", null, e.Message),
            System.Text.Json.JsonException e => (400, "Invalid JSON", "body", e.Message),
            ModelNotFoundException e => (404, "Unknown model", "model_id", e.Message),
            AuditOperationException e => (409, "Refused", null, e.Message),
            _ => (0, "", null, ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    public static IResult BadRequest(string field, string detail) => Results.Problem(
        statusCode: 400, title: "Invalid input", detail: detail, extensions: new Dictionary<string, object?> { ["field"] = field });
}
