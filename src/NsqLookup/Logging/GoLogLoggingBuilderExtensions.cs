using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NsqLookup.Logging;

internal static class GoLogLoggingBuilderExtensions
{
    /// <summary>
    /// Replaces every other logging provider (console, debug, event source) with <see cref="GoLogLoggerProvider"/>
    /// writing through <paramref name="sink"/>; levels are decided by the provider alone (see
    /// <see cref="GoLogLoggerProvider.MinimumFor"/>). The sink is also a service: /metrics counts its dropped lines.
    /// </summary>
    public static ILoggingBuilder AddGoLog(this ILoggingBuilder builder, NsqLookupOptions options, LogSink sink, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        builder.ClearProviders();

        // Let everything reach the provider, and make our rule the most specific one so "Logging:LogLevel" settings
        // from the environment cannot change what is printed.
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddFilter<GoLogLoggerProvider>(null, LogLevel.Trace);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider>(
            new GoLogLoggerProvider(options.LogPrefix, options.LogLevel, sink, time ?? TimeProvider.System, options.LogFormat)));
        builder.Services.TryAddSingleton(sink);
        return builder;
    }

    /// <summary>The daemon's sink: stderr, written by the sink's own thread, with the drop notice in the daemon's
    /// format.</summary>
    public static LogSink StandardErrorSink(NsqLookupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Its own stream on fd 2, not Console.Error: that writer is synchronized, and a thread blocked in a write
        // would hold its lock against anything else that touched it.
        var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024);
        return new LogSink(stderr, GoLog.DropNotice(options.LogFormat, options.LogPrefix, TimeProvider.System));
    }
}
