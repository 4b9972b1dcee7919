using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NsqLookup.Http;

/// <summary>
/// Kestrel as one of the generic host's hosted services, serving <see cref="HttpApi"/> directly: the server is
/// started with an <see cref="IHttpApplication{TContext}"/> of our own instead of through the ASP.NET Core web host
/// (GenericWebHostService), whose request pipeline, startup filters, hosting diagnostics and application-name
/// discovery the daemon's single handler never used, and which cost the native binary's startup 11 %
/// (bench/FOOTPRINT.md; 30.9 -> 27.5 ms on a slow day). Kestrel itself, its options, transports, limits, connection middleware (Go's answers to
/// malformed requests, TLS) and its handling of a failing request are the same.
/// </summary>
internal sealed class KestrelService(IServer server, HttpApi api) : IHostedService
{
    public IServer Server => server;

    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(new Application(api), cancellationToken);

    /// <summary>Drains in-flight requests until <paramref name="cancellationToken"/> (the host's shutdown timeout).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);

    /// <summary>Registers Kestrel's own services (what <c>UseKestrelCore</c> adds to a web host) and this service.</summary>
    public static void AddTo(IServiceCollection services)
    {
        new ServicesOnly(services).UseKestrelCore();

        // Kestrel reports to the diagnostic listener the web host would have registered, under the same name (its
        // bad-request events are how GoBadRequestConnection gives Go's answers); the container disposes it.
        services.TryAddSingleton(_ => new System.Diagnostics.DiagnosticListener("Microsoft.AspNetCore"));
        services.TryAddSingleton<System.Diagnostics.DiagnosticSource>(sp => sp.GetRequiredService<System.Diagnostics.DiagnosticListener>());
        services.AddSingleton<KestrelService>();
        services.AddHostedService(sp => sp.GetRequiredService<KestrelService>());
    }

    /// <summary>One <see cref="DefaultHttpContext"/> per connection, reused from request to request as the web host's
    /// own context factory does.</summary>
    private sealed class Application(HttpApi api) : IHttpApplication<DefaultHttpContext>
    {
        public DefaultHttpContext CreateContext(IFeatureCollection contextFeatures)
        {
            if (contextFeatures is IHostContextContainer<DefaultHttpContext> container)
            {
                if (container.HostContext is { } reused)
                {
                    reused.Initialize(contextFeatures);
                    return reused;
                }

                return container.HostContext = new DefaultHttpContext(contextFeatures);
            }

            return new DefaultHttpContext(contextFeatures);
        }

        public Task ProcessRequestAsync(DefaultHttpContext context) => api.HandleAsync(context);

        public void DisposeContext(DefaultHttpContext context, Exception? exception) => context.Uninitialize();
    }

    /// <summary>An <see cref="IWebHostBuilder"/> that only takes services, so that Kestrel's own registration
    /// extension can be used without a web host.</summary>
    private sealed class ServicesOnly(IServiceCollection services) : IWebHostBuilder
    {
        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) =>
            throw new NotSupportedException();

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, Microsoft.Extensions.Configuration.IConfigurationBuilder> configureDelegate) =>
            throw new NotSupportedException();

        public string? GetSetting(string key) => null;

        public IWebHostBuilder UseSetting(string key, string? value) => throw new NotSupportedException();

#pragma warning disable ASPDEPR008 // IWebHostBuilder's own member: never called, nothing here builds a web host
        public IWebHost Build() => throw new NotSupportedException();
#pragma warning restore ASPDEPR008
    }
}
