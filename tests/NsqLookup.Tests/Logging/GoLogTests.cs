using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NsqLookup.Logging;

namespace NsqLookup.Tests.Logging;

public sealed partial class GoLogTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 10, 41, 10, TimeSpan.Zero);

    [GeneratedRegex(@"^\[nsqlookupd\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} (DEBUG|INFO|WARNING|ERROR|FATAL): ")]
    private static partial Regex T118Line();

    private static (ILoggerFactory Factory, LogOutput Output) Build(NsqLookupOptions options, TimeProvider? time = null)
    {
        var output = new LogOutput(options, time);
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.AddProvider(new ThrowingProvider()); // AddGoLog must clear whatever was there before
            b.AddGoLog(options, output.Sink, time);
        });
        return (services.BuildServiceProvider().GetRequiredService<ILoggerFactory>(), output);
    }

    private static string[] Lines(LogOutput output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact] // T118
    public void EveryLevel_MatchesTheGoLineFormat()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogLevel = LogLevel.Debug });
        var log = factory.CreateLogger("NsqLookup.Tcp.TcpServer");
        log.LogDebug("d");
        log.LogInformation("TCP: listening on [::]:4160");
        log.LogWarning("w");
        log.LogError("e");
        log.LogCritical("c");

        var lines = Lines(output);
        lines.Should().HaveCount(5).And.OnlyContain(l => T118Line().IsMatch(l));
        lines.Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]).Should()
            .Equal("d", "TCP: listening on [::]:4160", "w", "e", "c");
        lines.Select(l => l.Split(' ')[3]).Should().Equal("DEBUG:", "INFO:", "WARNING:", "ERROR:", "FATAL:");
    }

    [Fact]
    public void Timestamp_IsLocalTimeWithMicroseconds()
    {
        var time = new FakeTimeProvider(Noon.AddTicks(7_743_670));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var (factory, output) = Build(new NsqLookupOptions(), time);
        factory.CreateLogger("NsqLookup.X").LogInformation("CLIENT(127.0.0.1:51258): IDENTIFY");
        output.ToString().Should().Be("[nsqlookupd] 2026/11/25 10:41:10.774367 INFO: CLIENT(127.0.0.1:51258): IDENTIFY\n");
    }

    [Theory] // T118: --log-prefix
    [InlineData("[x] ")]
    [InlineData("")]
    public void Prefix_IsConfigurable(string prefix)
    {
        var time = new FakeTimeProvider(Noon);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var (factory, output) = Build(new NsqLookupOptions { LogPrefix = prefix }, time);
        factory.CreateLogger("NsqLookup.X").LogError("boom");
        output.ToString().Should().Be(prefix + "2026/11/25 10:41:10.000000 ERROR: boom\n");
    }

    [Fact] // T118: --log-level=warn hides INFO
    public void Level_FiltersOurMessages()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogLevel = LogLevel.Warning });
        var log = factory.CreateLogger("NsqLookup.Tcp.TcpServer");
        log.LogInformation("hidden");
        log.LogDebug("hidden");
        log.LogWarning("shown");
        log.IsEnabled(LogLevel.Information).Should().BeFalse();
        Lines(output).Should().ContainSingle().Which.Should().EndWith(" WARNING: shown");
    }

    [Fact]
    public void InfoLevel_HidesDebug()
    {
        var (factory, output) = Build(new NsqLookupOptions());
        factory.CreateLogger("NsqLookup.X").LogDebug("hidden");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public void FrameworkCategories_ShowOnlyWarningsAndAbove()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogLevel = LogLevel.Debug });
        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogInformation("hidden");
        factory.CreateLogger("System.Net.Http").LogDebug("hidden");
        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("kestrel says");
        Lines(output).Should().ContainSingle().Which.Should().EndWith(" WARNING: kestrel says");
    }

    [Fact]
    public void FrameworkCategories_NeverGoBelowTheConfiguredLevel()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogLevel = LogLevel.Error });
        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("hidden");
        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogError("shown");
        Lines(output).Should().ContainSingle().Which.Should().EndWith(" ERROR: shown");
    }

    [Fact]
    public void HostLifetimeMessages_AreSilenced()
    {
        var (factory, output) = Build(new NsqLookupOptions { LogLevel = LogLevel.Debug });
        var lifetime = factory.CreateLogger("Microsoft.Hosting.Lifetime");
        lifetime.LogInformation("Application started. Press Ctrl+C to shut down.");
        lifetime.LogCritical("even this");
        output.ToString().Should().BeEmpty();
    }

    [Fact] // docs/protocol.md, "Deliberate differences" item 9: one message is one line
    public void ControlCharacters_AreEscaped()
    {
        var (factory, output) = Build(new NsqLookupOptions());
        factory.CreateLogger("NsqLookup.X").LogInformation(
            "IDENTIFY Address:{Address}", "evil\n[nsqlookupd] 2026/01/01 00:00:00.000000 FATAL: fake\r\t\x1b[31m\x00\x7f\u0085\u2028ok\\");
        var text = output.ToString();
        Lines(output).Should().ContainSingle();
        text.Should().EndWith(
            "INFO: IDENTIFY Address:evil\\n[nsqlookupd] 2026/01/01 00:00:00.000000 FATAL: fake\\r\\t\\x1b[31m\\x00\\x7f\\u0085\\u2028ok\\\n");
    }

    [Fact]
    public void Escape_LeavesOrdinaryTextAlone()
    {
        const string plain = "DB: client(127.0.0.1:5) REGISTER category:topic key:t subkey: é ✓";
        GoLog.Escape(plain).Should().BeSameAs(plain);
    }

    [Fact]
    public void Exceptions_AppendTheirMessageOnTheSameLine()
    {
        var (factory, output) = Build(new NsqLookupOptions());
        factory.CreateLogger("NsqLookup.X").LogError(new IOException("broken\npipe"), "client(1.2.3.4:5)");
        Lines(output).Should().ContainSingle().Which.Should().EndWith("ERROR: client(1.2.3.4:5) - broken\\npipe");
    }

    [Fact]
    public void PreHostFatal_UsesTheFixedPrefix()
    {
        var time = new FakeTimeProvider(Noon);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        using var stderr = new StringWriter();
        GoLog.Fatal(stderr, "failed to load config file /nonexistent - open /nonexistent: no such file or directory", time);
        stderr.ToString().Should().Be(
            "[nsqlookupd] 2026/11/25 10:41:10.000000 FATAL: failed to load config file /nonexistent - open /nonexistent: no such file or directory\n");
        T118Line().IsMatch(stderr.ToString()).Should().BeTrue();
    }

    [Fact]
    public void StandardLoggerLine_HasNoPrefixAndNoMicroseconds()
    {
        var time = new FakeTimeProvider(Noon.AddSeconds(101));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        using var stderr = new StringWriter();
        GoLog.WriteStandardLoggerLine(stderr, "ERROR: Resolve failed to coerce value abc (45s) for field TombstoneLifetime", time);
        stderr.ToString().Should().Be("2026/11/25 10:42:51 ERROR: Resolve failed to coerce value abc (45s) for field TombstoneLifetime\n");
    }

    [Fact]
    public async Task ConcurrentWriters_NeverInterleaveLines()
    {
        var (factory, output) = Build(new NsqLookupOptions());
        // StringWriter is not thread-safe: only the sink's one writer thread keeps this intact
        var log = factory.CreateLogger("NsqLookup.X");
        var message = new string('x', 2000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
                log.LogInformation("{Message}", message);
        })));
        Lines(output).Should().HaveCount(1600).And.OnlyContain(l => T118Line().IsMatch(l) && l.EndsWith("INFO: " + message, StringComparison.Ordinal));
    }

    private sealed class ThrowingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => throw new InvalidOperationException("provider was not cleared");

        public void Dispose()
        {
        }
    }
}
