using System.Security.Cryptography.X509Certificates;
using NsqLookup.Hosting;

namespace NsqLookup.Security;

/// <summary>
/// Registers the trust-boundary pieces (README "Securing a lookupd") and checks their options before anything
/// binds: every check here fails startup with a <see cref="ListenFailedException"/> (Program's FATAL line, exit 1)
/// whose message names the flag or file, never later on a request.
/// </summary>
internal static class TrustBoundaryServices
{
    public static IServiceCollection AddTrustBoundaries(this IServiceCollection services, NsqLookupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return Add(services, options);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new ListenFailedException(ex.Message, ex);
        }
    }

    /// <summary>Builds the allowlists and reads the token file, so that a bad one fails startup here.</summary>
    public static void LoadAll(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<TcpAllowGate>();
            services.GetRequiredService<AdminAccessPolicy>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new ListenFailedException(ex.Message, ex);
        }
    }

    private static IServiceCollection Add(IServiceCollection services, NsqLookupOptions options)
    {
        Validate(options);
        services.AddSingleton<TcpAllowGate>();
        services.AddSingleton(sp => AdminAccessPolicy.FromOptions(
            options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AdminAccessPolicy>>()));
        if (options.HttpsAddress.Length != 0)
        {
            LibSsl.EnsureLoadable("--https-address"); // before the first certificate is read: no usable libssl aborts there

            // Checked now, not when Kestrel first asks for it: that happens while the host is being built, where a
            // failure would be an unhandled exception instead of the FATAL line.
            CertificateReloader.Check(options.TlsCert, options.TlsKey);
            services.AddSingleton(sp => CertificateReloader.Load(
                options.TlsCert, options.TlsKey, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CertificateReloader>>()));
            services.AddSingleton(new HttpsClientCa(options.TlsClientCa.Length == 0 ? null : HttpsSetup.LoadClientCa(options.TlsClientCa)));
        }

        return services;
    }

    private static void Validate(NsqLookupOptions options)
    {
        if (options.HttpsAddress.Length == 0)
        {
            var stray = options.TlsCert.Length != 0 ? "tls-cert" : options.TlsKey.Length != 0 ? "tls-key" : options.TlsClientCa.Length != 0 ? "tls-client-ca" : null;
            if (stray is not null)
            {
                throw new InvalidOperationException($"--{stray} is set but --https-address is not");
            }

            if (options.HttpAddress.Length == 0)
            {
                throw new InvalidOperationException("--http-address is empty and --https-address is not set: no HTTP listener");
            }
        }
        else if (options.TlsCert.Length == 0 || options.TlsKey.Length == 0)
        {
            throw new InvalidOperationException("--https-address needs --tls-cert and --tls-key");
        }
    }
}
