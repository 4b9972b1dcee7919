using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting.Systemd;
using NsqLookup.Cli;
using NsqLookup.Http;
using NsqLookup.Persistence;
using NsqLookup.Prometheus;
using NsqLookup.Protocol;
using NsqLookup.Registry;
using NsqLookup.Security;
using NsqLookup.Tcp;

namespace NsqLookup.Hosting;

/// <summary>
/// Builds and runs the daemon (nsqlookupd/nsqlookupd.go): the TCP server as a hosted service and the HTTP API
/// on Kestrel, in one generic host. Used by <c>Program</c> and by the integration tests alike.
/// </summary>
public sealed partial class NsqLookupApp : IAsyncDisposable
{
    private readonly IHost _app;
    private readonly ListenAddress? _httpAddress;
    private readonly ListenAddress? _httpsAddress;
    private readonly NsqLookupOptions _options;

    private NsqLookupApp(IHost app, ListenAddress? httpAddress, ListenAddress? httpsAddress, NsqLookupOptions options)
    {
        _app = app;
        _httpAddress = httpAddress;
        _httpsAddress = httpsAddress;
        _options = options;
    }

    internal RegistrationDB Registry => _app.Services.GetRequiredService<RegistrationDB>();

    /// <summary>What IDENTIFY answers (valid after <see cref="StartAsync"/>).</summary>
    internal ServerIdentity Identity => _app.Services.GetRequiredService<TcpServer>().Identity
        ?? throw new InvalidOperationException("not started");

    /// <summary>The bound TCP endpoint (valid after <see cref="StartAsync"/>).</summary>
    public IPEndPoint TcpEndPoint => _app.Services.GetRequiredService<TcpServer>().LocalEndPoint
        ?? throw new InvalidOperationException("not started");

    /// <summary>The bound HTTP endpoint (valid after <see cref="StartAsync"/>; port 0 when <c>--http-address=""</c>).</summary>
    public IPEndPoint HttpEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>The bound HTTPS endpoint (valid after <see cref="StartAsync"/>), null without <c>--https-address</c>.</summary>
    public IPEndPoint? HttpsEndPoint { get; private set; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds the host. An address that does not parse throws <see cref="ListenFailedException"/>
    /// (TCP checked first, as the Go original binds TCP first), and so does an unusable trust-boundary option
    /// (allowlist, token file, certificate).</summary>
    public static NsqLookupApp Create(
        NsqLookupOptions options,
        Action<ILoggingBuilder>? configureLogging = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tcpAddress = ParseAddress(options.TcpAddress);
        // --http-address="" switches the plain listener off (for operators whose clients all speak HTTPS).
        var httpAddress = options.HttpAddress.Length == 0 ? null : ParseAddress(options.HttpAddress);
        var httpsAddress = options.HttpsAddress.Length == 0 ? null : ParseAddress(options.HttpsAddress);
        // A bare HostBuilder (no CreateDefaultBuilder): flags and the config file are the only configuration, with no
        // DOTNET_ or ASPNETCORE_ environment variables, appsettings or launch profiles (docs/protocol.md).
        var time = timeProvider ?? TimeProvider.System;
        var host = new HostBuilder().ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            configureLogging?.Invoke(logging);
        });

        // Our hosted services first: the TCP listener binds before Kestrel (registered last, below).
        host.ConfigureServices(services => AddServices(services, options, tcpAddress, time));

        // Kestrel through the generic host's web host, registered after our hosted services: the TCP listener binds
        // before HTTP, as the Go original binds TCP first. The web host reads no ASPNETCORE_ variables (URLS,
        // HTTP_PORTS, hosting startups, environment), so Kestrel listens on --http-address and --https-address only.
        host.ConfigureWebHost(
            web => ConfigureHttp(web, options, httpAddress, httpsAddress),
            webHost => webHost.SuppressEnvironmentConfiguration = true);

