using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace NsqLookup.Http;

/// <summary>
/// The memory Kestrel's connections buffer their bytes in (the socket transport and TLS take their pools from this
/// factory). Kestrel's own pool keeps every 4 KiB block it ever handed out and lets go of only a small share of its
/// idle blocks at a time: after a crowd of clients each sent a large header and withheld its end, the memory they cost
/// stayed for minutes (docs/protocol.md, "Deliberate differences" item 17; bench/header-memory.sh measures it).
/// These pools hand out the same pinned 4 KiB blocks, keep at most <see cref="MaxRetainedBlocks"/> of them each for
/// reuse, and drop the rest when they come back, so what a crowd of connections made the daemon buffer is garbage
/// once they close. The counts tell the quiet-time trimmer (Memory/QuietTrimmer.cs) how much of it there is to give
/// back.
/// </summary>
internal sealed class ConnectionBufferPools : IMemoryPoolFactory<byte>
{
    /// <summary>A block, as Kestrel's: a page; the transport reads into one block at a time.</summary>
    public const int BlockSize = 4096;

    /// <summary>Blocks each pool keeps for reuse (2 MiB): a few hundred busy connections' worth.</summary>
    public const int MaxRetainedBlocks = 512;

    private long _allocated;
    private long _released;

    /// <summary>Bytes of blocks allocated so far (each block counted once, however often it is reused).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocated);

    /// <summary>Bytes of blocks dropped on their return so far: garbage for the next full collection.</summary>
    public long ReleasedBytes => Interlocked.Read(ref _released);

    /// <summary>Bytes allocated by the process so far, counting the blocks when they are dropped rather than when they
    /// are allocated: what can have become garbage (the quiet-time trimmer's measure of work to do).</summary>
    public long GarbageCandidateBytes() => GC.GetTotalAllocatedBytes(precise: false) - AllocatedBytes + ReleasedBytes;

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new Pool(this);

    private sealed class Pool(ConnectionBufferPools owner) : MemoryPool<byte>
    {
        private readonly ConcurrentQueue<Block> _blocks = new();
        private int _retained;

        public override int MaxBufferSize => BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
            if (_blocks.TryDequeue(out var block))
            {
                Interlocked.Decrement(ref _retained);
                return block;
            }

            Interlocked.Add(ref owner._allocated, BlockSize);
            return new Block(this);
        }

        public void Return(Block block)
        {
            if (Interlocked.Increment(ref _retained) <= MaxRetainedBlocks)
            {
                _blocks.Enqueue(block);
                return;
            }

            Interlocked.Decrement(ref _retained);
            Interlocked.Add(ref owner._released, BlockSize);
        }

        protected override void Dispose(bool disposing)
        {
            // Nothing to free: the blocks are managed arrays.
        }
    }

    /// <summary>One ordinary array, returned to its pool when the pipe is done with it. Not pinned for its lifetime, as
    /// Kestrel's blocks are (on the pinned object heap): the socket pins it only while a read into it is pending, so a
    /// compacting collection can pack the survivors together and give whole regions back. Pinned blocks could not
    /// move: a few kept for reuse held whole pinned-heap regions, and with them the dropped blocks' memory.</summary>
    private sealed class Block(Pool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(BlockSize);

        public void Dispose() => pool.Return(this);
    }
}
