using NsqLookup.Logging;

namespace NsqLookup.Tests.Logging;

/// <summary>A <see cref="LogSink"/> writing into memory. Reading it waits until the sink's writer thread has written
/// every line queued so far.</summary>
internal sealed class LogOutput : IDisposable
{
    private readonly StringWriter _text = new();

    public LogOutput(NsqLookupOptions options, TimeProvider? time = null) =>
        Sink = new LogSink(_text, GoLog.DropNotice(options.LogFormat, options.LogPrefix, time ?? TimeProvider.System));

    public LogSink Sink { get; }

    public override string ToString()
    {
        Sink.Flush(TimeSpan.FromSeconds(10)).Should().BeTrue("an in-memory output never blocks");
        return _text.ToString();
    }

    public void Dispose() => Sink.Dispose();
}
