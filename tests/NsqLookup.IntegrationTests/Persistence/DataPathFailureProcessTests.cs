using System.Net.Http;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Persistence;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary><c>--data-path</c> under operations that go wrong, with the built binary: a full disk, the directory
/// deleted while running, a read-only directory, a snapshot without its journal, and an action too large to keep.</summary>
public sealed class DataPathFailureProcessTests
{
    [Fact]
    public async Task OnAFullDisk_AnActionAnswered500ChangesNothingAndARestartBringsBackWhatWasAcknowledged()
    {
        using var tmpfs = Tmpfs.Mount("size=64k");
        string[] args = ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + tmpfs.Path];
        var acknowledged = new List<string>();
        await using (var daemon = DaemonProcess.Start(args))
        {
            using var client = await ClientAsync(daemon);
            var filler = tmpfs.Fill();

            // The journal's last page still has room for a few dozen records; then the disk is full.
            string? lost = null;
            for (var i = 0; i < 200 && lost is null; i++)
            {
                var topic = $"t{i:D3}" + new string('x', 60);
                using var response = await client.PostAsync($"/topic/create?topic={topic}", null);
                if ((int)response.StatusCode == 200)
                {
                    acknowledged.Add(topic);
                    continue;
                }

                ((int)response.StatusCode).Should().Be(500);
                (await response.Content.ReadAsStringAsync()).Should().Be("{\"message\":\"INTERNAL_ERROR\"}");
                lost = topic;
            }

            lost.Should().NotBeNull("the disk filled up");
            acknowledged.Should().NotBeEmpty();
            (await Topics(client)).Should().Equal(acknowledged, "the create answered 500 is not applied");

            using (var delete = await client.PostAsync($"/topic/delete?topic={acknowledged[0]}", null))
            {
                ((int)delete.StatusCode).Should().Be(500, "its record does not fit either");
            }

            (await Topics(client)).Should().Equal(acknowledged, "the delete answered 500 left its topic");
            await LoggedAsync(daemon, " ERROR: DATA: admin action not applied, its record could not be written");

            // Space again: the journal goes on after the last acknowledged record.
            File.Delete(filler);
            using (var after = await client.PostAsync("/topic/create?topic=after", null))
            {
                ((int)after.StatusCode).Should().Be(200);
            }

            acknowledged.Add("after");
            DaemonProcess.Signal(daemon, DaemonProcess.SigTerm);
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
        }

