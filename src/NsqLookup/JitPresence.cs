namespace NsqLookup;

/// <summary>Whether this process runs on the JIT (the framework-dependent build, <c>dotnet run</c>) or is the native
/// binary. <c>RuntimeFeature.IsDynamicCodeCompiled</c> cannot tell: the SDK writes
/// <c>IsDynamicCodeSupported=false</c> into the JIT build's runtimeconfig whenever the project sets <c>PublishAot</c>,
/// so both builds answer false. A native binary has no JIT, so its count of compiled methods stays 0.</summary>
internal static class JitPresence
{
    public static bool InThisProcess => System.Runtime.JitInfo.GetCompiledMethodCount() > 0;
}
