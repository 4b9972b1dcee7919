using System.Runtime.InteropServices;
using NsqLookup.Protocol;

namespace NsqLookup.Cli;

internal static class BuildInfo
{
    /// <summary>
    /// Go's <c>version.String("nsqlookupd")</c>: <c>nsqlookupd v1.3.0 (built w/go1.19.8)</c>; scripts grep the
    /// <c>nsqlookupd v1.3.0</c> prefix, and the runtime goes in the parentheses, e.g. <c>built w/.NET 10.0.0</c>.
    /// </summary>
    public static string VersionLine { get; } =
        $"nsqlookupd v{ServerIdentity.Version} (built w/{RuntimeInformation.FrameworkDescription})";
}
