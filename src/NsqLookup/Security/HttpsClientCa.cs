using System.Security.Cryptography.X509Certificates;

namespace NsqLookup.Security;

/// <summary><c>--tls-client-ca</c>, loaded: the roots HTTPS client certificates must chain to, or null when client
/// certificates are not asked for.</summary>
internal sealed record HttpsClientCa(X509Certificate2Collection? Roots);
