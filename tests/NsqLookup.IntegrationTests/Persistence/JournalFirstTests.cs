using Microsoft.Extensions.Logging.Abstractions;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Persistence;
using NsqLookup.Registry;

namespace NsqLookup.IntegrationTests.Persistence;

/// <summary>Journal first: an admin action's registry change runs only after its record is durable, a failed write
/// changes nothing, an action the format cannot hold is refused before anything changes, and a data path deleted
/// under the daemon refuses every later action.</summary>
public sealed class JournalFirstTests : IDisposable
{
    private readonly DataPathFiles _files = new(Directory.CreateTempSubdirectory("nsqlookupd-first-").FullName);
    private readonly RegistrationDB _db = new(TimeProvider.System, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(45));

    public void Dispose()
    {
        if (Directory.Exists(_files.Directory))
        {
            Directory.Delete(_files.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task Readers_SeeAnActionOnlyAfterItsFsync()
    {
        using var reached = new SemaphoreSlim(0);
        using var gate = new ManualResetEventSlim();
        using (var journal = Journal(stream =>
        {
            reached.Release();
            gate.Wait(TestDaemon.Timeout);
            stream.Flush(flushToDisk: true);
        }))
        {
            var commit = CreateTopic(journal, "t").AsTask();
            (await reached.WaitAsync(TestDaemon.Timeout)).Should().BeTrue("the record reaches its fsync");
            new FileInfo(_files.Journal).Length.Should().BeGreaterThan(FileHeader.Size, "the record is written");
            _db.Topics().Should().BeEmpty("the registry changes only once the record is durable");
            commit.IsCompleted.Should().BeFalse();

            gate.Set();
            (await commit.WaitAsync(TestDaemon.Timeout)).Should().BeTrue();
            _db.Topics().Should().Equal("t");
        }
    }

    [Fact]
    public async Task ActionsQueuedDuringAnFsync_ShareTheNextOneAndApplyInOrder()
    {
        using var reached = new SemaphoreSlim(0);
        using var gate = new ManualResetEventSlim();
        var fsyncs = 0;
        using var journal = Journal(stream =>
        {
            if (Interlocked.Increment(ref fsyncs) == 1)
            {
                reached.Release();
                gate.Wait(TestDaemon.Timeout);
            }

            stream.Flush(flushToDisk: true);
        });
        var first = CreateTopic(journal, "first").AsTask();
        (await reached.WaitAsync(TestDaemon.Timeout)).Should().BeTrue();
        var applied = new List<string>();
        var queued = Enumerable.Range(0, 10).Select(i => journal.CommitAsync(
            () => [AdminAction.CreateTopic($"t{i}")],
            () => applied.Add($"t{i}")).AsTask()).ToList();
        gate.Set();
        await Task.WhenAll(queued.Append(first)).WaitAsync(TestDaemon.Timeout);
        fsyncs.Should().Be(2, "the ten actions queued during the first fsync form one batch");
        applied.Should().Equal(Enumerable.Range(0, 10).Select(i => $"t{i}"));
    }

    [Fact]
    public async Task AFailedFsync_AppliesNothingAndCutsTheJournalBack()
    {
        var fail = true;
        using (var journal = Journal(stream =>
        {
            if (fail)
            {
                throw new IOException("No space left on device");
            }

            stream.Flush(flushToDisk: true);
        }))
        {
            var failed = () => CreateTopic(journal, "lost").AsTask().WaitAsync(TestDaemon.Timeout);
            await failed.Should().ThrowAsync<IOException>().WithMessage("*No space left on device*");
            _db.Topics().Should().BeEmpty("a 500 means nothing happened");
            new FileInfo(_files.Journal).Length.Should().Be(FileHeader.Size, "the refused record is cut off");

            fail = false;
            (await CreateTopic(journal, "kept").AsTask().WaitAsync(TestDaemon.Timeout)).Should().BeTrue();
            _db.Topics().Should().Equal("kept");
        }

        var replay = JournalReplay.Load(_files, (_, _, _, _) => throw new InvalidOperationException("no damaged tail expected"));
        replay.State.Topics.Should().Equal("kept");
    }

    [Fact]
    public async Task AnActionTheFormatCannotHold_IsRefusedBeforeAnythingChanges()
    {
        using var journal = Journal(stream => stream.Flush(flushToDisk: true));
        var node = new string('\uFFFD', 21_900) + ":4151"; // 65,705 bytes in UTF-8
        var applied = false;
        var refused = () => journal.CommitAsync(
            () => [AdminAction.Tombstone("t", node, DateTimeOffset.UnixEpoch)], () => applied = true).AsTask();
        await refused.Should().ThrowAsync<AdminActionRefusedException>()
            .WithMessage("INVALID_ARG_NODE: 65705 bytes in UTF-8, over the 65535 that --data-path can keep");
        applied.Should().BeFalse();
        new FileInfo(_files.Journal).Length.Should().Be(FileHeader.Size);

        (await CreateTopic(journal, "next").AsTask().WaitAsync(TestDaemon.Timeout)).Should().BeTrue("the journal goes on");
    }

    [Fact]
    public async Task AChangeThatCannotWait_IsSkippedWhileABatchIsInFlight()
    {
        using var reached = new SemaphoreSlim(0);
        using var gate = new ManualResetEventSlim();
        using var journal = Journal(stream =>
        {
            reached.Release();
            gate.Wait(TestDaemon.Timeout);
            stream.Flush(flushToDisk: true);
        });
        var commit = CreateTopic(journal, "t").AsTask();
        (await reached.WaitAsync(TestDaemon.Timeout)).Should().BeTrue();
        var ran = false;
        (await journal.ApplyAsync(() =>
        {
            ran = true;
            return [AdminAction.DeleteTopic("t")];
        })).Should().BeFalse("it would overtake the create whose registry change waits for its fsync");
        ran.Should().BeFalse();
        gate.Set();
        await commit.WaitAsync(TestDaemon.Timeout);
    }

    [Fact]
    public async Task ADeletedDataPath_RefusesEveryLaterAction()
    {
        FileIdentity.IsSupported.Should().BeTrue("statx is available on this Linux");
        using var journal = Journal(stream => stream.Flush(flushToDisk: true));
        (await CreateTopic(journal, "a").AsTask().WaitAsync(TestDaemon.Timeout)).Should().BeTrue();
        Directory.Delete(_files.Directory, recursive: true);

        var second = () => CreateTopic(journal, "b").AsTask().WaitAsync(TestDaemon.Timeout);
        await second.Should().ThrowAsync<IOException>().WithMessage($"*{_files.Directory} was deleted while running*");
        var third = () => CreateTopic(journal, "c").AsTask().WaitAsync(TestDaemon.Timeout);
        await third.Should().ThrowAsync<IOException>().WithMessage("--data-path unusable since an earlier failure*");
        _db.Topics().Should().Equal("a");
    }

    [Fact]
    public async Task AReplacedJournal_RefusesTheAction()
    {
        using var journal = Journal(stream => stream.Flush(flushToDisk: true));
        File.Move(_files.Journal, _files.Journal + ".moved");
        SnapshotWriter.WriteEmptyJournal(_files, 0);
        var commit = () => CreateTopic(journal, "b").AsTask().WaitAsync(TestDaemon.Timeout);
        await commit.Should().ThrowAsync<IOException>().WithMessage($"*{_files.Journal} was replaced while running*");
        _db.Topics().Should().BeEmpty();
    }

    private AdminJournal Journal(Action<FileStream> fsync)
    {
        var journal = new AdminJournal(_files.Directory, _db, TimeProvider.System, NullLogger<AdminJournal>.Instance) { Fsync = fsync };
        journal.Open();
        return journal;
    }

    private ValueTask<bool> CreateTopic(AdminJournal journal, string topic) =>
        journal.CommitAsync(() => [AdminAction.CreateTopic(topic)], () => _db.AddRegistration(Registration.Topic(topic)));
}
