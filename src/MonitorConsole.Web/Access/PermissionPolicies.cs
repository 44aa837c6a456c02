using Microsoft.AspNetCore.Authorization;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>One authorization policy per permission, named after it: <c>[Authorize(Policy = nameof(Permission.X))]</c>.</summary>
internal static class PermissionPolicies
{
    public static void Add(AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Permission>())
            options.AddPolicy(permission.ToString(), p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)));
        // Everything not marked otherwise (pages, downloads, the API, the OpenAPI document) needs someone signed in.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    /// <summary>Also documents the 403 problem a caller without the permission gets (the 401 is documented for the whole API).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(permission.ToString()).ProducesProblem(StatusCodes.Status403Forbidden);
}

internal sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

internal sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (CallerPrincipal.From(context.User).Can(requirement.Permission)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
