using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Logging;

namespace NsqLookup.Tests.Logging;

/// <summary>The bounded queue between the daemon and its log output (see docs/protocol.md, "Logs"): a blocked output
/// never blocks a writer; lines beyond the queue are dropped, counted and reported once, where the gap is.</summary>
public sealed class LogSinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ABlockedOutput_DropsAndCountsLinesAndOneNoticeReportsThemOnceItDrains()
    {
        using var output = new BlockingWriter();
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n", capacity: 4);

        sink.Write("a\n");
        output.Entered.Wait(Timeout).Should().BeTrue("the writer thread took the first line and is stuck writing it");

        // Four lines fit in the queue; the six after them are dropped. None of the writes waits on the output.
        await Task.Run(() =>
        {
            foreach (var line in new[] { "b", "c", "d", "e", "f", "g", "h", "i", "j", "k" })
            {
                sink.Write(line + "\n");
            }
        }).WaitAsync(Timeout);
        sink.Dropped.Should().Be(6);

        output.Release();
        sink.Flush(Timeout).Should().BeTrue();
        output.Text.Should().Be("a\nb\nc\nd\ne\nDROPPED 6\n", "the notice stands where the gap is");

        sink.Write("l\n");
        sink.Flush(Timeout).Should().BeTrue();
        output.Text.Should().Be("a\nb\nc\nd\ne\nDROPPED 6\nl\n", "one gap, one notice");
        sink.Dropped.Should().Be(6);
    }

    [Fact]
    public void ABurstBeyondTheQueue_IntoAMovingOutput_LosesNothing()
    {
        // A healthy but slower output (each write takes a moment) and a burst ten times the queue, as at an exit that
        // lists every registration: the lines wait for room instead of being dropped.
        using var output = new SlowWriter(TimeSpan.FromMilliseconds(1));
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n", capacity: 8);
        var lines = Enumerable.Range(0, 80).Select(i => $"line {i}\n").ToList();
        foreach (var line in lines)
        {
            sink.Write(line);
        }

        sink.Flush(Timeout).Should().BeTrue();
        sink.Dropped.Should().Be(0);
        output.Text.Should().Be(string.Concat(lines));
    }

    [Fact]
    public void AStuckOutput_CostsOneShortWait_ThenLinesAreDroppedAtOnce()
    {
        using var output = new BlockingWriter();
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n", capacity: 2);
        try
        {
            sink.Write("a\n");
            output.Entered.Wait(Timeout).Should().BeTrue("the writer thread is stuck writing the first line");
            sink.Write("b\n");
            sink.Write("c\n");

            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                sink.Write("lost\n");
            }

            // The first of them waited for room and found the output stuck; the others did not wait at all (had each
            // waited, fifty would take fifty times the threshold).
            clock.Elapsed.Should().BeLessThan(LogSink.StallThreshold * 25);
            sink.Dropped.Should().Be(50);
        }
        finally
        {
            output.Release();
        }

        sink.Flush(Timeout).Should().BeTrue();
        output.Text.Should().Be("a\nb\nc\nDROPPED 50\n");
    }

    [Fact]
    public void WhenNothingFollowsTheGap_TheNoticeIsWrittenOnceTheQueueIsWritten()
    {
        using var output = new BlockingWriter();
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n", capacity: 1);
        sink.Write("a\n");
        output.Entered.Wait(Timeout).Should().BeTrue();
        sink.Write("b\n");
        sink.Write("c\n");

        output.Release();
        sink.Flush(Timeout).Should().BeTrue();
        output.Text.Should().Be("a\nb\nDROPPED 1\n");
    }

    [Fact]
    public async Task Flush_GivesUpAfterItsTimeoutWhenTheOutputStaysBlocked()
    {
        using var output = new BlockingWriter();
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n");
        try
        {
            sink.Write("FATAL line\n");
            output.Entered.Wait(Timeout).Should().BeTrue();
            (await Task.Run(() => sink.Flush(TimeSpan.FromMilliseconds(100))).WaitAsync(Timeout)).Should().BeFalse();
        }
        finally
        {
            output.Release();
        }

        sink.Flush(Timeout).Should().BeTrue();
        output.Text.Should().Be("FATAL line\n");
    }

    [Fact]
    public void AFailingOutput_LosesItsLinesButNeverStopsTheSink()
    {
        using var output = new FailingWriter();
        using var sink = new LogSink(output, dropped => $"DROPPED {dropped}\n");
        sink.Write("a\n");
        sink.Flush(Timeout).Should().BeTrue();
        sink.Write("b\n");
        sink.Flush(Timeout).Should().BeTrue();
        output.Attempts.Should().Be(2);
    }

    [Fact]
    public void TheDropNotice_IsAWarningLineInTheDaemonsFormat()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 1, 2, 3, TimeSpan.Zero).AddTicks(1_234_560));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        GoLog.DropNotice(LogFormat.Text, "[nsqlookupd] ", time)(1234).Should().Be(
            "[nsqlookupd] 2026/12/08 01:02:03.123456 WARNING: LOG: 1234 lines dropped, the log output was blocked\n");
        GoLog.DropNotice(LogFormat.Json, "[ignored] ", time)(7).Should().Be(
            """{"timestamp":"2026-12-08T01:02:03.123456+00:00","level":"WARNING","category":"NsqLookup.Logging","message":"LOG: 7 lines dropped, the log output was blocked"}""" + "\n");
    }

    /// <summary>An output that blocks in every write until released (a stderr pipe nobody reads).</summary>
    private sealed class BlockingWriter : StringWriter
    {
        private readonly ManualResetEventSlim _open = new();

        public ManualResetEventSlim Entered { get; } = new();

        public string Text
        {
            get
            {
                lock (this)
                {
                    return ToString();
                }
            }
        }

        public void Release() => _open.Set();

        public override void Write(string? value)
        {
            Entered.Set();
            _open.Wait();
            lock (this)
            {
                base.Write(value);
            }
        }

        protected override void Dispose(bool disposing)
        {
            _open.Set();
            base.Dispose(disposing);
        }
    }

    /// <summary>An output that takes a moment for every write (a healthy log collector, a terminal).</summary>
    private sealed class SlowWriter(TimeSpan perWrite) : StringWriter
    {
        public string Text
        {
            get
            {
                lock (this)
                {
                    return ToString();
                }
            }
        }

        public override void Write(string? value)
        {
            Thread.Sleep(perWrite); // the output's own pace is what the test is about
            lock (this)
            {
                base.Write(value);
            }
        }
    }

    private sealed class FailingWriter : StringWriter
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public override void Write(string? value)
        {
            Interlocked.Increment(ref _attempts);
            throw new IOException("Broken pipe");
        }
    }
}
