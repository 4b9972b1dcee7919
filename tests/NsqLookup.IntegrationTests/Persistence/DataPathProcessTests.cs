using System.Net.Http;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary><c>--data-path</c> with the built binary: admin actions survive a restart, corruption in the middle of
/// the journal stops startup, and a second daemon on the same directory is refused.</summary>
public sealed class DataPathProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsqlookupd-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CreatedAndDeletedKeys_SurviveSigtermAndRestart()
    {
        await using (var first = DaemonProcess.Start(Args()))
        {
            var (_, http) = await DaemonProcess.WaitListeningAsync(first);
            using var client = new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TestDaemon.Timeout };
            await Post(client, "/topic/create?topic=kept");
            await Post(client, "/channel/create?topic=kept&channel=ch");
            await Post(client, "/topic/create?topic=gone");
            await Post(client, "/channel/create?topic=gone&channel=x");
            await Post(client, "/topic/delete?topic=gone");
            DaemonProcess.Signal(first, DaemonProcess.SigTerm);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        await using var second = DaemonProcess.Start(Args());
        var (_, http2) = await DaemonProcess.WaitListeningAsync(second);
        using var client2 = new HttpClient { BaseAddress = new Uri($"http://{http2}"), Timeout = TestDaemon.Timeout };
        (await client2.GetStringAsync("/topics")).Should().Be("{\"topics\":[\"kept\"]}");
        (await client2.GetStringAsync("/channels?topic=kept")).Should().Be("{\"channels\":[\"ch\"]}");
        (await client2.GetStringAsync("/channels?topic=gone")).Should().Be("{\"channels\":[]}");
        second.StdErr.Should().Contain("DATA: " + _dir + ": restored 1 topics, 1 channels");
    }

    [Fact]
    public async Task ASecondDaemonOnTheSameDataPath_Exits1WithFatal()
    {
        await using var first = DaemonProcess.Start(Args());
        await DaemonProcess.WaitListeningAsync(first);
        var second = await DaemonProcess.RunAsync(Args());
        second.ExitCode.Should().Be(1);
        second.StdErr.Should().Contain(
            $"FATAL: failed to instantiate nsqlookupd - --data-path={_dir} in use (possibly by another instance of nsqlookupd)");
    }

    [Fact]
    public async Task AFlippedByteInTheMiddleOfTheJournal_FailsStartupWithFatal()
    {
        await using (var first = DaemonProcess.Start(Args()))
        {
            var (_, http) = await DaemonProcess.WaitListeningAsync(first);
            using var client = new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TestDaemon.Timeout };
            for (var i = 0; i < 5; i++)
            {
                await Post(client, $"/topic/create?topic=t{i}");
            }

            DaemonProcess.Signal(first, DaemonProcess.SigTerm);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        var journal = Path.Combine(_dir, "admin.journal");
        var bytes = await File.ReadAllBytesAsync(journal);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(journal, bytes);

        var run = await DaemonProcess.RunAsync(Args());
        run.ExitCode.Should().Be(1);
        run.StdErr.Should().Contain("FATAL: failed to instantiate nsqlookupd - " + journal + " is corrupt at offset");
        run.StdErr.Should().NotContain("listening on");
    }

    private string[] Args() => ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + _dir];

    private static async Task Post(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        ((int)response.StatusCode).Should().Be(200, path);
    }
}
