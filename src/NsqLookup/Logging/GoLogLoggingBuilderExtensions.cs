using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NsqLookup.Logging;

internal static class GoLogLoggingBuilderExtensions
{
    /// <summary>
    /// Replaces every other logging provider (console, debug, event source) with <see cref="GoLogLoggerProvider"/>
    /// writing to stderr; levels are decided by the provider alone (see <see cref="GoLogLoggerProvider.MinimumFor"/>).
    /// </summary>
    public static ILoggingBuilder AddGoLog(this ILoggingBuilder builder, NsqLookupOptions options) =>
        builder.AddGoLog(options, Console.Error, TimeProvider.System);

    /// <summary>As <see cref="AddGoLog(ILoggingBuilder, NsqLookupOptions)"/>, writing to <paramref name="output"/> (tests).</summary>
    public static ILoggingBuilder AddGoLog(this ILoggingBuilder builder, NsqLookupOptions options, TextWriter output, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.ClearProviders();

        // Let everything reach the provider, and make our rule the most specific one so "Logging:LogLevel" settings
        // from the environment cannot change what is printed.
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddFilter<GoLogLoggerProvider>(null, LogLevel.Trace);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider>(
            new GoLogLoggerProvider(options.LogPrefix, options.LogLevel, output, time, options.LogFormat)));
        return builder;
    }
}
