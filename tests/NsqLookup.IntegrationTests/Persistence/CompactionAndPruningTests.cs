using Microsoft.Extensions.Logging.Abstractions;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Persistence;
using NsqLookup.Registry;
using Xunit.Abstractions;
using static NsqLookup.IntegrationTests.Http.HttpKit;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary>What the journal keeps beyond the HTTP actions themselves: a compaction loses nothing, and keys that
/// <c>--prune-empty-keys-after</c> removed stay removed after a restart.</summary>
public sealed class CompactionAndPruningTests(ITestOutputHelper output) : IDisposable
{
    private readonly DataPathFiles _files = new(Directory.CreateTempSubdirectory("nsqlookupd-compact-").FullName);

    public void Dispose() => Directory.Delete(_files.Directory, recursive: true);

    [Fact]
    public async Task Compaction_FoldsTheJournalIntoASnapshotAndLosesNothing()
    {
        var db = new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
        using (var journal = new AdminJournal(_files.Directory, db, TimeProvider.System, NullLogger<AdminJournal>.Instance)
        {
            CompactAfterBytes = 512,
        })
        {
            journal.Open();
            for (var i = 0; i < 200; i++)
            {
                var topic = $"topic-{i:D3}";
                await journal.ApplyAsync(() => [AdminAction.CreateTopic(topic), AdminAction.CreateChannel(topic, "c")])
                    .AsTask().WaitAsync(TestDaemon.Timeout);
            }

            await journal.ApplyAsync(() => [AdminAction.DeleteTopic("topic-000")]).AsTask().WaitAsync(TestDaemon.Timeout);
        }

        var replay = JournalReplay.Load(_files, (_, _, _, _) => throw new InvalidOperationException("no torn tail expected"));
        replay.Generation.Should().BeGreaterThan(0UL, "the journal outgrew 512 bytes many times");
        replay.SnapshotRecords.Should().BeGreaterThan(0);
        replay.JournalRecords.Should().BeLessThan(401, "compacted records leave the journal");
        replay.State.Topics.Should().HaveCount(199).And.NotContain("topic-000").And.Contain("topic-199");
        replay.State.Channels.Should().HaveCount(199).And.Contain(("topic-001", "c"));
    }

    [Fact]
    public async Task AJournalThatOutgrewItsSnapshotWhileDown_IsCompactedAfterTheStart()
    {
        var db = new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));
        using (var journal = Journal(db, compactAfterBytes: long.MaxValue / 8))
        {
            journal.Open();
            for (var i = 0; i < 100; i++)
            {
                var topic = $"topic-{i:D3}";
                await journal.ApplyAsync(() => [AdminAction.CreateTopic(topic)]).AsTask().WaitAsync(TestDaemon.Timeout);
            }
        }

        File.Exists(_files.Snapshot).Should().BeFalse("nothing was compacted yet");
        using (var reopened = Journal(new RegistrationDB(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45)), 512))
        {
            reopened.Open();
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(_files.Snapshot)));
            await reopened.ApplyAsync(() => [AdminAction.CreateTopic("after")]).AsTask().WaitAsync(TestDaemon.Timeout);
        }

        var replay = JournalReplay.Load(_files, (_, _, _, _) => throw new InvalidOperationException("no torn tail expected"));
        replay.Generation.Should().Be(1UL);
        replay.SnapshotRecords.Should().Be(100);
        replay.JournalRecords.Should().Be(1);
        replay.State.Topics.Should().HaveCount(101).And.Contain("after").And.Contain("topic-099");
    }

    private AdminJournal Journal(RegistrationDB db, long compactAfterBytes) =>
        new(_files.Directory, db, TimeProvider.System, NullLogger<AdminJournal>.Instance) { CompactAfterBytes = compactAfterBytes };

    [Fact]
    public async Task KeysPrunedWhileRunning_StayGoneAfterARestart()
    {
        await using (var daemon = await TestDaemon.StartAsync(output, o => o with
        {
            DataPath = _files.Directory,
            PruneEmptyKeysAfter = TimeSpan.FromSeconds(1),
        }))
        {
            (await PostAsync(daemon, "/topic/create?topic=empty")).Status.Should().Be(200);
            (await PostAsync(daemon, "/channel/create?topic=kept&channel=c")).Status.Should().Be(200);
            Seed(daemon, "kept/c");
            await Eventually.TrueAsync(async () => !(await TopicsAsync(daemon)).Contains("empty"), TimeSpan.FromSeconds(20));
        }

        await using var restarted = await TestDaemon.StartAsync(output, o => o with { DataPath = _files.Directory });
        (await TopicsAsync(restarted)).Should().Equal("kept");
        (await ChannelsAsync(restarted, "kept")).Should().Equal("c");
    }
}
