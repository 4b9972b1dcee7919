using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Security;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Deploy;

/// <summary>
/// The repository's Dockerfile, built by <see cref="ContainerImageFixture"/> with podman and run: the original's
/// defaults and ports, TCP and HTTP through ports published on 127.0.0.1, HTTPS with a mounted certificate, a non-root
/// process that is PID 1 and exits 0 on SIGTERM within a second, and the FATAL line (not an abort) when the image's
/// libssl is hidden and --https-address is set.
/// </summary>
public sealed class ContainerImageTests(ContainerImageFixture image, ITestOutputHelper output) : IClassFixture<ContainerImageFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Image_RunsTheBinaryAsNonRootEntrypoint_ExposingTheOriginalsPorts()
    {
        output.WriteLine(image.Log);
        using var inspect = JsonDocument.Parse(await image.Podman.CheckAsync(Step, "image", "inspect", image.Image));
        var config = inspect.RootElement[0].GetProperty("Config");
        config.GetProperty("User").GetString().Should().Be("1654:1654");
        config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("4160/tcp", "4161/tcp");
        config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).Should().Equal("/usr/local/bin/nsqlookupd");
        (config.TryGetProperty("Cmd", out var cmd) && cmd.ValueKind == JsonValueKind.Array ? cmd.GetArrayLength() : 0)
            .Should().Be(0, "no flags by default: the original's defaults");
        config.GetProperty("StopSignal").GetString().Should().Be("SIGTERM");

        // What the image adds to its base: the binary, a symlink, an account and /data; the published folder's
        // debug symbols stay out (.dockerignore / the COPY of one file).
        var size = long.Parse(await image.Podman.CheckAsync(Step, "image", "inspect", "--format", "{{.Size}}", image.Image), CultureInfo.InvariantCulture);
        var baseSize = long.Parse(await image.Podman.CheckAsync(Step, "image", "inspect", "--format", "{{.Size}}", ContainerImageFixture.BaseImage), CultureInfo.InvariantCulture);
        var binary = new FileInfo(image.Binary).Length;
        output.WriteLine($"image {size / 1e6:F1} MB = base {baseSize / 1e6:F1} MB + {(size - baseSize) / 1e6:F2} MB (binary {binary / 1e6:F2} MB)");
        if (image.BaseMadeHere)
        {
            (size - baseSize).Should().BeInRange(binary, binary + (512 << 10));
        }
    }

    [Fact]
    public async Task Container_WithTheDefaults_AnswersTcpAndHttp_AndExitsZeroOnSigtermWithinASecond()
    {
        var (tcpPort, httpPort) = (FreePort(), FreePort());
        var name = NewName();
        // Restricted as deploy/kubernetes/nsqlookupd.yaml runs it: a read-only root (no tmpfs on /tmp either), no
        // capabilities, no privilege escalation.
        await using var run = image.Podman.Start("run", "--name", name,
            "--read-only", "--read-only-tmpfs=false", "--cap-drop=ALL", "--security-opt=no-new-privileges",
            "-p", $"127.0.0.1:{tcpPort}:4160", "-p", $"127.0.0.1:{httpPort}:4161", image.Image);
        try
        {
            await WaitReadyAsync(run);
            run.StdErr.Should().MatchRegex(@"TCP: listening on \S+:4160").And.MatchRegex(@"HTTP: listening on \S+:4161");

            // PID 1 of the container is the daemon itself (no shell), and not root.
            var pid = int.Parse(await image.Podman.CheckAsync(Step, "inspect", "--format", "{{.State.Pid}}", name), CultureInfo.InvariantCulture);
            (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Should().StartWith("/usr/local/bin/nsqlookupd\0");
            (await File.ReadAllLinesAsync($"/proc/{pid}/status")).Should().Contain(l => Regex.IsMatch(l, @"^Uid:\s+1654\s"));

            var tcp = new IPEndPoint(IPAddress.Loopback, tcpPort);
            DateTimeOffset asked;
            await using (var ping = await TestClient.ConnectAsync(tcp))
            {
                (await ping.CommandAsync("  V1PING\n")).Should().Be("OK");
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TestDaemon.Timeout };
            (await http.GetStringAsync("/ping")).Should().Be("OK");

            await using (var producer = await TestClient.ConnectAsync(tcp))
            {
                await producer.SendAsync(TestClient.Magic);
                await producer.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
                using (var identify = JsonDocument.Parse(await producer.ReadFrameAsync()))
                {
                    identify.RootElement.GetProperty("tcp_port").GetInt32().Should().Be(4160, "the port inside the container");
                }

                (await producer.CommandAsync("REGISTER boxed c\n")).Should().Be("OK");
                using var lookup = JsonDocument.Parse(await http.GetStringAsync("/lookup?topic=boxed"));
                lookup.RootElement.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).Should().Equal("c");
                var producers = lookup.RootElement.GetProperty("producers");
                producers.GetArrayLength().Should().Be(1);
                producers[0].GetProperty("broadcast_address").GetString().Should().Be("nsqd1.example");
                producers[0].GetProperty("tcp_port").GetInt32().Should().Be(4150);

                // SIGTERM through the engine, with the producer still connected: exit 0, within a second of asking.
                asked = DateTimeOffset.UtcNow;
                await image.Podman.CheckAsync(Step, "kill", "--signal", "TERM", name);
                (await run.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
            }

            var state = (await image.Podman.CheckAsync(Step, "inspect", "--format", "{{.State.ExitCode}} {{.State.FinishedAt.UnixNano}}", name)).Split(' ');
            state[0].Should().Be("0");
            var finished = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(state[1], CultureInfo.InvariantCulture) / 1_000_000);
            output.WriteLine($"SIGTERM asked → container exited: {(finished - asked).TotalMilliseconds:F0} ms");
            (finished - asked).Should().BeLessThan(TimeSpan.FromSeconds(1));
            run.StdErr.Should().Contain("TCP: closing");
        }
        finally
        {
            await image.Podman.RunAsync(Step, "rm", "--force", name);
        }
    }

    [Fact]
    public async Task Container_ServesHttps_WithAMountedCertificate_AndStopsCleanly()
    {
        using var pki = new TestPki();
        var (httpsPort, name) = (FreePort(), NewName());
        await using var run = image.Podman.Start("run", "--name", name, "-v", $"{pki.Directory}:/tls:ro",
            "-p", $"127.0.0.1:{httpsPort}:4443", image.Image,
            "--https-address=0.0.0.0:4443", "--tls-cert=/tls/cert.pem", "--tls-key=/tls/key.pem");
        try
        {
            await WaitReadyAsync(run, "HTTPS: listening on");
            using var https = TlsProbe.Client(pki.Ca, httpsPort);
            (await https.GetStringAsync("/ping")).Should().Be("OK");
            (await https.GetStringAsync("/topics")).Should().Be("""{"topics":[]}""");

            // podman stop: SIGTERM, and SIGKILL (exit 137) only if it is still running 5 s later.
            await image.Podman.CheckAsync(Step, "stop", "--time", "5", name);
            (await run.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }
        finally
        {
            await image.Podman.RunAsync(Step, "rm", "--force", name);
        }
    }

    [Fact]
    public async Task Container_WithoutLibssl_FailsWithTheFatalLine_ForHttps_AndServesWithoutIt()
    {
        // The image's libssl hidden: what a distroless or hand-made base without OpenSSL looks like to the binary.
        using var pki = new TestPki();
        var hide = new[] { "-v", "/dev/null:/usr/lib/x86_64-linux-gnu/libssl.so.3:ro", "-v", $"{pki.Directory}:/tls:ro" };
        var withHttps = await image.Podman.RunAsync(Step,
            ["run", "--rm", .. hide, image.Image, "--https-address=0.0.0.0:4443", "--tls-cert=/tls/cert.pem", "--tls-key=/tls/key.pem"]);
        output.WriteLine(withHttps.StdErr);
        withHttps.ExitCode.Should().Be(1, "not 134, .NET's abort");
        withHttps.StdErr.Should().MatchRegex(@"FATAL: failed to instantiate nsqlookupd - --https-address needs OpenSSL, and no usable libssl was found \(.*libssl\.so\.3.*\)")
            .And.NotContain("No usable version of libssl was found");

        var (httpPort, name) = (FreePort(), NewName());
        await using var run = image.Podman.Start(["run", "--name", name, .. hide, "-p", $"127.0.0.1:{httpPort}:4161", image.Image]);
        try
        {
            await WaitReadyAsync(run);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TestDaemon.Timeout };
            (await http.GetStringAsync("/ping")).Should().Be("OK");
            await image.Podman.CheckAsync(Step, "kill", "--signal", "TERM", name);
            (await run.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }
        finally
        {
            await image.Podman.RunAsync(Step, "rm", "--force", name);
        }
    }

    private static async Task WaitReadyAsync(ProcessRunner.Running run, string line = "HTTP: listening on")
    {
        if (!await run.WaitForAsync(r => r.StdErr.Contains(line, StringComparison.Ordinal) || r.Process.HasExited, TimeSpan.FromSeconds(60))
            || run.Process.HasExited)
        {
            throw new InvalidOperationException($"the container did not log \"{line}\": {run.StdErr}{run.StdOut}");
        }
    }

    private static string NewName() => "nsqlookup-test-" + Guid.NewGuid().ToString("N")[..12];

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
