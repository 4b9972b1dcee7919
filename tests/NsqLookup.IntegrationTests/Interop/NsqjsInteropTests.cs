using System.Net;
using System.Net.Sockets;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Interop;

/// <summary>
/// A real third-party consumer: the nsqjs Reader (npm) polls our <c>/lookup</c> and dials the producer it finds.
/// A bare TCP listener stands in for that nsqd and must see the reader connect with the V2 magic.
/// </summary>
public sealed class NsqjsInteropTests(ITestOutputHelper output)
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    [Fact]
    public async Task NsqjsReader_DiscoversAProducerRegisteredOverTcpAndConnectsToIt()
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "NsqLookup.IntegrationTests", "nsqjs");
        await EnsureInstalledAsync(dir);

        await using var daemon = await TestDaemon.StartAsync(output);
        using var fakeNsqd = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        fakeNsqd.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        fakeNsqd.Listen();
        var nsqdPort = ((IPEndPoint)fakeNsqd.LocalEndPoint!).Port;

        await using var producer = await daemon.ConnectIdentifiedAsync(
            $$"""{"broadcast_address":"127.0.0.1","hostname":"fake","tcp_port":{{nsqdPort}},"http_port":1,"version":"1.3.0"}""");
        (await producer.CommandAsync("REGISTER interop_topic\n")).Should().Be("OK");

        await using var reader = new ProcessRunner.Running(
            "node", ["reader.js", $"127.0.0.1:{daemon.HttpPort}", "interop_topic"], dir);
        using var accepted = await fakeNsqd.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var magic = new byte[4];
        var read = 0;
        while (read < 4)
        {
            var n = await accepted.ReceiveAsync(magic.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            n.Should().BePositive("nsqjs should send the V2 magic before closing");
            read += n;
        }

        output.WriteLine(reader.StdOut + reader.StdErr);
        magic.Should().Equal("  V2"u8.ToArray());
    }

    /// <summary>nsqjs takes a full URL as a lookupd address (lib/lookupd.js adds <c>http://</c> only when there is no
    /// <c>://</c>) and fetches it with Node's https, which trusts <c>NODE_EXTRA_CA_CERTS</c>.</summary>
    [Fact]
    public async Task NsqjsReader_DiscoversAProducerOverHttps()
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "NsqLookup.IntegrationTests", "nsqjs");
        await EnsureInstalledAsync(dir);

        using var pki = new Security.TestPki();
        await using var daemon = await TestDaemon.StartAsync(output, o => o with
        {
            HttpAddress = "",
            HttpsAddress = "127.0.0.1:0",
            TlsCert = pki.CertPath,
            TlsKey = pki.KeyPath,
        });
        using var fakeNsqd = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        fakeNsqd.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        fakeNsqd.Listen();
        var nsqdPort = ((IPEndPoint)fakeNsqd.LocalEndPoint!).Port;

        await using var producer = await daemon.ConnectIdentifiedAsync(
            $$"""{"broadcast_address":"127.0.0.1","hostname":"fake","tcp_port":{{nsqdPort}},"http_port":1,"version":"1.3.0"}""");
        (await producer.CommandAsync("REGISTER interop_tls\n")).Should().Be("OK");

        await using var reader = new ProcessRunner.Running(
            "node",
            ["reader.js", $"https://127.0.0.1:{daemon.App.HttpsEndPoint!.Port}", "interop_tls"],
            dir,
            new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = pki.CaPath });
        using var accepted = await fakeNsqd.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var magic = new byte[4];
        var read = 0;
        while (read < 4)
        {
            var n = await accepted.ReceiveAsync(magic.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            n.Should().BePositive("nsqjs should send the V2 magic before closing");
            read += n;
        }

        output.WriteLine(reader.StdOut + reader.StdErr);
        magic.Should().Equal("  V2"u8.ToArray());
        daemon.Logs.Lines.Should().Contain(l => l.Contains("GET /lookup?topic=interop_tls", StringComparison.Ordinal));
    }

    private async Task EnsureInstalledAsync(string dir)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(dir, "node_modules", "nsqjs")))
            {
                return;
            }

            var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], dir, TimeSpan.FromMinutes(3));
            output.WriteLine(result.StdOut + result.StdErr);
            result.ExitCode.Should().Be(0, "npm ci must install nsqjs from package-lock.json");
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
