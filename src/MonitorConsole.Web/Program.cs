using MonitorConsole.Web;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api;
using MonitorConsole.Web.Components;
using MonitorConsole.Web.Hosting;
using MonitorConsole.Web.Operations;

var builder = WebApplication.CreateBuilder(args);
builder.AddConsoleConfiguration();
builder.Services.AddConsoleServices(builder.Configuration, builder.Environment);
builder.AddConsoleOperations();

var app = builder.Build();
app.UseConsoleHosting();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseConsoleAccess();
app.UseAntiforgery();
app.MapStaticAssets().AllowAnonymous();
app.MapOpenApi();
app.MapApiReference();
app.MapConsoleApi();
app.MapConsoleOperations();
app.MapAccountEndpoints();
// Our own Content-Security-Policy already says frame-ancestors 'none'; Blazor's second, laxer header is not needed.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
app.Run();

/// <summary>The web host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
