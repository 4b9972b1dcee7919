using System.Buffers;
using NsqLookup.Persistence;

namespace NsqLookup.Tests.Persistence;

/// <summary>The disk format without a daemon: records round-trip, a torn tail is cut off, damage elsewhere is fatal.</summary>
public sealed class JournalReplayTests : IDisposable
{
    private readonly DataPathFiles _files = new(Directory.CreateTempSubdirectory("nsqlookupd-replay-").FullName);

    public void Dispose() => Directory.Delete(_files.Directory, recursive: true);

    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue() =>
        Crc32C.Compute("123456789"u8).Should().Be(0xE3069283);

    [Fact]
    public void EveryKind_RoundTrips()
    {
        AdminAction[] actions =
        [
            AdminAction.CreateTopic("t"), AdminAction.DeleteTopic("t"), AdminAction.CreateChannel("t", "c"),
            AdminAction.DeleteChannel("t", "c"), new(AdminActionKind.PruneTopic, "t"),
            AdminAction.Tombstone("t", "[::1]:4151", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)),
        ];
        foreach (var action in actions)
        {
            var buffer = new ArrayBufferWriter<byte>();
            AdminRecordCodec.Encode(action, buffer);
            AdminRecordCodec.TryDecode(buffer.WrittenSpan, out var decoded, out var size).Should().Be(RecordStatus.Ok);
            decoded.Should().Be(action);
            size.Should().Be(buffer.WrittenCount);
        }
    }

    [Fact]
    public void Replay_AppliesCreatesAndDeletesInOrder()
    {
        WriteJournal(AdminAction.CreateTopic("a"), AdminAction.CreateChannel("a", "c"), AdminAction.CreateTopic("b"),
            AdminAction.DeleteTopic("a"), AdminAction.CreateTopic("a"));
        var result = JournalReplay.Load(_files, (_, _, _, _) => throw new InvalidOperationException("no torn tail"));
        result.State.Topics.Should().Equal("a", "b");
        result.State.Channels.Should().BeEmpty();
        result.JournalRecords.Should().Be(5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public void ARecordCutShortAtTheEnd_IsDroppedAsIncomplete(int cut)
    {
        var length = WriteJournal(AdminAction.CreateTopic("a"), AdminAction.CreateTopic("b"));
        var bytes = File.ReadAllBytes(_files.Journal);
        File.WriteAllBytes(_files.Journal, bytes[..^cut]);
        long? tornAt = null;
        DroppedTail? kind = null;
        var result = JournalReplay.Load(_files, (_, offset, _, k) => (tornAt, kind) = (offset, k));
        result.State.Topics.Should().Equal("a");
        tornAt.Should().Be(length[0]);
        kind.Should().Be(DroppedTail.Incomplete, "a record shorter than it announces was cut short, never acknowledged");
        result.JournalLength.Should().Be(length[0]);
    }

    [Fact]
    public void ACompleteLastRecordWithABadChecksum_IsDroppedAsDamaged()
    {
        var ends = WriteJournal(AdminAction.CreateTopic("a"), AdminAction.CreateTopic("b"));
        Flip(ends[1] - 1);
        long? tornAt = null;
        DroppedTail? kind = null;
        JournalReplay.Load(_files, (_, offset, _, k) => (tornAt, kind) = (offset, k)).State.Topics.Should().Equal("a");
        tornAt.Should().Be(ends[0]);
        kind.Should().Be(DroppedTail.Damaged, "the record is whole: it was written, and may have been acknowledged");
    }

    [Fact]
    public void ZerosAfterTheLastRecord_AreDroppedAsUnwritten()
    {
        var ends = WriteJournal(AdminAction.CreateTopic("a"));
        File.AppendAllText(_files.Journal, new string('\0', 40));
        DroppedTail? kind = null;
        JournalReplay.Load(_files, (_, _, bytes, k) =>
        {
            bytes.Should().Be(40);
            kind = k;
        }).JournalLength.Should().Be(ends[0]);
        kind.Should().Be(DroppedTail.Unwritten);
    }

    [Fact]
    public void ASnapshotWithoutItsJournal_IsFatal()
    {
        SnapshotWriter.WriteSnapshot(_files, 3, [AdminAction.CreateTopic("s")]);
        var load = () => JournalReplay.Load(_files, (_, _, _, _) => { });
        load.Should().Throw<DataPathException>().WithMessage(
            $"{_files.Snapshot} (generation 3) has no admin.journal beside it: the admin actions acknowledged since that snapshot are missing*");
    }

    [Fact]
    public void ADirectoryNeverUsed_StartsEmpty()
    {
        var result = JournalReplay.Load(_files, (_, _, _, _) => { });
        result.State.Topics.Should().BeEmpty();
        result.JournalLength.Should().BeNull("a new journal of generation 0 must be written");
    }

    [Fact]
    public void ABadRecordFollowedByAValidOne_IsFatal()
    {
        var ends = WriteJournal(AdminAction.CreateTopic("a"), AdminAction.CreateTopic("b"), AdminAction.CreateTopic("c"));
        Flip(ends[0] + 2); // the length of the middle record
        var load = () => JournalReplay.Load(_files, (_, _, _, _) => { });
        load.Should().Throw<DataPathException>().WithMessage($"{_files.Journal} is corrupt at offset {ends[0]}*");
    }

    [Fact]
    public void AJournalOlderThanTheSnapshot_IsAlreadyFoldedIn()
    {
        SnapshotWriter.WriteSnapshot(_files, 1, [AdminAction.CreateTopic("s")]);
        WriteJournal(AdminAction.CreateTopic("old"));
        var result = JournalReplay.Load(_files, (_, _, _, _) => { });
        result.State.Topics.Should().Equal("s");
        result.JournalLength.Should().BeNull("a new journal of generation 1 must be written");
        result.Generation.Should().Be(1UL);
    }

    private void Flip(long offset)
    {
        var bytes = File.ReadAllBytes(_files.Journal);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(_files.Journal, bytes);
    }

    /// <summary>Writes a generation-0 journal; returns where each record ends.</summary>
    private long[] WriteJournal(params AdminAction[] actions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(FileHeader.Create(FileHeader.JournalMagic, 0));
        var ends = new long[actions.Length];
        for (var i = 0; i < actions.Length; i++)
        {
            AdminRecordCodec.Encode(actions[i], buffer);
            ends[i] = buffer.WrittenCount;
        }

        File.WriteAllBytes(_files.Journal, buffer.WrittenSpan.ToArray());
        return ends;
    }
}
