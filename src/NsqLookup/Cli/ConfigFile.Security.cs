using NsqLookup.Security;
using Tomlyn.Model;

namespace NsqLookup.Cli;

/// <summary>The config keys of the trust-boundary options (our additions): <c>tcp_allow</c> and
/// <c>http_admin_allow</c> as TOML arrays of CIDR strings (a single, comma-separated string also works), the file and
/// address keys as strings. A bad value is a FATAL <c>failed parsing &lt;key&gt; …</c> and exit 1.</summary>
internal static partial class ConfigFile
{
    private static ApplyError? ApplySecurity(string flag, object value, ref NsqLookupOptions options)
    {
        switch (flag)
        {
            case "tcp-allow" or "http-admin-allow":
                string[] entries;
                if (value is string one)
                {
                    entries = [one];
                }
                else if (value is TomlArray array && array.All(item => item is string))
                {
                    entries = [.. array.Cast<string>()];
                }
                else
                {
                    return new ApplyError("expected an array of CIDR strings", IsTypeError: true);
                }

                if (!CidrAllowList.TryParse(entries, out _, out var error))
                    return new ApplyError(error, IsTypeError: true);
                options = flag == "tcp-allow" ? options with { TcpAllow = entries } : options with { HttpAdminAllow = entries };
                return null;
            case "http-admin-token-file" or "https-address" or "tls-cert" or "tls-key" or "tls-client-ca":
                if (value is not string s)
                    return new ApplyError("expected a string", IsTypeError: true);
                options = flag switch
                {
                    "http-admin-token-file" => options with { HttpAdminTokenFile = s },
                    "https-address" => options with { HttpsAddress = s },
                    "tls-cert" => options with { TlsCert = s },
                    "tls-key" => options with { TlsKey = s },
                    _ => options with { TlsClientCa = s },
                };
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(flag), flag, null);
        }
    }
}
