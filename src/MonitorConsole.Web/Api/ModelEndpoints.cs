using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api.Contracts;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Web.Api;

/// <summary>/api/models: configure models, feed observations, run checks, read run history.</summary>
internal static class ModelEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Drift monitoring");
        models.MapGet("/", async (ModelConfigService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .RequirePermission(Permission.ReadMonitoring).WithSummary("Every configured model").Produces<IReadOnlyList<ModelConfigView>>();
        models.MapGet("/{id}", async (string id, ModelConfigService service, CancellationToken ct) =>
            await service.GetAsync(id, ct) is { } model ? Results.Ok(model) : throw new ModelNotFoundException(id))
            .RequirePermission(Permission.ReadMonitoring).WithSummary("One model's drift configuration")
            .Produces<ModelConfigView>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPut("/{id}", ConfigureAsync).RequirePermission(Permission.ConfigureModels)
            .WithSummary("Create or replace a model's drift configuration").AcceptsJson<ModelConfigInput>().Produces<ModelConfigView>();
        models.MapPut("/{id}/baseline", BaselineAsync).RequirePermission(Permission.ConfigureModels)
            .WithSummary("Replace the model's baseline with a CSV body")
            .AcceptsCsv("The baseline: a header row of column names (the model's features and output), then one row per observation.")
            .Produces<BaselineSummary>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost("/{id}/observations", ObserveAsync).RequirePermission(Permission.WriteObservations)
            .WithSummary("A batch of observations, as JSON or CSV")
            .AcceptsJson<ObservationBatchBody>()
            .AcceptsCsv("Rows of observations: a header row of column names, then one row per observation (read as it streams, past the JSON size limit).")
            .Produces<IngestResult>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost("/{id}/runs", RunAsync).RequirePermission(Permission.RunChecks)
            .WithSummary("Run a drift check now; with a body, on those observations instead of the stored ones")
            .AcceptsJson<ObservationBatchBody>(required: false).Produces<DriftRun>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapGet("/{id}/runs", HistoryAsync).RequirePermission(Permission.ReadMonitoring)
            .WithSummary("The model's run history, newest first").Produces<IReadOnlyList<DriftRun>>().ProducesInputProblem();
        models.MapGet("/{id}/runs/{checkId}/alert", AlertAsync).RequirePermission(Permission.ReadMonitoring)
            .WithSummary("The run's alert: sent or suppressed (and why), acknowledgement, each delivery with every attempt")
            .Produces<RunAlertView>().ProducesInputProblem();
        models.MapPost("/{id}/runs/{checkId}/alert/acknowledge", AcknowledgeAsync).RequirePermission(Permission.RunChecks)
            .WithSummary("Acknowledge the run's alert, with an optional note (recorded in the ledger)")
            .AcceptsJson<AlertAcknowledgement>(required: false).Produces<RunAlertView>();
        models.MapGet("/{id}/runs/{checkId}", ReportAsync).RequirePermission(Permission.ReadMonitoring)
            .WithSummary("One run's report: every feature's metrics, level and distributions")
            .Produces<RunReport>().ProducesProblem(StatusCodes.Status404NotFound);
        models.MapGet("/{id}/history/{metric}", MetricHistoryAsync).RequirePermission(Permission.ReadMonitoring)
            .WithSummary("A metric's history per feature, downsampled on the server (max_points, default 2,000; spikes kept), with WARNING, CRITICAL and FAILED runs")
            .Produces<MetricHistory>().ProducesInputProblem();
        app.MapGet("/api/drift-metrics", () => Results.Ok(MetricRegistry.All.Select(DriftMetricInfo.From).ToList()))
            .RequirePermission(Permission.ReadMonitoring).WithTags("Drift monitoring")
            .WithSummary("The metric registry: every drift and data-quality metric with its thresholds").Produces<IReadOnlyList<DriftMetricInfo>>();
        app.MapGet("/api/runs/export", ExportRunsAsync).RequirePermission(Permission.ExportLedger).WithTags("Drift monitoring")
            .WithSummary("Stream run history (optionally one model's) as CSV or JSON (recorded in the ledger)")
            .ProducesDownload("The run history file (format=csv, the default: a header row, then one row per run; format=json: a JSON document)",
                ApiMetadata.Csv, ApiMetadata.Json)
            .ProducesInputProblem();
        app.MapGet("/api/schedule", async (RunHistory history, CancellationToken ct) => Results.Ok(await history.ScheduleAsync(ct)))
            .RequirePermission(Permission.ReadMonitoring).WithTags("Drift monitoring")
            .WithSummary("Every model's schedule, next run time and last run").Produces<IReadOnlyList<ScheduleEntry>>();
        app.MapGet("/api/monitoring/stats", async (RunHistory history, CancellationToken ct) => Results.Ok(await history.StatisticsAsync(ct)))
            .RequirePermission(Permission.ReadMonitoring).WithTags("Drift monitoring")
            .WithSummary("Counts of models, runs by outcome and alerts, with the success rate").Produces<MonitoringStatistics>();
    }

    private static async Task<IResult> ConfigureAsync(string id, HttpContext context, ModelConfigService service, CancellationToken ct)
    {
        var input = await RequestJson.ReadAsync<ModelConfigInput>(context.Request, JsonOptions(context), ct)
            ?? throw new MonitoringInputException("body", "a model configuration is required");
        if (!string.IsNullOrEmpty(input.ModelId) && input.ModelId != id)
            throw new MonitoringInputException("model_id", $"'{input.ModelId}' in the body differs from '{id}' in the URL");
        var view = await service.ConfigureAsync(Caller(context), input with { ModelId = id }, ct);
        return Results.Ok(view);
    }

    private static async Task<IResult> BaselineAsync(string id, HttpContext context, ModelConfigService service, CancellationToken ct) =>
        Results.Ok(await service.ReplaceBaselineAsync(Caller(context), id, context.Request.Body, ct));

    private static async Task<IResult> ObserveAsync(string id, HttpRequest request, ObservationService observations, CancellationToken ct)
    {
        IngestResult result;
        if (request.ContentType?.Contains("csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A CSV is read as it streams and bounded by its row count, past Kestrel's 30 MB default (an API key's own
            // limit still holds: its stream wraps the body).
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = ObservationService.MaxCsvBytes;
            result = await observations.IngestCsvAsync(Caller(request.HttpContext), id, request.Body, ct);
        }
        else
        {
            using var body = await RequestJson.ParseAsync(request, ct);
            result = await observations.IngestJsonAsync(Caller(request.HttpContext), id, body.RootElement, ct);
        }
        return Results.Accepted($"/api/models/{id}/runs", result);
    }

    private static async Task<IResult> RunAsync(string id, HttpRequest request, DriftRunner runner, CancellationToken ct)
    {
        ObservationBatch? data = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var body = await RequestJson.ParseAsync(request, ct);
            data = ObservationJsonReader.Parse(body.RootElement);
        }
        return Results.Ok(await runner.RunNowAsync(Caller(request.HttpContext), id, data, ct));
    }

    private static async Task<IResult> HistoryAsync(
        string id, RunHistory history, string? status, string? from, string? to, int? limit, CancellationToken ct)
    {
        RunStatus? parsed = null;
        if (status is not null)
            parsed = Enum.TryParse<RunStatus>(status, ignoreCase: true, out var s) ? s
                : throw new MonitoringInputException("status", "must be one of PENDING, RUNNING, COMPLETED, FAILED, SKIPPED");
        return Results.Ok(await history.HistoryAsync(new HistoryFilter(id, parsed, AuditEndpoints.Time(from, "from"), AuditEndpoints.Time(to, "to"), limit ?? 50), ct));
    }

    private static async Task<IResult> AlertAsync(string id, string checkId, RunAlerts alerts, CancellationToken ct) =>
        await alerts.ForRunAsync(id, checkId, ct) is { } alert ? Results.Ok(alert)
            : throw new MonitoringInputException("check_id", $"check '{checkId}' of model '{id}' raised no alert");

    private static async Task<IResult> AcknowledgeAsync(string id, string checkId, HttpRequest request, RunAlerts alerts, CancellationToken ct)
    {
        string? note = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var body = await RequestJson.ParseAsync(request, ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
                throw new MonitoringInputException("body", "must be a JSON object such as {\"note\": \"...\"}");
            if (body.RootElement.TryGetProperty("note", out var value))
                note = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null => null,
                    _ => throw new MonitoringInputException("note", "must be a string"),
                };
        }
        return Results.Ok(await alerts.AcknowledgeAsync(Caller(request.HttpContext), id, checkId, note, ct));
    }

    private static async Task ExportRunsAsync(
        HttpContext context, RunHistoryExporter exporter, TimeProvider clock, string? format,
        [FromQuery(Name = "model_id")] string? modelId, CancellationToken ct)
    {
        var csv = (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => true,
            "json" => false,
            _ => throw new MonitoringInputException("format", "must be csv or json"),
        };
        var name = $"drift-runs-{(string.IsNullOrWhiteSpace(modelId) ? "all" : modelId)}-{clock.GetUtcNow():yyyy-MM-dd}.{(csv ? "csv" : "json")}";
        context.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/json";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await exporter.ExportAsync(Caller(context), context.Response.Body, csv, string.IsNullOrWhiteSpace(modelId) ? null : modelId, ct);
    }

    private static async Task<IResult> ReportAsync(string id, string checkId, RunReports reports, CancellationToken ct) =>
        await reports.ReportAsync(id, checkId, ct) is { } report ? Results.Ok(report)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown run", detail: $"model '{id}' has no run '{checkId}'",
                extensions: new Dictionary<string, object?> { ["field"] = "check_id" });

    private static async Task<IResult> MetricHistoryAsync(
        string id, string metric, RunReports reports, string? feature, string? from, string? to,
        [FromQuery(Name = "max_points")] int? maxPoints, CancellationToken ct) =>
        Results.Ok(await reports.HistoryAsync(id, metric, new SeriesQuery(feature, AuditEndpoints.Time(from, "from"),
            AuditEndpoints.Time(to, "to"), maxPoints ?? SeriesQuery.DefaultMaxPoints), ct));

    private static JsonSerializerOptions JsonOptions(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    private static Caller Caller(HttpContext context) => CallerPrincipal.From(context.User);
}
