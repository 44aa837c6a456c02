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
    public DbSet<Alerts.DriftAlert> Alerts => Set<Alerts.DriftAlert>();
    public DbSet<Alerts.AlertDelivery> AlertDeliveries => Set<Alerts.AlertDelivery>();
    public DbSet<DriftRunMetric> RunMetrics => Set<DriftRunMetric>();
    public DbSet<DriftRunFeatureResult> RunFeatureResults => Set<DriftRunFeatureResult>();

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
        b.Entity<DriftRunMetric>(e =>
        {
            e.ToTable("drift_run_metrics");
            e.HasKey(x => x.Id);
            e.Property(x => x.CheckId).HasMaxLength(32);
            e.Property(x => x.ModelId).HasMaxLength(128);
            e.Property(x => x.Feature).HasMaxLength(255);
            e.Property(x => x.Metric).HasMaxLength(64);
            // History queries: one model's metric, per feature, over time.
            e.HasIndex(x => new { x.ModelId, x.Metric, x.Feature, x.Timestamp });
            e.HasIndex(x => x.CheckId);
        });
        b.Entity<DriftRunFeatureResult>(e =>
        {
            e.ToTable("drift_run_feature_results");
            e.HasKey(x => x.Id);
            e.Property(x => x.CheckId).HasMaxLength(32);
            e.Property(x => x.ModelId).HasMaxLength(128);
            e.Property(x => x.Feature).HasMaxLength(255);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.AlertLevel).HasMaxLength(16);
            e.HasIndex(x => x.CheckId);
            e.HasIndex(x => new { x.ModelId, x.Timestamp });
        });
        // Alerts and their outbox.
        b.Entity<Alerts.DriftAlert>(e =>
        {
            e.ToTable("drift_alerts");
            e.HasKey(x => x.CheckId);
            e.Property(x => x.CheckId).HasMaxLength(32);
            e.Property(x => x.ModelId).HasMaxLength(128);
            e.Property(x => x.Level).HasMaxLength(16);
            e.Property(x => x.AcknowledgedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.ModelId, x.RaisedAt });
        });
        b.Entity<Alerts.AlertDelivery>(e =>
        {
            e.ToTable("drift_alert_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.CheckId).HasMaxLength(32);
            e.Property(x => x.ModelId).HasMaxLength(128);
            e.Property(x => x.Channel).HasMaxLength(16);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LeaseOwner).HasMaxLength(128);
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => x.CheckId);
        });
    }
}
