using System.Collections;
using System.Net;
using System.Reflection;
using System.Xml.Linq;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Logging;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// src/NsqLookup/NativeGenerics.rd.xml has the native compiler build, ahead of time, every generic type that the
/// dependency-injection container would otherwise close at run time while the daemon starts and serves its first
/// TCP client and HTTP request: <c>Logger&lt;T&gt;</c>, the options machinery (<c>OptionsFactory&lt;T&gt;</c>,
/// <c>UnnamedOptionsManager&lt;T&gt;</c>, ...) and the arrays its <c>IEnumerable&lt;T&gt;</c> services become.
/// In a native binary each of those is otherwise built by the runtime type loader from templates (the largest single
/// cost of the native startup in perf: bench/FOOTPRINT.md). The list must match what the container resolves, or
/// the startup silently pays again: this test lists the container's closed generic call sites after such a start
/// (the same services Program builds) and compares. A framework update that adds or drops one fails here, with the
/// lines to change.
/// </summary>
public sealed class NativeGenericsTests
{
    private static readonly XNamespace Directives = "http://schemas.microsoft.com/netfx/2013/01/metadata";

    [Fact]
    public async Task TheRdXml_RootsExactlyTheGenericTypesTheContainerClosesAtStartup()
    {
        var required = await ClosedAtStartupAsync();
        var rooted = Rooted(Path.Combine(RepoPaths.Root, "src", "NsqLookup", "NativeGenerics.rd.xml"));

        required.Should().NotBeEmpty("the host resolves loggers and options for its own services");
        var missing = required.Except(rooted).Select(Line).ToList();
        var stale = rooted.Except(required).Select(Line).ToList();
        missing.Should().BeEmpty("the container closes these at startup; add them to NativeGenerics.rd.xml:\n" + string.Join("\n", missing));
        stale.Should().BeEmpty("nothing resolves these any more; remove them from NativeGenerics.rd.xml:\n" + string.Join("\n", stale));
    }

    private static async Task<HashSet<(string Assembly, string Type)>> ClosedAtStartupAsync()
    {
        var options = new NsqLookupOptions { TcpAddress = "127.0.0.1:0", HttpAddress = "127.0.0.1:0", TrimAfterStart = true };
        var app = NsqLookupApp.Create(options, logging => logging.AddGoLog(options, TextWriter.Null, TimeProvider.System));
        await using (app)
        {
            await app.StartAsync().WaitAsync(TestDaemon.Timeout);
            using (var http = new HttpClient { Timeout = TestDaemon.Timeout })
            {
                (await http.GetStringAsync(new Uri($"http://127.0.0.1:{app.HttpEndPoint.Port}/ping"))).Should().Be("OK");
            }

            await using (var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, app.TcpEndPoint.Port)))
            {
                await client.SendAsync(TestClient.Magic);
                await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
                (await client.ReadFrameAsync()).Should().StartWith("{");
                (await client.CommandAsync("REGISTER t c\n")).Should().Be("OK");
            }

            var required = new HashSet<(string, string)>();
            foreach (var callSite in CallSites(app.Services))
            {
                var kind = callSite.GetType().Name;
                if (kind == "ConstructorCallSite" && callSite.GetType().GetProperty("ImplementationType")!.GetValue(callSite) is Type { IsConstructedGenericType: true } implementation)
                {
                    // Built by reflection from the open registration (a constant or a factory's type exists already).
                    required.Add((implementation.GetGenericTypeDefinition().Assembly.GetName().Name!, RdName(implementation)));
                }
                else if (kind == "IEnumerableCallSite" && Internal(callSite, "ItemType") is Type { IsConstructedGenericType: true } item)
                {
                    required.Add((item.GetGenericTypeDefinition().Assembly.GetName().Name!, RdName(item) + "[]"));
                }
            }

            await app.StopAsync().WaitAsync(TestDaemon.Timeout);
            return required;
        }
    }

    /// <summary>Every call site the container has built (Microsoft.Extensions.DependencyInjection's own cache; a test
    /// may read it, the daemon never does).</summary>
    private static IEnumerable<object> CallSites(IServiceProvider services)
    {
        var factory = Internal(services, "CallSiteFactory") ?? throw new InvalidOperationException("ServiceProvider.CallSiteFactory not found");
        var cache = factory.GetType().GetField("_callSiteCache", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(factory) as IDictionary
            ?? throw new InvalidOperationException("CallSiteFactory._callSiteCache not found");
        foreach (DictionaryEntry entry in cache)
        {
            if (entry.Value is not null)
            {
                yield return entry.Value;
            }
        }
    }

    private static object? Internal(object target, string property) =>
        target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(target);

    /// <summary>The type's name as an rd.xml Type directive takes it: generic arguments assembly-qualified by simple name.</summary>
    private static string RdName(Type type) => type.IsConstructedGenericType
        ? $"{type.GetGenericTypeDefinition().FullName}[{string.Join(",", type.GetGenericArguments().Select(a => $"[{RdName(a)},{a.Assembly.GetName().Name}]"))}]"
        : type.FullName!;

    private static HashSet<(string Assembly, string Type)> Rooted(string path)
    {
        var rooted = new HashSet<(string, string)>();
        foreach (var assembly in XDocument.Load(path).Root!.Element(Directives + "Application")!.Elements(Directives + "Assembly"))
        {
            foreach (var type in assembly.Elements(Directives + "Type"))
            {
                type.Attribute("Dynamic")?.Value.Should().Be("Required All");
                rooted.Add((assembly.Attribute("Name")!.Value, type.Attribute("Name")!.Value));
            }
        }

        return rooted;
    }

    private static string Line((string Assembly, string Type) root) => $"  {root.Assembly}: <Type Name=\"{root.Type}\" Dynamic=\"Required All\" />";
}
