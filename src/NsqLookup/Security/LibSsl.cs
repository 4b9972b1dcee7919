using System.Runtime.InteropServices;

namespace NsqLookup.Security;

/// <summary>
/// Whether .NET's cryptography can load OpenSSL here, asked before anything touches it. On Linux the first use of
/// X509Certificate2, SslStream or SHA256 makes .NET's OpenSSL shim open libssl, and when none loads the shim prints
/// "No usable version of libssl was found" and aborts the process (exit 134): no exception, no FATAL line. So the
/// features that need it (<c>--https-address</c>, <c>--http-admin-token-file</c>) ask here first and fail startup
/// with a message naming the library; without them the daemon never loads libssl and runs on a host without it.
/// </summary>
internal static class LibSsl
{
    /// <summary>.NET 10's override of the version it loads first (<c>libssl.so.&lt;value&gt;</c>).</summary>
    public const string VersionOverrideVariable = "DOTNET_OPENSSL_VERSION_OVERRIDE";

    private static readonly Lock Gate = new();
    private static string? _checked;

    /// <summary>The names .NET's shim tries, in its order: the override, then OpenSSL 3, then 1.1.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var names = new List<string>(3);
        var version = Environment.GetEnvironmentVariable(VersionOverrideVariable);
        if (!string.IsNullOrEmpty(version) && version.Length <= 32)
        {
            names.Add("libssl.so." + version);
        }

        names.Add("libssl.so.3");
        names.Add("libssl.so.1.1");
        return names;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the library when no candidate loads on Linux
    /// (<paramref name="feature"/> names the flag that needs it). Elsewhere .NET does not use OpenSSL.</summary>
    public static void EnsureLoadable(string feature)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        lock (Gate)
        {
            _checked ??= Probe();
        }

        if (_checked.Length != 0)
        {
            throw new InvalidOperationException($"{feature} needs OpenSSL, and no usable libssl was found ({_checked}); install OpenSSL 3 or 1.1 (Debian: libssl3)");
        }
    }

    // "" when a candidate loads (and stays loaded, for the shim to find again), else what each attempt said.
    private static string Probe()
    {
        var failures = new List<string>();
        foreach (var name in Candidates())
        {
            try
            {
                // Loaded by name as the shim's dlopen does; never freed (the shim reuses the loaded library).
                var handle = NativeLibrary.Load(name);
                if (NativeLibrary.TryGetExport(handle, "SSL_CTX_new", out _))
                {
                    return "";
                }

                failures.Add($"{name}: no SSL_CTX_new");
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                failures.Add(Reason(name, ex.Message));
            }
        }

        return string.Join("; ", failures);
    }

    // The loader's own words (the lines after .NET's generic first line), e.g. "libssl.so.3: cannot open shared
    // object file: No such file or directory" or "/lib/x86_64-linux-gnu/libssl.so.3: file too short".
    private static string Reason(string name, string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = lines.Length > 1 ? string.Join(", ", lines[1..]) : lines.Length == 1 ? lines[0] : "not loadable";
        return reason.Contains(name, StringComparison.Ordinal) ? reason : $"{name}: {reason}";
    }
}