        var app = host.Build();
        TrustBoundaryServices.LoadAll(app.Services);
        return new NsqLookupApp(app, httpAddress, httpsAddress, options);
    }

    private static void ConfigureHttp(IWebHostBuilder web, NsqLookupOptions options, ListenAddress? httpAddress, ListenAddress? httpsAddress)
    {
        web.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
        web.UseKestrelCore();
        web.ConfigureServices(services =>
        {
            services.AddSingleton<HttpConnectionLimit>();

            // Connection buffers that go back once the connections close (Http/ConnectionBufferPools.cs): registered
            // after Kestrel's own pool factory, so the socket transport (and TLS over it) takes these.
            services.AddSingleton<ConnectionBufferPools>();
            services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>>(sp => sp.GetRequiredService<ConnectionBufferPools>());
        });

        // One handler for every request: the daemon's router (Http/HttpApi.cs), no middleware pipeline.
        web.Configure(app => app.Run(app.ApplicationServices.GetRequiredService<HttpApi>().HandleAsync));
        web.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Go allows about a MiB of request line plus headers (docs/protocol.md, "HTTP"); bodies are ignored, so capped,
            // and a header timeout stops slowloris clients ("Deliberate differences" items 2 and 3). The buffer must hold a whole line or header block.
            var header = options.HttpMaxHeaderSize;
            kestrel.Limits.MaxRequestLineSize = header;
            kestrel.Limits.MaxRequestHeadersTotalSize = header + (64 * 1024);
            kestrel.Limits.MaxRequestHeaderCount = 10_000;
            kestrel.Limits.MaxRequestBufferSize = Math.Max(2L * 1024 * 1024, (2L * header) + (64 * 1024));
            kestrel.Limits.MaxRequestBodySize = options.HttpMaxBodySize;
            kestrel.Limits.RequestHeadersTimeout = options.HttpHeaderTimeout;

            // --http-max-connections: one budget for the HTTP and HTTPS listeners, ahead of TLS and HTTP on each (the
            // defaults apply to every endpoint before its own configuration).
            var connectionLimit = kestrel.ApplicationServices.GetRequiredService<HttpConnectionLimit>();
            kestrel.ConfigureEndpointDefaults(connectionLimit.Install);
            if (httpAddress is not null)
            {
                kestrel.Listen(httpAddress.EndPoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;

                    // Requests rejected before any handler runs get Go's own answers, not Kestrel's (docs/protocol.md).
                    GoBadRequestConnection.Install(listen);
                });
            }

            if (httpsAddress is not null)
            {
                kestrel.ListenHttps(httpsAddress.EndPoint);
            }
        });
    }

    private static void AddServices(IServiceCollection services, NsqLookupOptions options, ListenAddress tcpAddress, TimeProvider time)
    {
        services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = options.ShutdownTimeout;

            // TCP clients are closed at once while Kestrel drains in-flight requests, not after it (docs/operations.md, "Shutdown").
            host.ServicesStopConcurrently = true;
        });

        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(new RegistrationDB(time, options.InactiveProducerTimeout, options.TombstoneLifetime));
        services.AddSingleton<PeerReleaseWorker>();
        services.AddSingleton<IPeerRelease>(sp => sp.GetRequiredService<PeerReleaseWorker>());
        services.AddSingleton(new LookupProtocolLimits
        {
            MaxCommandLineLength = options.MaxCommandLineLength,
            MaxIdentifyBodySize = options.MaxIdentifyBodySize,
        });
        services.AddSingleton(new LookupProtocolLogging
        {
            PingLevel = options.QuietPings ? LogLevel.Debug : LogLevel.Information,
        });

        // The protocol answers IDENTIFY with both bound ports, so it exists only once both listeners are bound.
        services.AddSingleton<Func<ServerIdentity, TcpClientHandler>>(sp => identity =>
            ActivatorUtilities.CreateInstance<TcpClientHandler>(sp, ActivatorUtilities.CreateInstance<LookupProtocolV1>(sp, identity)));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TcpServer>(sp, tcpAddress));
        services.AddHostedService(sp => sp.GetRequiredService<TcpServer>());
        services.AddHostedService<EmptyKeyPruner>();
        services.AddHostedService(sp => new Memory.QuietTrimmer(
            sp.GetRequiredService<TimeProvider>(),
            options.TrimAfterStart,
            sp.GetRequiredService<ILogger<Memory.QuietTrimmer>>(),
            sp.GetRequiredService<ConnectionBufferPools>().GarbageCandidateBytes));
        if (options.DataPath is { } dataPath)
        {
            services.AddSingleton<IAdminJournal>(sp => new AdminJournal(
                dataPath, sp.GetRequiredService<RegistrationDB>(), time, sp.GetRequiredService<ILogger<AdminJournal>>()));
        }
        else
        {
            services.AddSingleton<IAdminJournal, NoAdminJournal>();
        }

        services.AddNsqLookupMetrics();
        services.AddSingleton<HttpApi>();
        services.AddTrustBoundaries(options);
    }

    /// <summary>Replays <c>--data-path</c> (if set), then binds TCP, then HTTP, then serves: the TCP accept loop starts
    /// only once both ports are known (the host's ApplicationStarted fires inside its StartAsync, before the HTTP port
    /// can be read back). A bind failure throws <see cref="ListenFailedException"/>; an unusable data path
    /// <see cref="DataPathException"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var logger = _app.Services.GetRequiredService<ILogger<NsqLookupApp>>();
        DescriptorLimit.Check(_options, logger);

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
            // Kestrel's message names the URL it failed to bind, which tells the two listeners apart.
            var failed = _httpsAddress is not null && (_httpAddress is null || ex.Message.Contains("https://", StringComparison.Ordinal))
                ? _httpsAddress
                : _httpAddress!;
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException socketError)
                {
                    throw ListenFailedException.Bind(failed.Text, socketError);
                }
            }

            throw new ListenFailedException(failed.Text, ex.Message, ex);
        }

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        foreach (var url in addresses.Addresses)
        {
            var bound = new Uri(url);
            if (bound.Scheme == Uri.UriSchemeHttps && _httpsAddress is not null)
            {
                HttpsEndPoint = new IPEndPoint(_httpsAddress.EndPoint.Address, bound.Port);
                Log.HttpsListening(logger, GoAddress.Format(HttpsEndPoint));
            }
            else if (_httpAddress is not null)
            {
                HttpEndPoint = new IPEndPoint(_httpAddress.EndPoint.Address, bound.Port);
                Log.HttpListening(logger, GoAddress.Format(HttpEndPoint));
            }
        }

        // IDENTIFY's http_port is what nsqd fetches /channels from, over plain HTTP: the HTTPS port only when
        // there is no plain listener (nsqd's fetch then fails, as it would against any HTTPS-only lookupd).
        var tcp = _app.Services.GetRequiredService<TcpServer>();
        tcp.Serve(new ServerIdentity
        {
            BroadcastAddress = _options.BroadcastAddress,
            Hostname = NsqLookupOptions.DefaultHostname,
            TcpPort = tcp.LocalEndPoint!.Port,
            HttpPort = _httpAddress is not null ? HttpEndPoint.Port : HttpsEndPoint!.Port,
        });

        // systemd Type=notify: READY=1 once both listeners accept, STOPPING=1 when shutdown begins. Honoured
        // whenever NOTIFY_SOCKET is set (UseSystemd() would only switch on when systemd is the parent process).
        var notifier = new SystemdNotifier();
        var notifies = notifier.IsEnabled;
        if (notifies)
        {
            notifier.Notify(ServiceState.Ready);
        }

        _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            if (notifies)
            {
                notifier.Notify(ServiceState.Stopping);
            }

            if (_httpAddress is not null)
            {
                Log.HttpClosing(logger, GoAddress.Format(HttpEndPoint));
            }

            if (HttpsEndPoint is not null)
            {
                Log.HttpsClosing(logger, GoAddress.Format(HttpsEndPoint));
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGINT/SIGTERM (or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public ValueTask DisposeAsync()
    {
        if (_app is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        _app.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ListenAddress ParseAddress(string text) =>
        ListenAddress.TryParse(text, out var address, out var error) ? address : throw ListenFailedException.Invalid(text, error);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "HTTP: listening on {Address}")]
        public static partial void HttpListening(ILogger logger, string address);

        [LoggerMessage(LogLevel.Information, "HTTP: closing {Address}")]
        public static partial void HttpClosing(ILogger logger, string address);

        [LoggerMessage(LogLevel.Information, "HTTPS: listening on {Address}")]
        public static partial void HttpsListening(ILogger logger, string address);

        [LoggerMessage(LogLevel.Information, "HTTPS: closing {Address}")]
        public static partial void HttpsClosing(ILogger logger, string address);
    }
}
