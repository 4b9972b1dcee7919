using System.Text.Json;
using NsqLookup.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// Publishes the daemon as one native AOT executable (the README's publish command) and checks that the
/// native binary is the same daemon: --version, the TCP protocol, the HTTP API, /metrics and a clean SIGTERM.
/// </summary>
public sealed partial class NativeAotTests(ITestOutputHelper output)
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

            // Native/image_prefault.c allocated the image's zero-fill segment (.bss and the rehydrated data) in one call
            // before the runtime started: every page of it is resident, including the few the rehydration never writes.
            var (zeroFillSize, zeroFillResident) = ZeroFillSegmentOf(daemon.Process.Id, binary);
            output.WriteLine($"zero-fill segment: {zeroFillResident} of {zeroFillSize} bytes resident");
            zeroFillSize.Should().BeGreaterThan(1L << 20, "the rehydrated data is megabytes");
            zeroFillResident.Should().Be(zeroFillSize);

            // A second after the start the trim unmaps the clean file pages the startup faulted in (Memory/ImagePages.cs):
            // the binary's resident pages drop by megabytes, and the daemon goes on serving (below) from refaulted ones.
            var startupPages = ResidentBytesOf(daemon.Process.Id, binary);
            var sampledBeforeTheTrim = !daemon.StdErr.Contains("GC: heap compacted", StringComparison.Ordinal);
            output.WriteLine($"binary's resident pages at ready: {ProcessResources.Mib(startupPages)}");
            await Eventually.TrueAsync(() => Task.FromResult(TrimmedLine().IsMatch(daemon.StdErr)), TimeSpan.FromSeconds(10));
            var trimmed = TrimmedLine().Match(daemon.StdErr);
            output.WriteLine(trimmed.Value);
            long.Parse(trimmed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(1024, "over a MiB of file pages");
            if (sampledBeforeTheTrim)
            {
                ResidentBytesOf(daemon.Process.Id, binary).Should().BeLessThan(startupPages - (1L << 20));
            }
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
            daemon.StdErr.Should().NotContain("JIT: stop path", "the native binary has nothing to compile at the signal, so it never rehearses");
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"DEBUG: GC: heap compacted \(after the start, or quiet after heavy allocation\), (\d+) KiB of clean file pages unmapped, working set now \d+ MiB")]
    private static partial System.Text.RegularExpressions.Regex TrimmedLine();

    // Sum of the Rss of the process's mappings of the file, from /proc/PID/smaps.
    /// <summary>Size and resident bytes of the anonymous mapping that follows the executable's last file mapping
    /// (its writable segment): the segment's zero-fill part.</summary>
    private static (long Size, long Resident) ZeroFillSegmentOf(int pid, string file)
    {
        long size = 0, resident = 0;
        var state = 0; // 0: before the file's mappings, 1: in them, 2: in the mapping right after them, 3: done
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                var isFile = fields.Length >= 6 && string.Join(' ', fields[5..]) == file;
                state = state switch
                {
                    0 or 1 when isFile => 1,
                    1 when fields.Length == 5 && fields[1] == "rw-p" => 2,
                    0 => 0,
                    _ => 3,
                };
            }
            else if (state == 2 && fields is ["Size:", var sizeKb, "kB"])
            {
                size = long.Parse(sizeKb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
            else if (state == 2 && fields is ["Rss:", var kb, "kB"])
            {
                resident = long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return (size, resident);
    }

    private static long ResidentBytesOf(int pid, string file)
    {
        long total = 0;
        var inFile = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                inFile = fields.Length >= 6 && string.Join(' ', fields[5..]) == file;
            }
            else if (inFile && fields is ["Rss:", var kb, "kB"])
            {
                total += long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return total;
    }
}
