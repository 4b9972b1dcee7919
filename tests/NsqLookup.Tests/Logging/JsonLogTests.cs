using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Logging;

namespace NsqLookup.Tests.Logging;

/// <summary>--log-format=json (our addition): one JSON object per line, Go level words, the text format's messages.</summary>
public sealed class JsonLogTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 10, 41, 10, TimeSpan.Zero);

    private static (ILoggerFactory Factory, LogOutput Output) Build(NsqLookupOptions options)
    {
        var time = new FakeTimeProvider(Noon.AddTicks(7_743_670));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var output = new LogOutput(options, time);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddGoLog(options, output.Sink, time));
        return (services.BuildServiceProvider().GetRequiredService<ILoggerFactory>(), output);
    }

    [Fact]
    public void EachMessage_IsOneJsonObjectOnItsOwnLine()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogFormat = LogFormat.Json, LogPrefix = "[ignored] " });
        factory.CreateLogger("NsqLookup.Tcp.TcpServer").LogInformation("TCP: listening on [::]:4160");
        output.ToString().Should().Be(
            """{"timestamp":"2026-11-25T10:41:10.774367+00:00","level":"INFO","category":"NsqLookup.Tcp.TcpServer","message":"TCP: listening on [::]:4160"}""" + "\n");
    }

    [Fact]
    public void Levels_UseTheGoWordsAndFollowTheLogLevel()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogFormat = LogFormat.Json, LogLevel = LogLevel.Debug });
        var log = factory.CreateLogger("NsqLookup.X");
        log.LogTrace("hidden");
        log.LogDebug("d");
        log.LogInformation("i");
        log.LogWarning("w");
        log.LogError(new IOException("broken pipe"), "client(1.2.3.4:5)");
        log.LogCritical("c");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        lines.Select(l => l.GetProperty("level").GetString()).Should().Equal("DEBUG", "INFO", "WARNING", "ERROR", "FATAL");
        lines.Select(l => l.GetProperty("message").GetString()).Should().Equal("d", "i", "w", "client(1.2.3.4:5) - broken pipe", "c");
    }

    // docs/protocol.md, "Deliberate differences" item 9: JSON escaping keeps a hostile string on one line; the decoded
    // message is the raw text.
    [Fact]
    public void ControlCharacters_CannotSplitALine()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogFormat = LogFormat.Json });
        const string evil = "evil\n{\"level\":\"FATAL\"}\r\u2028\"<>&";
        factory.CreateLogger("NsqLookup.X").LogInformation("IDENTIFY Address:{Address}", evil);
        var text = output.ToString();
        text.TrimEnd('\n').Should().NotContain("\n").And.NotContain("\r");
        JsonDocument.Parse(text).RootElement.GetProperty("message").GetString().Should().Be("IDENTIFY Address:" + evil);
    }

    [Fact]
    public void PreHostLines_FollowTheFormat()
    {
        var text = GoLog.FormatLine(LogFormat.Json, "[nsqlookupd] ", DateTimeOffset.Now, LogLevel.Information, "NsqLookup", "nsqlookupd v1.3.0 (built w/.NET)");
        var line = JsonDocument.Parse(text).RootElement;
        line.GetProperty("level").GetString().Should().Be("INFO");
        line.GetProperty("message").GetString().Should().Be("nsqlookupd v1.3.0 (built w/.NET)");
        DateTimeOffset.Parse(line.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.Now, TimeSpan.FromMinutes(1));
    }
}
