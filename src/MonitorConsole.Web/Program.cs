using MonitorConsole.Web;
using MonitorConsole.Web.Api;
using MonitorConsole.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddConsoleConfiguration();
builder.Services.AddConsoleServices(builder.Configuration);

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOpenApi();
app.MapConsoleApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

/// <summary>The web host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
