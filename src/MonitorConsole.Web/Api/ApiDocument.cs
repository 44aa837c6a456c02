using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Api;

/// <summary>
/// The one OpenAPI document (v1, /openapi/v1.json): how callers authenticate, which permission each operation needs,
/// and the bodies that <see cref="ApiMetadata"/> documents, so that a client can be generated from it.
/// </summary>
internal static class ApiDocument
{
    public const string Name = "v1";
    public const string PermissionExtension = "x-required-permission";

    public static IServiceCollection AddConsoleOpenApi(this IServiceCollection services) => services.AddOpenApi(Name, options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MonitorConsole HTTP API";
            document.Info.Version = Name;
            document.Info.Description = "Audit ledger, drift monitoring and access. Services send an API key as " +
                "`Authorization: Bearer mc_…` (or `X-Api-Key: mc_…`); people use their console session. Errors are " +
                "problem details (RFC 9457) whose `field` names the request field at fault. See docs/api.md.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key's token (mc_…), created in Admin → API keys or with POST /api/keys.",
            };
            document.Components.SecuritySchemes["api_key_header"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Access.ApiKeyAuthenticationHandler.HeaderName,
                Description = "The same token in the X-Api-Key header instead.",
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key_header", document)] = [] },
            ];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribePermissionAsync);
        options.AddOperationTransformer(DescribeBodiesAsync);
        options.AddSchemaTransformer((schema, _, _) =>
        {
            // The API reads numbers sent as strings too (web defaults) but always writes numbers: document numbers.
            if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type != typeof(ProblemDetails)) return Task.CompletedTask;
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["field"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Description = "The request field at fault (e.g. body, entries[2].action, from), when there is one.",
            };
            schema.Properties["trace_id"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The request's trace id, to find it in the console's log (answers from endpoints carry it).",
            };
            return Task.CompletedTask;
        });
    });

    /// <summary>Names the permission an operation needs, and which roles and API key scopes hold it.</summary>
    private static Task DescribePermissionAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy);
        var permission = Enum.GetValues<Permission>().Cast<Permission?>().FirstOrDefault(p => policies.Contains(p.ToString()));
        if (permission is not { } needed) return Task.CompletedTask;
        var wire = JsonNamingPolicy.SnakeCaseUpper.ConvertName(needed.ToString());
        var roles = ConsoleRoles.All.Where(r => ConsoleRoles.PermissionsOf(r).Contains(needed)).ToList();
        var scopes = ApiKeyScopes.All.Where(s => ApiKeyScopes.PermissionsOf(s).Contains(needed)).ToList();
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[PermissionExtension] = new JsonNodeExtension(JsonValue.Create(wire));
        var who = $"Needs the {wire} permission, which " +
                  (roles.Count == 0 ? "no role holds" : $"the role{(roles.Count == 1 ? "" : "s")} {string.Join(", ", roles)} hold{(roles.Count == 1 ? "s" : "")}") +
                  (scopes.Count == 0 ? " and no API key scope grants." : $" and the API key scope {string.Join(", ", scopes)} grants.");
        operation.Description = string.IsNullOrEmpty(operation.Description) ? who : $"{operation.Description}\n\n{who}";
        return Task.CompletedTask;
    }

    private static async Task DescribeBodiesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var bodies = metadata.OfType<DocumentedBody>().ToList();
        if (bodies.Count > 0)
        {
            var body = new OpenApiRequestBody { Required = bodies.Any(b => b.Required), Content = new Dictionary<string, OpenApiMediaType>() };
            foreach (var b in bodies)
                body.Content[b.ContentType] = new OpenApiMediaType { Schema = await SchemaAsync(context, b.Types, b.Description, binary: false, ct) };
            operation.RequestBody = body;
        }
        foreach (var documented in metadata.OfType<DocumentedResponse>())
        {
            operation.Responses ??= [];
            var status = documented.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(status, out var response))
                operation.Responses[status] = response = new OpenApiResponse { Description = documented.Description ?? "OK" };
            if (response is not OpenApiResponse editable) continue;
            editable.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in documented.ContentTypes ?? []) editable.Content.TryAdd(contentType, new OpenApiMediaType());
            foreach (var media in editable.Content.Values)
                media.Schema = await SchemaAsync(context, documented.Types, documented.Description, binary: true, ct);
        }
    }

    /// <summary>One type's schema, a oneOf of several, or text/binary when there are none.</summary>
    private static async Task<IOpenApiSchema> SchemaAsync(
        OpenApiOperationTransformerContext context, IReadOnlyList<Type> types, string? description, bool binary, CancellationToken ct)
    {
        if (types.Count == 0)
            return new OpenApiSchema { Type = JsonSchemaType.String, Format = binary ? "binary" : null, Description = description };
        var schemas = new List<IOpenApiSchema>();
        foreach (var type in types) schemas.Add(await context.GetOrCreateSchemaAsync(type, null, ct));
        return schemas.Count == 1 ? schemas[0] : new OpenApiSchema { OneOf = schemas, Description = description };
    }
}
