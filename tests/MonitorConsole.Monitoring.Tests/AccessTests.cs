using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Tests;

public sealed class PermissionTests
{
    [Theory]
    [InlineData(ConsoleRoles.Auditor, false, false, false)]
    [InlineData(ConsoleRoles.DataScientist, true, false, false)]
    [InlineData(ConsoleRoles.Admin, true, true, true)]
    public void Roles_IncludeTheOneBefore(string role, bool configure, bool rollback, bool users)
    {
        var caller = Caller.User("x", [role]);
        Assert.True(caller.Can(Permission.ReadLedger) && caller.Can(Permission.VerifyLedger) && caller.Can(Permission.ExportLedger));
        Assert.Equal(configure, caller.Can(Permission.ConfigureModels));
        Assert.Equal(configure, caller.Can(Permission.RunChecks));
        Assert.Equal(rollback, caller.Can(Permission.RollbackLedger));
        Assert.Equal(users, caller.Can(Permission.ManageUsers) && caller.Can(Permission.ManageApiKeys));
    }

    [Fact]
    public void ApiKeys_NeverGetAccountKeyRollbackVerifyOrExportRights_WhateverTheirScopes()
    {
        var key = Caller.ApiKey("svc", ApiKeyScopes.All.Append("admin"));
        Assert.Equal("key:svc", key.Actor);
        Assert.False(key.Can(Permission.ManageUsers) || key.Can(Permission.ManageApiKeys) || key.Can(Permission.RollbackLedger)
                     || key.Can(Permission.VerifyLedger) || key.Can(Permission.ExportLedger));
        Assert.True(key.Can(Permission.AppendAudit) && key.Can(Permission.WriteObservations) && key.Can(Permission.ReadLedger));
    }

    [Theory]
    [InlineData(ApiKeyScopes.ModelsWrite, Permission.ConfigureModels)]
    [InlineData(ApiKeyScopes.RunsTrigger, Permission.RunChecks)]
    [InlineData(ApiKeyScopes.Read, Permission.ReadMonitoring)]
    public void AKeyScope_GivesExactlyWhatItSays(string scope, Permission permission)
    {
        var key = Caller.ApiKey("pipeline", [scope]);
        Assert.True(key.Can(permission));
        Assert.Equal(ApiKeyScopes.PermissionsOf(scope).Order(), key.Permissions.Order());
        Assert.False(key.Can(Permission.VerifyLedger));
    }

