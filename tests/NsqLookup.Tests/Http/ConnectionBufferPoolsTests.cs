using System.Buffers;
using NsqLookup.Http;

namespace NsqLookup.Tests.Http;

/// <summary>The connection buffer pools keep a bounded number of blocks for reuse and count what they drop.</summary>
public sealed class ConnectionBufferPoolsTests
{
    [Fact]
    public void BlocksBeyondTheRetainedNumber_AreDroppedAndCounted()
    {
        var pools = new ConnectionBufferPools();
        using var pool = pools.Create();
        var rented = Enumerable.Range(0, ConnectionBufferPools.MaxRetainedBlocks + 100).Select(_ => pool.Rent()).ToList();
        rented.Should().OnlyContain(b => b.Memory.Length == ConnectionBufferPools.BlockSize);
        pools.AllocatedBytes.Should().Be((ConnectionBufferPools.MaxRetainedBlocks + 100L) * ConnectionBufferPools.BlockSize);

        rented.ForEach(b => b.Dispose());

        pools.ReleasedBytes.Should().Be(100L * ConnectionBufferPools.BlockSize);

        // The kept ones are reused: renting them again allocates nothing.
        var again = Enumerable.Range(0, ConnectionBufferPools.MaxRetainedBlocks).Select(_ => pool.Rent()).ToList();
        pools.AllocatedBytes.Should().Be((ConnectionBufferPools.MaxRetainedBlocks + 100L) * ConnectionBufferPools.BlockSize);
        again.ForEach(b => b.Dispose());
    }

    [Fact]
    public void ABlock_IsAPageAndNoLargerOneIsHandedOut()
    {
        using var pool = new ConnectionBufferPools().Create();
        pool.MaxBufferSize.Should().Be(4096);
        var tooLarge = () => pool.Rent(4097);
        tooLarge.Should().Throw<ArgumentOutOfRangeException>();
    }
}
