using System.Text.Json;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api.Contracts;

namespace MonitorConsole.Web.Api;

/// <summary>/api/me, /api/keys and /api/users: who is calling, and (administrators only) keys and accounts.</summary>
internal static class AccessEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (HttpContext context) => Results.Ok(CallerResponse.From(CallerPrincipal.From(context.User))))
            .WithTags("Access").WithSummary("The caller and what it may do").Produces<CallerResponse>();

        var keys = app.MapGroup("/api/keys").WithTags("Access").RequirePermission(Permission.ManageApiKeys);
        keys.MapGet("/", async (HttpContext context, ApiKeyService service, CancellationToken ct) =>
            Results.Ok(await service.ListAsync(CallerPrincipal.From(context.User), ct)))
            .WithSummary("Every API key, revoked ones included (never their tokens)").Produces<IReadOnlyList<ApiKeyView>>();
        keys.MapPost("/", CreateKeyAsync).WithSummary("Create a key; its token is in this response only")
            .AcceptsJson<NewApiKey>().Produces<CreatedApiKey>(StatusCodes.Status201Created);
        keys.MapDelete("/{keyId}", async (string keyId, HttpContext context, ApiKeyService service, CancellationToken ct) =>
            Results.Ok(await service.RevokeAsync(CallerPrincipal.From(context.User), keyId, ct))).WithSummary("Revoke a key")
            .Produces<ApiKeyView>().ProducesInputProblem();

        var users = app.MapGroup("/api/users").WithTags("Access").RequirePermission(Permission.ManageUsers);
        users.MapGet("/", async (HttpContext context, UserAccounts accounts, CancellationToken ct) =>
            Results.Ok(await accounts.ListAsync(CallerPrincipal.From(context.User), ct)))
            .WithSummary("Every local account with its role and lock state").Produces<IReadOnlyList<UserView>>();
        users.MapPost("/", async (HttpContext context, UserAccounts accounts, CancellationToken ct) =>
        {
            var body = await ObjectAsync(context.Request, ct);
            var user = await accounts.AddAsync(CallerPrincipal.From(context.User), Text(body, "user_name"), Text(body, "role"), Text(body, "password"), ct);
            return Results.Created($"/api/users/{Uri.EscapeDataString(user.UserName)}", user);
        }).WithSummary("Add a local account").AcceptsJson<NewUser>().Produces<UserView>(StatusCodes.Status201Created);
        users.MapPut("/{userName}/role", async (string userName, HttpContext context, UserAccounts accounts, CancellationToken ct) =>
            Results.Ok(await accounts.SetRoleAsync(CallerPrincipal.From(context.User), userName, Text(await ObjectAsync(context.Request, ct), "role"), ct)))
            .WithSummary("Change an account's role").AcceptsJson<RoleChange>().Produces<UserView>();
        users.MapPost("/{userName}/lock", async (string userName, HttpContext context, UserAccounts accounts, CancellationToken ct) =>
            Results.Ok(await accounts.SetLockedAsync(CallerPrincipal.From(context.User), userName, true, ct)))
            .WithSummary("Lock an account: it can no longer sign in").Produces<UserView>().ProducesInputProblem();
        users.MapPost("/{userName}/unlock", async (string userName, HttpContext context, UserAccounts accounts, CancellationToken ct) =>
            Results.Ok(await accounts.SetLockedAsync(CallerPrincipal.From(context.User), userName, false, ct)))
            .WithSummary("Unlock an account").Produces<UserView>().ProducesInputProblem();
        users.MapDelete("/{userName}", async (string userName, HttpContext context, UserAccounts accounts, CancellationToken ct) =>
        {
            await accounts.DeleteAsync(CallerPrincipal.From(context.User), userName, ct);
            return Results.NoContent();
        }).WithSummary("Delete an account").Produces(StatusCodes.Status204NoContent).ProducesInputProblem();
    }

    private static async Task<IResult> CreateKeyAsync(HttpContext context, ApiKeyService service, CancellationToken ct)
    {
        var body = await ObjectAsync(context.Request, ct);
        var scopes = body.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? JsonText.Get(e, "scopes") : JsonText.Raw(e, "scopes")).ToList()
            : throw new MonitoringInputException("scopes", "must be an array of scope names");
        var created = await service.CreateAsync(CallerPrincipal.From(context.User), new ApiKeyRequest(
            Text(body, "name"), scopes, Number(body, "requests_per_minute") is { } rpm ? (int)Math.Min(rpm, int.MaxValue) : null,
            Number(body, "max_body_bytes")), ct);
        return Results.Created($"/api/keys/{created.Key.KeyId}", created);
    }

    private static async Task<JsonElement> ObjectAsync(HttpRequest request, CancellationToken ct)
    {
        using var document = await RequestJson.ParseAsync(request, ct);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new MonitoringInputException("body", "must be a JSON object");
        return document.RootElement.Clone();
    }

    private static string Text(JsonElement body, string field) =>
        body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? JsonText.Get(value, field) : "";

    private static long? Number(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
            : throw new MonitoringInputException(field, "must be a whole number");
    }
}
