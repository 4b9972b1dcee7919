using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.IntegrationTests.Security;
using Xunit.Abstractions;

namespace NsqLookup.IntegrationTests.Binary;

/// <summary>
/// A host without a usable libssl, made in a private mount namespace (<c>unshare -m</c>, as root): every libssl the
/// dynamic loader knows is covered by an empty file. There, .NET's OpenSSL shim would abort the process at the first
/// certificate ("No usable version of libssl was found", exit 134); the daemon instead fails startup with its FATAL
/// line naming the library (exit 1) when a flag needs OpenSSL, and runs as usual when none does.
/// </summary>
public sealed class NoLibSslTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HttpsAddress_WithoutLibssl_IsAFatalStartupError_NotAnAbort()
    {
        using var pki = new TestPki();
        var result = await RunHiddenAsync(
            "--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--https-address=127.0.0.1:0",
            $"--tls-cert={pki.CertPath}", $"--tls-key={pki.KeyPath}");
        output.WriteLine(result.StdErr);
        result.ExitCode.Should().Be(1);
        result.StdErr.Should().MatchRegex(@"\[nsqlookupd\] \S+ \S+ FATAL: failed to instantiate nsqlookupd - --https-address needs OpenSSL, and no usable libssl was found \(.*libssl\.so\.3: file too short.*\)")
            .And.NotContain("No usable version of libssl");
    }

    [Fact]
    public async Task AdminTokenFile_WorksWithoutLibssl()
    {
        // The token is compared without a hash (.NET's hashes are OpenSSL's on Linux), so it needs no libssl.
        var token = Path.Combine(Path.GetTempPath(), $"nsqlookupd-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(token, "s3cret\n");
        try
        {
            await using var daemon = new ProcessRunner.Running(
                "unshare", HiddenCommand("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", $"--http-admin-token-file={token}"));
            var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
            using var httpClient = new HttpClient { Timeout = TestDaemon.Timeout };
            using var refused = await httpClient.PostAsync($"http://127.0.0.1:{http.Port}/topic/create?topic=t1", null);
            ((int)refused.StatusCode).Should().Be(403);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{http.Port}/topic/create?topic=t1");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
            using var allowed = await httpClient.SendAsync(request);
            ((int)allowed.StatusCode).Should().Be(200);

            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
            daemon.StdErr.Should().NotContain("libssl");
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Fact]
    public async Task WithoutHttps_TheDaemonServesWithoutLibssl()
    {
        await using var daemon = new ProcessRunner.Running("unshare", HiddenCommand("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0"));
        var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
        await using (var client = await TestClient.ConnectAsync(tcp))
        {
            (await client.CommandAsync("  V1PING\n")).Should().Be("OK");
        }

        using var httpClient = new HttpClient { Timeout = TestDaemon.Timeout };
        (await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/ping")).Should().Be("OK");
        (await httpClient.GetStringAsync($"http://127.0.0.1:{http.Port}/metrics")).Should().Contain("nsqlookupd_http_requests_total");

        DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
        (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    private static Task<ProcessRunner.Result> RunHiddenAsync(params string[] daemonArgs) =>
        ProcessRunner.RunAsync("unshare", HiddenCommand(daemonArgs), null, TimeSpan.FromSeconds(60));

    /// <summary><c>unshare -m sh -c '…'</c>: cover each libssl with /dev/null, check that it reads empty, then exec the
    /// daemon (so the PID is the daemon's). Exit 99 if the namespace cannot be made as asked.</summary>
    private static string[] HiddenCommand(params string[] daemonArgs)
    {
        const string Script = """
            set -e
            ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
            libs=$("$ldconfig" -p | sed -n 's/^[[:space:]]*libssl\.so[^ ]* .*=> //p' | xargs -r realpath -e | sort -u)
            [ -n "$libs" ] || { echo "no libssl known to ldconfig: nothing to hide" >&2; exit 99; }
            for lib in $libs; do
              mount --bind /dev/null "$lib" || exit 99
              [ ! -s "$lib" ] || { echo "$lib still has content" >&2; exit 99; }
            done
            exec "$@"
            """;
        return ["--mount", "--propagation", "private", "sh", "-c", Script, "sh", DaemonProcess.BinaryPath, .. daemonArgs];
    }
}