    [Fact]
    public async Task APipelineKeyWithModelsWrite_RegistersAModelVersion_RecordedUnderTheKey()
    {
        await using var f = new MonitoringFixture();
        var pipeline = Caller.ApiKey("mlops", [ApiKeyScopes.ModelsWrite]);
        await f.Models.ConfigureAsync(pipeline, new ModelConfigInput { ModelId = "churn", ModelVersion = "3.0.0", Features = ["age"] });
        await f.Models.ReplaceBaselineAsync(pipeline, "churn", MonitoringFixture.Csv(Data.Baseline()));
        var trail = await f.Audit.GetTrailAsync(TrailFilter.ForActor("key:mlops"));
        Assert.Equal(["BASELINE_REPLACED", "MODEL_CREATED"], trail.Entries.Select(e => e.Entry.Action));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Runner.RunNowAsync(pipeline, "churn", null));
    }

    [Fact]
    public async Task Auditor_IsRefusedModelChanges_AndNothingIsWritten()
    {
        await using var f = new MonitoringFixture();
        var before = (await f.Audit.GetSummaryAsync()).ChainLength;
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => f.Models.ConfigureAsync(
            Callers.Auditor(), new ModelConfigInput { ModelId = "m", ModelVersion = "1" }));
        Assert.Equal(Permission.ConfigureModels, refused.Permission);
        Assert.Null(await f.Models.GetAsync("m"));
        Assert.Equal(before, (await f.Audit.GetSummaryAsync()).ChainLength);
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Runner.RunNowAsync(Callers.Auditor(), "m", null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Observations.IngestAsync(Callers.Auditor(), "m", Data.Rows(1)));
    }

    [Fact]
    public async Task DataScientist_IsRefusedRollback_AnAdminIsNot()
    {
        await using var f = new MonitorConsole.Monitoring.Tests.MonitoringFixture();
        var first = await f.Ledger.AppendAsync(Caller.System("svc"), new Audit.AuditEntryDraft("CREATE", "svc", "model", "m", null));
        await f.Ledger.AppendAsync(Caller.System("svc"), new Audit.AuditEntryDraft("UPDATE", "svc", "model", "m", null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Ledger.RollbackAsync(Callers.Scientist(), first.EntryHash, "why"));
        var done = await f.Ledger.RollbackAsync(Callers.Admin("root"), first.EntryHash, "bad deploy");
        Assert.Equal("root", done.RollbackEntry.Actor);
    }

    [Fact]
    public async Task VerificationAndExports_AreRecordedWithTheRealUser()
    {
        await using var f = new MonitoringFixture();
        await f.Ledger.VerifyAsync(Callers.Auditor("olivia"), new Audit.Chain.VerificationScope(), null);
        using var buffer = new MemoryStream();
        await f.Ledger.ExportAsync(Callers.Auditor("olivia"), buffer, ExportFormat.Json, null);
        await f.RunExporter.ExportAsync(Callers.Auditor("olivia"), new MemoryStream(), csv: true, modelId: null);

        var entries = (await f.Audit.GetTrailAsync(TrailFilter.ForActor("olivia"))).Entries.Select(e => e.Entry.Action).ToList();
        Assert.Equal([LedgerVocabulary.RunsExportDeliveredAction, ActionLog.RunsExported, LedgerVocabulary.LedgerExportDeliveredAction, ActionLog.LedgerExported,
            ActionLog.LedgerVerified], entries);
        Assert.Contains(ActionLog.LedgerExported, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

public sealed class LedgerOperationTests
{
    [Fact]
    public async Task AnExportOrVerification_WithFromAfterTo_IsRefused_AndRecordsNothing()
    {
        await using var f = new MonitoringFixture();
        var from = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);
        var backwards = new TrailFilter { From = from, To = from.AddDays(-1) };
        var export = await Assert.ThrowsAsync<Audit.AuditValidationException>(() =>
            f.Ledger.ExportAsync(Callers.Auditor(), new MemoryStream(), ExportFormat.Csv, backwards));
        Assert.Equal("from", export.Field);
        var verify = await Assert.ThrowsAsync<Audit.AuditValidationException>(() =>
            f.Ledger.VerifyAsync(Callers.Auditor(), new Audit.Chain.VerificationScope(from, from.AddDays(-1)), null));
        Assert.Equal("from", verify.Field);
        await Assert.ThrowsAsync<Audit.AuditValidationException>(() =>
            f.Ledger.ExportAsync(Callers.Auditor(), new MemoryStream(), (ExportFormat)7, null));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Fact]
    public async Task AnExportOfEveryEntryRolledBackOnesIncluded_IsRecordedAsTheWholeChain()
    {
        await using var f = new MonitoringFixture();
        using var buffer = new MemoryStream();
        await f.Ledger.ExportAsync(Callers.Auditor(), buffer, ExportFormat.Json, TrailFilter.All with { IncludeRolledBack = true });
        var record = Assert.Single((await f.Audit.GetTrailAsync(new TrailFilter { Action = ActionLog.LedgerExported })).Entries);
        Assert.Contains("\"scope\":\"chain\"", record.Entry.Data);
        Assert.Contains("\"scope\":\"chain\"", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

public sealed class ApiKeyTests
{
    [Fact]
    public async Task CreatedKey_Authenticates_IsStoredOnlyAsAHash_AndRecordsItsUse()
    {
        await using var f = new MonitoringFixture();
        var created = await f.ApiKeys.CreateAsync(Callers.Admin("root"), new ApiKeyRequest("feature-store", [ApiKeyScopes.AuditAppend]));
        Assert.StartsWith("mc_" + created.Key.KeyId + "_", created.Token);

        var found = await f.ApiKeys.AuthenticateAsync(created.Token);
        Assert.Equal("feature-store", found!.Name);
        Assert.NotNull((await f.ApiKeys.ListAsync(Callers.Admin())).Single().LastUsedAt);
        Assert.Null(await f.ApiKeys.AuthenticateAsync(created.Token[..^1] + (created.Token[^1] == 'a' ? 'b' : 'a')));
        Assert.Null(await f.ApiKeys.AuthenticateAsync("mc_nonsense"));

        await using var scope = f.CreateScope();
        var db = await scope.ServiceProvider.GetRequiredService<AccessDatabase>().CreateDbContextAsync();
        var stored = db.ApiKeys.Single();
        // The secret is everything after "mc_<key id>_" (it may itself contain '_').
        var secret = created.Token[("mc_".Length + created.Key.KeyId.Length + 1)..];
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)), stored.SecretHash);
        Assert.DoesNotContain(secret, string.Join("|", stored.KeyId, stored.Name, stored.Scopes, stored.CreatedBy));
    }

    [Fact]
    public async Task RevokedKey_NoLongerAuthenticates_AndBothStepsAreAudited()
    {
        await using var f = new MonitoringFixture();
        var created = await f.ApiKeys.CreateAsync(Callers.Admin("root"), new ApiKeyRequest("scorer", [ApiKeyScopes.ObservationsWrite]));
        await f.ApiKeys.RevokeAsync(Callers.Admin("root2"), created.Key.KeyId);
        Assert.Null(await f.ApiKeys.AuthenticateAsync(created.Token));
        var actions = (await f.Audit.GetTrailAsync(TrailFilter.All)).Entries.Select(e => (e.Entry.Action, e.Entry.Actor)).ToList();
        Assert.Equal([(ActionLog.ApiKeyRevoked, "root2"), (ActionLog.ApiKeyCreated, "root")], actions);
    }

    [Theory]
    [InlineData("", "audit:append", "name")]
    [InlineData("has space", "audit:append", "name")]
    [InlineData("svc", "", "scopes")]
    [InlineData("svc", "delete:everything", "scopes")]
    public async Task BadKeyRequests_NameTheField_AndCreateNothing(string name, string scope, string field)
    {
        await using var f = new MonitoringFixture();
        var error = await Assert.ThrowsAsync<AccessInputException>(() => f.ApiKeys.CreateAsync(
            Callers.Admin(), new ApiKeyRequest(name, scope.Length == 0 ? [] : [scope])));
        Assert.Equal(field, error.Field);
        Assert.Empty(await f.ApiKeys.ListAsync(Callers.Admin()));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Fact]
    public async Task OnlyAdministrators_ManageKeys()
    {
        await using var f = new MonitoringFixture();
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.ApiKeys.CreateAsync(Callers.Scientist(), new ApiKeyRequest("svc", [ApiKeyScopes.Read])));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.ApiKeys.ListAsync(Caller.ApiKey("svc", ApiKeyScopes.All)));
    }
}

