using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting.Systemd;
using NsqLookup.Cli;
using NsqLookup.Http;
using NsqLookup.Persistence;
using NsqLookup.Protocol;
using NsqLookup.Registry;
using NsqLookup.Tcp;

namespace NsqLookup;

/// <summary>
/// Builds and runs the daemon (nsqlookupd/nsqlookupd.go): the TCP server as a hosted service and the HTTP API
/// on Kestrel, in one generic host. Used by <c>Program</c> and by the integration tests alike.
/// </summary>
public sealed partial class NsqLookupApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenAddress _httpAddress;

    private NsqLookupApp(WebApplication app, ListenAddress httpAddress)
    {
        _app = app;
        _httpAddress = httpAddress;
    }

    public RegistrationDB Registry => _app.Services.GetRequiredService<RegistrationDB>();

    public ServerIdentity Identity => _app.Services.GetRequiredService<ServerIdentity>();

    /// <summary>The bound TCP endpoint (valid after <see cref="StartAsync"/>).</summary>
    public IPEndPoint TcpEndPoint => _app.Services.GetRequiredService<TcpServer>().LocalEndPoint
        ?? throw new InvalidOperationException("not started");

    /// <summary>The bound HTTP endpoint (valid after <see cref="StartAsync"/>).</summary>
    public IPEndPoint HttpEndPoint { get; private set; } = new(IPAddress.None, 0);

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds the host. An address that does not parse throws <see cref="ListenFailedException"/>
    /// (TCP checked first, as the anchor binds TCP first).</summary>
    public static NsqLookupApp Create(
        NsqLookupOptions options,
        Action<ILoggingBuilder>? configureLogging = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tcpAddress = ParseAddress(options.TcpAddress);
        var httpAddress = ParseAddress(options.HttpAddress);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });

        // Flags and the config file are the only configuration: no ASPNETCORE_URLS, appsettings or launch
        // profiles (spec §5.6), so Kestrel listens on --http-address and nowhere else.
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Go allows ~1 MiB of request line plus headers (spec §4.1); bodies are ignored, so capped (§8 item 2);
            // a header timeout against slowloris (§8 item 3). The buffer must hold a whole line or header block.
            var header = options.HttpMaxHeaderSize;
            kestrel.Limits.MaxRequestLineSize = header;
            kestrel.Limits.MaxRequestHeadersTotalSize = header + (64 * 1024);
            kestrel.Limits.MaxRequestHeaderCount = 10_000;
            kestrel.Limits.MaxRequestBufferSize = Math.Max(2L * 1024 * 1024, (2L * header) + (64 * 1024));
            kestrel.Limits.MaxRequestBodySize = options.HttpMaxBodySize;
            kestrel.Limits.RequestHeadersTimeout = options.HttpHeaderTimeout;
            kestrel.Listen(httpAddress.EndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = options.ShutdownTimeout;

            // TCP clients are closed at once while Kestrel drains in-flight requests, not after it (spec §5.5).
            host.ServicesStopConcurrently = true;
        });

        var time = timeProvider ?? TimeProvider.System;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(new RegistrationDB(time, options.InactiveProducerTimeout, options.TombstoneLifetime));
        builder.Services.AddSingleton(new ServerIdentity
        {
            BroadcastAddress = options.BroadcastAddress,
            Hostname = NsqLookupOptions.DefaultHostname,
        });
        builder.Services.AddSingleton(new LookupProtocolLimits
        {
            MaxCommandLineLength = options.MaxCommandLineLength,
            MaxIdentifyBodySize = options.MaxIdentifyBodySize,
        });
        builder.Services.AddSingleton(new LookupProtocolLogging
        {
            PingLevel = options.QuietPings ? LogLevel.Debug : LogLevel.Information,
        });
        builder.Services.AddSingleton<LookupProtocolV1>();
        builder.Services.AddSingleton<TcpClientHandler>();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TcpServer>(sp, tcpAddress));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TcpServer>());
        builder.Services.AddHostedService<EmptyKeyPruner>();
        if (options.DataPath is { } dataPath)
        {
            builder.Services.AddSingleton<IAdminJournal>(sp => new AdminJournal(
                dataPath, sp.GetRequiredService<RegistrationDB>(), time, sp.GetRequiredService<ILogger<AdminJournal>>()));
        }
        else
        {
            builder.Services.AddSingleton<IAdminJournal, NoAdminJournal>();
        }

        builder.Services.AddNsqLookupMetrics();
        builder.Services.AddSingleton<HttpApi>();

        var app = builder.Build();
        var api = app.Services.GetRequiredService<HttpApi>();
        app.Run(api.HandleAsync);
        return new NsqLookupApp(app, httpAddress);
    }

    /// <summary>Replays <c>--data-path</c> (if set), then binds TCP, then HTTP, then serves. A bind failure throws
    /// <see cref="ListenFailedException"/>; an unusable data path <see cref="DataPathException"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var logger = _app.Services.GetRequiredService<ILogger<NsqLookupApp>>();

        // Before any listener opens: no nsqd registers and no client reads until the kept admin state is back.
        if (_app.Services.GetRequiredService<IAdminJournal>() is AdminJournal journal)
        {
            journal.Open();
        }

        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel wraps the bind error: IOException → AddressInUseException → SocketException.
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException socketError)
                {
                    throw ListenFailedException.Bind(_httpAddress.Text, socketError);
                }
            }

            throw new ListenFailedException(_httpAddress.Text, ex.Message, ex);
        }

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        var bound = new Uri(addresses.Addresses.First());
        HttpEndPoint = new IPEndPoint(_httpAddress.EndPoint.Address, bound.Port);
        Identity.HttpPort = bound.Port;
        Log.HttpListening(logger, GoAddress.Format(HttpEndPoint));

        // systemd Type=notify: READY=1 once both listeners accept, STOPPING=1 when shutdown begins. Honoured
        // whenever NOTIFY_SOCKET is set (UseSystemd() would only switch on when systemd is the parent process).
        var notifier = new SystemdNotifier();
        if (notifier.IsEnabled)
        {
            notifier.Notify(ServiceState.Ready);
        }

        _app.Lifetime.ApplicationStopping.Register(() =>
        {
            if (notifier.IsEnabled)
            {
                notifier.Notify(ServiceState.Stopping);
            }

            Log.HttpClosing(logger, GoAddress.Format(HttpEndPoint));
        });
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGINT/SIGTERM (or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static ListenAddress ParseAddress(string text) =>
        ListenAddress.TryParse(text, out var address, out var error) ? address : throw ListenFailedException.Invalid(text, error);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTP: listening on {Address}")]
        public static partial void HttpListening(ILogger logger, string address);

        [LoggerMessage(LogLevel.Information, "HTTP: closing {Address}")]
        public static partial void HttpClosing(ILogger logger, string address);
    }
}
