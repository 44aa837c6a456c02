using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>Signing out (a form post with an antiforgery token) and handing over to the organisation's identity provider.</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signout", SignOutAsync).ExcludeFromDescription();
        app.MapGet("/account/external", (string? returnUrl, ExternalSignInOptions external) => external.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalRedirect.Sanitize(returnUrl) }, [ConsoleAccess.ExternalScheme])
                : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, SignInManager<IdentityUser> signIn, ActionLog log)
    {
        await antiforgery.ValidateRequestAsync(context);
        var caller = CallerPrincipal.From(context.User);
        await log.RecordAsync(ActionLog.SignOut, caller.Actor, "user", caller.Actor, new { remote_ip = context.Connection.RemoteIpAddress?.ToString() });
        await signIn.SignOutAsync();
        return Results.Redirect("/signin");
    }
}
