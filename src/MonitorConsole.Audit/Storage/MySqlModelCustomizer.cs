using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MySql.EntityFrameworkCore.Extensions;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// On MySQL and MariaDB, every table of every context is utf8mb4 with the binary collation utf8mb4_bin, whatever the
/// server's or database's defaults: the usual defaults (utf8mb4_general_ci and the like) compare 'ABC' = 'abc' and
/// ignore trailing spaces, so a hash lookup, a user name or a trail filter would match values that differ. Times are
/// kept to the microsecond (datetime(6)); the provider would map a DateTimeOffset to a whole-second datetime. Applied
/// to the model, so the MySQL migrations carry it and later ones keep it.
/// </summary>
internal sealed class MySqlModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public const string CharSet = "utf8mb4";
    public const string Collation = "utf8mb4_bin";
    public const string MicrosecondDateTime = "datetime(6)";

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList())
        {
            var builder = modelBuilder.Entity(entity.Name);
            builder.ForMySQLHasCharset(CharSet);
            builder.ForMySQLHasCollation(Collation);
            foreach (var property in entity.GetProperties())
            {
                var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (type == typeof(DateTimeOffset) || (type == typeof(DateTime) && property.GetValueConverter() is null))
                    builder.Property(property.Name).HasColumnType(MicrosecondDateTime);
            }
        }
    }
}