public sealed class UserAccountTests
{
    [Fact]
    public async Task WeakPassword_IsRefusedByField_AndLeavesNoAccountOrEntry()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var error = await Assert.ThrowsAsync<AccessInputException>(() => accounts.AddAsync(Callers.Admin(), "bob", ConsoleRoles.Auditor, "short"));
        Assert.Equal("password", error.Field);
        Assert.Empty(await accounts.ListAsync(Callers.Admin()));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Fact]
    public async Task TheLastAdministrator_CannotBeDemotedLockedOrDeleted()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        await accounts.AddAsync(Caller.System("setup"), "root", ConsoleRoles.Admin, "a long enough password");
        await Assert.ThrowsAsync<AccessInputException>(() => accounts.SetRoleAsync(Callers.Admin(), "root", ConsoleRoles.Auditor));
        await Assert.ThrowsAsync<AccessInputException>(() => accounts.SetLockedAsync(Callers.Admin(), "root", true));
        await Assert.ThrowsAsync<AccessInputException>(() => accounts.DeleteAsync(Callers.Admin(), "root"));

        await accounts.AddAsync(Callers.Admin("root"), "second", ConsoleRoles.Admin, "another long password");
        var demoted = await accounts.SetRoleAsync(Callers.Admin("second"), "root", ConsoleRoles.Auditor);
        Assert.Equal(ConsoleRoles.Auditor, demoted.Role);
        var actions = (await f.Audit.GetTrailAsync(TrailFilter.All)).Entries.Select(e => $"{e.Entry.Action} {e.Entry.Actor} {e.Entry.ResourceId}").ToList();
        Assert.Equal(["USER_ROLE_CHANGED second root", "USER_CREATED root second", "USER_CREATED setup root"], actions);
    }

    [Theory]
    [InlineData("system:setup", "system:")]
    [InlineData("SYSTEM:bootstrap", "system:")]
    [InlineData("key:feature-store", "key:")]
    [InlineData("Key:x", "key:")]
    [InlineData("cli:root", "cli:")]
    [InlineData("  CLI:ops", "cli:")]
    [InlineData("anonymous", "anonymous")]
    [InlineData("AnOnYmOuS", "anonymous")]
    public async Task AccountNames_ThatCouldPassForAKeyOrSystemActor_AreRefused_AndNothingIsRecorded(string name, string reserved)
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var error = await Assert.ThrowsAsync<AccessInputException>(() => accounts.AddAsync(Callers.Admin(), name, ConsoleRoles.Auditor, "a long enough password"));
        Assert.Equal("user_name", error.Field);
        Assert.StartsWith(reserved == "anonymous" ? "may not be 'anonymous'" : $"may not start with '{reserved}' — that prefix is reserved for ", error.Problem);
        Assert.StartsWith("User name: may not", error.ForPeople);
        Assert.Empty(await accounts.ListAsync(Callers.Admin()));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Theory]
    [InlineData("keystone")]
    [InlineData("system.admin")]
    [InlineData("anonymous2")]
    [InlineData("clio")]
    public async Task AccountNames_ThatOnlyResembleAReservedOne_AreAccepted(string name)
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var user = await accounts.AddAsync(Callers.Admin(), name, ConsoleRoles.Auditor, "a long enough password");
        Assert.Equal(name, user.UserName);
    }

    [Fact]
    public async Task ANameIdentityRefuses_IsRefusedBeforeTheLedgerEntry()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var error = await Assert.ThrowsAsync<AccessInputException>(() => accounts.AddAsync(Callers.Admin(), "bob smith", ConsoleRoles.Auditor, "a long enough password"));
        Assert.Equal("user_name", error.Field);
        Assert.Empty(await accounts.ListAsync(Callers.Admin()));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Fact]
    public async Task BootstrapAdmin_WithAReservedName_FailsNamingTheSetting_AndCreatesNothing()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var services = scope.ServiceProvider;
        var options = Microsoft.Extensions.Options.Options.Create(new AccessOptions
        {
            BootstrapAdmin = { UserName = "system:root", Password = "a long enough password" },
        });
        var accounts = new UserAccounts(
            services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>(),
            services.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>(),
            services.GetRequiredService<ActionLog>(), options, f.Clock);
        var error = await Assert.ThrowsAsync<AccessInputException>(() => accounts.BootstrapAsync());
        Assert.Equal("Access:BootstrapAdmin:UserName", error.Field);
        Assert.Contains("'system:'", error.Problem);
        Assert.Empty(await accounts.ListAsync(Callers.Admin()));
        Assert.Equal(0, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    [Fact]
    public async Task OnlyAdministrators_ManageAccounts()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        await Assert.ThrowsAsync<AccessDeniedException>(() => accounts.AddAsync(Callers.Scientist(), "eve", ConsoleRoles.Admin, "a long enough password"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => accounts.ListAsync(Callers.Auditor()));
    }
}
