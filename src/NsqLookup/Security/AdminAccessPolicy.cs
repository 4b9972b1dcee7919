using System.Net;

namespace NsqLookup.Security;

/// <summary>
/// Who may use the admin routes (those that change the directory, and the debug ones): a source address in
/// <c>--http-admin-allow</c>, or a request carrying <c>Authorization: Bearer &lt;secret&gt;</c> from
/// <c>--http-admin-token-file</c>. With neither configured everyone may, as in the original.
/// </summary>
internal sealed class AdminAccessPolicy
{
    private readonly CidrAllowList? _allow;
    private readonly AdminTokenFile? _token;

    public AdminAccessPolicy(CidrAllowList? allow, AdminTokenFile? token)
    {
        _allow = allow;
        _token = token;
    }

    /// <summary>False when nothing is configured: every request is allowed without looking at it.</summary>
    public bool IsRestricted => _allow is not null || _token is not null;

    public bool IsAllowed(IPAddress? source, string? authorization)
    {
        if (!IsRestricted)
        {
            return true;
        }

        return (_allow?.Contains(source) ?? false) || (_token?.Matches(authorization) ?? false);
    }

    /// <summary>The request's source address and its one <c>Authorization</c> header (several count as none).</summary>
    public bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsRestricted)
        {
            return true;
        }

        var authorization = context.Request.Headers.Authorization;
        return IsAllowed(context.Connection.RemoteIpAddress, authorization.Count == 1 ? authorization[0] : null);
    }

    public static AdminAccessPolicy FromOptions(NsqLookupOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allow = CidrAllowList.FromOptions(options.HttpAdminAllow, "http-admin-allow");
        var token = string.IsNullOrEmpty(options.HttpAdminTokenFile) ? null : AdminTokenFile.Load(options.HttpAdminTokenFile, time, logger);
        return new AdminAccessPolicy(allow, token);
    }
}
