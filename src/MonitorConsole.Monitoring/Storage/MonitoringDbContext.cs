using Microsoft.EntityFrameworkCore;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Storage;

/// <summary>Model configurations, baselines, observations and run history, in the ledger's database.</summary>
public sealed class MonitoringDbContext(DbContextOptions<MonitoringDbContext> options) : DbContext(options)
{
    public const string MigrationsTable = "__monitoring_migrations";

    public DbSet<ModelConfig> Models => Set<ModelConfig>();
    public DbSet<ModelBaseline> Baselines => Set<ModelBaseline>();
    public DbSet<Observation> Observations => Set<Observation>();
    public DbSet<ObservationColumn> ObservationColumns => Set<ObservationColumn>();
    public DbSet<DriftRun> Runs => Set<DriftRun>();
    public DbSet<DriftRunFeature> RunFeatures => Set<DriftRunFeature>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ModelConfig>(e =>
        {
            e.ToTable("drift_models");
            e.HasKey(x => x.ModelId);
            e.Property(x => x.ModelId).HasMaxLength(128);
            e.Property(x => x.Schedule).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<ModelBaseline>(e =>
        {
            e.ToTable("drift_baselines");
            e.HasKey(x => x.ModelId);
        });
        b.Entity<Observation>(e =>
        {
            e.ToTable("drift_observations");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ModelId, x.ReceivedAt });
            e.Property(x => x.ClaimedBy).HasMaxLength(32);
            e.HasIndex(x => new { x.ModelId, x.ClaimedBy });
            e.HasIndex(x => x.ClaimedAt);
        });
        b.Entity<ObservationColumn>(e =>
        {
            e.ToTable("drift_observation_columns");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(256);
            e.HasOne<Observation>().WithMany().HasForeignKey(x => x.ObservationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.ObservationId, x.Position });
        });
        b.Entity<DriftRun>(e =>
        {
            e.ToTable("drift_runs");
            e.HasKey(x => x.CheckId);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(x => new { x.ModelId, x.Timestamp });
            e.HasIndex(x => x.Timestamp);
        });
        b.Entity<DriftRunFeature>(e =>
        {
            e.ToTable("drift_run_features");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ModelId, x.Feature, x.Timestamp });
            e.HasIndex(x => x.CheckId);
        });
    }
}
