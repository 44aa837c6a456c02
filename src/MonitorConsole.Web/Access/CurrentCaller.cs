using Microsoft.AspNetCore.Components.Authorization;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>The signed-in person of this circuit, as the services' caller.</summary>
public sealed class CurrentCaller(AuthenticationStateProvider authentication)
{
    public async Task<Caller> GetAsync() => CallerPrincipal.From((await authentication.GetAuthenticationStateAsync()).User);
}
