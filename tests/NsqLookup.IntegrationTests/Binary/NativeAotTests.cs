using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// Publishes the daemon as one native AOT executable (the README's publish command) and checks that the
/// native binary is the same daemon: --version, the TCP protocol, the HTTP API, /metrics and a clean SIGTERM.
/// </summary>
public sealed class NativeAotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NativeAotBinary_PublishesWithoutWarnings_AndServesTcpAndHttp()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "nsqlookupd-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var project = Path.Combine(RepoPaths.Root, "src", "NsqLookup", "NsqLookup.csproj");
            var publish = await ProcessRunner.RunAsync(
                "dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", outDir, "-nologo"], RepoPaths.Root, TimeSpan.FromMinutes(8));
            output.WriteLine(publish.StdOut + publish.StdErr);
            publish.ExitCode.Should().Be(0);
            publish.StdOut.Should().NotContainAny(" warning ", "warning IL", "warning CS");

            var binary = Path.Combine(outDir, "nsqlookupd");
            File.Exists(binary).Should().BeTrue();
            File.Exists(Path.Combine(outDir, "nsqlookupd.dll")).Should().BeFalse("a native build has no IL assembly to load");

            var version = await ProcessRunner.RunAsync(binary, ["--version"], null, TimeSpan.FromSeconds(30));
            version.ExitCode.Should().Be(0);
            version.StdOut.Should().StartWith("nsqlookupd v1.3.0 (built w/.NET ");

            await using var daemon = DaemonProcess.StartAt(binary, "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--log-level=debug");
            var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);

            // The gen0 budget NsqLookup.csproj gives the native binary, whatever this machine's L3 would make it.
            daemon.StdErr.Should().Contain("DEBUG: GC: workstation, concurrent, gen0 budget 16 MiB");

            // The quiet-time trimmer compacts the startup's garbage once, a second after the start (Memory/QuietTrimmer.cs).
            await Eventually.TrueAsync(
                () => Task.FromResult(daemon.StdErr.Contains("DEBUG: GC: heap compacted (after the start", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10));

            await using (var client = await TestClient.ConnectAsync(tcp))
            {
                await client.SendAsync(TestClient.Magic);
                await client.SendAsync(TestClient.Identify(TestClient.DefaultIdentifyBody));
                using var identify = JsonDocument.Parse(await client.ReadFrameAsync());
                identify.RootElement.GetProperty("tcp_port").GetInt32().Should().Be(tcp.Port);
                identify.RootElement.GetProperty("http_port").GetInt32().Should().Be(http.Port);
                (await client.CommandAsync("REGISTER native c\n")).Should().Be("OK");

                using var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var lookup = await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/lookup?topic=native");
                lookup.Should().StartWith("{\"channels\":[\"c\"],\"producers\":[{\"remote_address\":\"" + client.LocalAddress + "\"");

                // The metrics collector (our meter + the runtime meter, through a MeterListener) works trimmed and native too.
                var metrics = await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/metrics");
                metrics.Should().Contain("nsqlookupd_producers 1\n")
                    .And.Contain("nsqlookupd_registrations{category=\"channel\"} 1")
                    .And.Contain("nsqlookupd_commands_total{command=\"REGISTER\"} 1")
                    .And.Contain("nsqlookupd_http_requests_total{route=\"/lookup\",status=\"200\"} 1")
                    .And.Contain("nsqlookupd_http_request_duration_seconds_bucket{route=\"/lookup\",le=\"+Inf\"} 1")
                    .And.Contain("dotnet_process_memory_working_set_bytes");
            }

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
            daemon.StdErr.Should().Contain("INFO: TCP: closing 127.0.0.1:" + tcp.Port);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