        await using var restarted = DaemonProcess.Start(args);
        using var client2 = await ClientAsync(restarted);
        (await Topics(client2)).Should().Equal(acknowledged.Order(StringComparer.Ordinal));
        restarted.StdErr.Should().NotContain("dropped", "nothing refused was left in the journal");
    }

    [Fact]
    public async Task ADataPathDeletedWhileRunning_FailsAdminActionsLoudlyAndKeepsASecondDaemonOut()
    {
        var dir = Directory.CreateTempSubdirectory("nsqlookupd-deleted-").FullName;
        string[] args = ["--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + dir];
        try
        {
            await using (var first = DaemonProcess.Start(args))
            {
                using var client = await ClientAsync(first);
                (await Post(client, "/topic/create?topic=a")).Should().Be(200);

                Directory.Delete(dir, recursive: true);
                (await Post(client, "/topic/create?topic=b")).Should().Be(500);
                await LoggedAsync(first, $" ERROR: DATA: writing {dir}/admin.journal failed - {dir} was deleted while running");
                await LoggedAsync(first, $" ERROR: DATA: {dir} unusable, admin actions are refused until restart");
                (await Topics(client)).Should().Equal("a");

                Directory.CreateDirectory(dir);
                var second = await DaemonProcess.RunAsync(args);
                second.ExitCode.Should().Be(1);
                second.StdErr.Should().Contain(
                    $"FATAL: failed to instantiate nsqlookupd - --data-path={dir} in use by another instance of nsqlookupd that opened it before it was deleted or replaced");
                (await Post(client, "/topic/create?topic=c")).Should().Be(500, "the re-created directory is not the one opened");
                Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty("the first daemon never writes into the new directory");

                DaemonProcess.Signal(first, DaemonProcess.SigTerm);
                (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
            }

            await using var third = DaemonProcess.Start(args);
            using var client3 = await ClientAsync(third);
            (await Topics(client3)).Should().BeEmpty("once the first daemon is gone, the new directory is free");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AReadOnlyDataPath_IsReportedAsReadOnly()
    {
        using var tmpfs = Tmpfs.Mount("ro,size=64k");
        var run = await DaemonProcess.RunAsync("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + tmpfs.Path);
        run.ExitCode.Should().Be(1);
        run.StdErr.Should().Contain(
            $"FATAL: failed to instantiate nsqlookupd - --data-path={tmpfs.Path} cannot be written (read-only file system or no permission)");
        run.StdErr.Should().NotContain("in use");
    }

    [Fact]
    public async Task ASnapshotWithoutItsJournal_StopsTheStart()
    {
        var files = new DataPathFiles(Directory.CreateTempSubdirectory("nsqlookupd-nojournal-").FullName);
        try
        {
            SnapshotWriter.WriteSnapshot(files, 2, [AdminAction.CreateTopic("s")]);
            var run = await DaemonProcess.RunAsync("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + files.Directory);
            run.ExitCode.Should().Be(1);
            run.StdErr.Should().Contain(
                $"FATAL: failed to instantiate nsqlookupd - {files.Snapshot} (generation 2) has no admin.journal beside it");
            run.StdErr.Should().NotContain("listening on");
        }
        finally
        {
            Directory.Delete(files.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task ATombstoneTooLargeToKeep_IsRefusedWith400AndChangesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("nsqlookupd-toolarge-").FullName;
        try
        {
            await using var daemon = DaemonProcess.Start("--tcp-address=127.0.0.1:0", "--http-address=127.0.0.1:0", "--data-path=" + dir);
            var (tcp, http) = await DaemonProcess.WaitListeningAsync(daemon);
            using var client = new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TestDaemon.Timeout };

            // 21,900 bytes that are not UTF-8 become 21,900 U+FFFD: 65,700 bytes of UTF-8, and the node is 65,705.
            var body = new List<byte>(Encoding.ASCII.GetBytes("{\"broadcast_address\":\""));
            body.AddRange(Enumerable.Repeat((byte)0xFF, 21_900));
            body.AddRange(Encoding.ASCII.GetBytes("\",\"hostname\":\"h\",\"tcp_port\":4150,\"http_port\":4151,\"version\":\"1.3.0\"}"));
            await using var nsqd = await TestClient.ConnectAsync(tcp);
            await nsqd.SendAsync(TestClient.Magic);
            await nsqd.SendAsync(TestClient.Identify([.. body]));
            (await nsqd.ReadFrameAsync()).Should().Contain("\"tcp_port\"");
            (await nsqd.CommandAsync("REGISTER big\n")).Should().Be("OK");

            var node = string.Concat(Enumerable.Repeat("%EF%BF%BD", 21_900)) + ":4151";
            using var response = await client.PostAsync($"/topic/tombstone?topic=big&node={node}", null);
            ((int)response.StatusCode).Should().Be(400);
            (await response.Content.ReadAsStringAsync()).Should().Be(
                "{\"message\":\"INVALID_ARG_NODE: 65705 bytes in UTF-8, over the 65535 that --data-path can keep\"}");
            (await client.GetStringAsync("/lookup?topic=big")).Should().Contain("\"http_port\":4151", "the producer is not tombstoned");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<HttpClient> ClientAsync(ProcessRunner.Running daemon)
    {
        var (_, http) = await DaemonProcess.WaitListeningAsync(daemon);
        return new HttpClient { BaseAddress = new Uri($"http://{http}"), Timeout = TestDaemon.Timeout };
    }

    private static async Task<int> Post(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        return (int)response.StatusCode;
    }

    private static async Task<string[]> Topics(HttpClient client)
    {
        var json = await client.GetStringAsync("/topics");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("topics").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Log lines are written by the daemon's log thread, a moment after the answer: wait for the line.</summary>
    private static async Task LoggedAsync(ProcessRunner.Running daemon, string line)
    {
        await Eventually.TrueAsync(() => Task.FromResult(daemon.StdErr.Contains(line, StringComparison.Ordinal)));
        daemon.StdErr.Should().Contain(line);
    }
}
