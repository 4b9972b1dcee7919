using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NsqLookup.LoadTool;

/// <summary>Medians over several runs as the Markdown of <c>bench/RESULTS.md</c>, next to the issue's targets.</summary>
internal static class Report
{
    public static int Run(string[] args, TextWriter output)
    {
        string? commit = null, outPath = null, build = null;
        var header = true;
        var runs = new List<RunResult>();
        foreach (var arg in args)
        {
            if (arg.StartsWith("--commit=", StringComparison.Ordinal))
            {
                commit = arg["--commit=".Length..];
            }
            else if (arg.StartsWith("--build=", StringComparison.Ordinal))
            {
                build = arg["--build=".Length..];
            }
            else if (arg == "--no-header")
            {
                header = false;
            }
            else if (arg.StartsWith("--out=", StringComparison.Ordinal))
            {
                outPath = arg["--out=".Length..];
            }
            else
            {
                runs.Add(JsonSerializer.Deserialize(File.ReadAllText(arg), ResultsJsonContext.Default.RunResult)
                    ?? throw new ArgumentException($"{arg}: empty"));
            }
        }

        if (runs.Count == 0)
        {
            throw new ArgumentException("report needs at least one run JSON file");
        }

        var markdown = Markdown(runs, commit, machine: header, build);
        if (outPath is null)
        {
            output.Write(markdown);
        }
        else
        {
            File.WriteAllText(outPath, markdown);
        }

        return 0;
    }

    public static string Markdown(IReadOnlyList<RunResult> measured, string? commit, bool machine, string? build = null)
    {
        var c = measured[0].Config;
        var scenarios = measured[0].Http.Select(h => h.Name).ToList();
        var validity = new List<string>();
        var runs = measured.Select((r, i) => Valid(r, i + 1, validity)).ToList();
        var md = new StringBuilder();
        void Line(string s = "")
        {
            // In a section without the header (a partial comparison), measurements it did not make are left out.
            if (machine || !(s.StartsWith("| ", StringComparison.Ordinal) || s.StartsWith("- ", StringComparison.Ordinal)) || !s.Contains("n/a", StringComparison.Ordinal))
            {
                md.Append(s).Append('\n');
            }
        }

        string Med(Func<RunResult, double?> f, string format = "0.##")
        {
            var values = runs.Select(f).OfType<double>().Order().ToArray();
            return values.Length == 0 ? "n/a" : values[values.Length / 2].ToString(format, CultureInfo.InvariantCulture);
        }

        string Verdict(Func<RunResult, double?> f, Func<double, bool> ok)
        {
            var values = runs.Select(f).OfType<double>().Order().ToArray();
            return values.Length == 0 ? "n/a" : ok(values[values.Length / 2]) ? "met" : "**missed**";
        }

        if (machine)
        {
            Line("# Benchmark results");
            Line();
            Line($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Line($"- commit measured: `{commit ?? "unknown"}`");
            Line($"- machine: {Environment.ProcessorCount} cores (`nproc`), {CpuModel()}, {Environment.OSVersion}, .NET {Environment.Version}");
            Line($"- daemon pinned to core 1 (`taskset -c 1`), load tool to core 0; `--log-level=warn`; {build ?? "Release build"}");
            Line($"- {runs.Count} runs, each on a fresh daemon; every number is the **median over the runs that measured it validly** (upper median of two; per-run values in `bench/results/`)");
            Line();
        }

        Line($"Load: {c.Producers} producers × {c.Topics} topics × {c.Channels} channels = {c.Keys:N0} keys, {c.Entries:N0} producer entries; " +
             $"HTTP scenarios {c.DurationSeconds:0.#} s each at concurrency {c.Concurrency} ({c.Client} client); PING every {c.PingIntervalSeconds:0.#} s; " +
             (c.CoalesceWrites ? "each command sent in **one write** (not what nsqd does)." : "every command piece its own write, as nsqd sends them."));
        Line();
        if (scenarios.Count > 0)
        {
            Line("| scenario | workers | req/s | p50 ms | p99 ms | max ms | server CPU µs/op | server RSS MiB | errors |");
            Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        }

        foreach (var name in scenarios)
        {
            HttpResult? H(RunResult r) => r.Http.FirstOrDefault(h => h.Name == name);
            Line($"| `{name}` | {Med(r => H(r)?.Concurrency, "0")} | {Med(r => H(r)?.RequestsPerSecond, "0")} | {Med(r => H(r)?.Latency.P50Ms, "0.###")} | " +
                 $"{Med(r => H(r)?.Latency.P99Ms, "0.###")} | {Med(r => H(r)?.Latency.MaxMs, "0.###")} | " +
                 $"{Med(r => H(r)?.ServerCpuMicrosPerRequest, "0.#")} | {Med(r => H(r)?.RssBytes / 1048576.0, "0.#")} | {Med(r => H(r)?.Errors, "0")} |");
        }

        Line();
        Line("| measurement | median | target | verdict |");
        Line("| --- | ---: | --- | --- |");
        double? Http(RunResult r, string name, Func<HttpResult, double?> f) => r.Http.FirstOrDefault(h => h.Name == name) is { } h ? f(h) : null;
        Line($"| `/lookup` req/s | {Med(r => Http(r, "lookup", h => h.RequestsPerSecond), "0")} | ≥ 30,000 | {Verdict(r => Http(r, "lookup", h => h.RequestsPerSecond), v => v >= 30_000)} |");
        Line($"| `/lookup` p99 | {Med(r => Http(r, "lookup", h => h.Latency.P99Ms), "0.###")} ms | ≤ 5 ms | {Verdict(r => Http(r, "lookup", h => h.Latency.P99Ms), v => v <= 5)} |");
        Line($"| `/topics` req/s | {Med(r => Http(r, "topics", h => h.RequestsPerSecond), "0")} | ≥ 20,000 | {Verdict(r => Http(r, "topics", h => h.RequestsPerSecond), v => v >= 20_000)} |");
        Line($"| `/nodes` per request (p50, one client) | {Med(r => Http(r, "nodes-single", h => h.Latency.P50Ms), "0.##")} ms | ≤ 20 ms | {Verdict(r => Http(r, "nodes-single", h => h.Latency.P50Ms), v => v <= 20)} |");
        Line($"| `/nodes` server CPU per request | {Med(r => Http(r, "nodes", h => h.ServerCpuMicrosPerRequest / 1000), "0.##")} ms | ≤ 20 ms | {Verdict(r => Http(r, "nodes", h => h.ServerCpuMicrosPerRequest / 1000), v => v <= 20)} |");
        Line($"| load {c.Producers * (long)c.Topics * (1 + c.Channels):N0} REGISTERs over {c.Producers} connections | {Med(r => r.Registration?.Seconds, "0.##")} s | ≤ 10 s | {Verdict(r => r.Registration?.Seconds, v => v <= 10)} |");
        Line($"| REGISTER p99 while `/nodes` runs flat out | {Med(r => r.Mixed is { Register.Count: > 0 } m ? m.Register.P99Ms : null, "0.###")} ms | ≤ 5 ms | {Verdict(r => r.Mixed is { Register.Count: > 0 } m ? m.Register.P99Ms : null, v => v <= 5)} |");
        Line($"| fresh producers that could not even IDENTIFY within nsqd's 1 s while `/nodes` runs flat out | {Med(r => r.Mixed?.IdentifyFailures, "0")} | 0 | {Verdict(r => r.Mixed?.IdentifyFailures, v => v == 0)} |");
        // A run whose producers were all gone before the disconnect (older tool versions did not reconnect them) has
        // nothing to measure.
        double? DisconnectMs(RunResult r) => r.Disconnect is { ProducersBefore: > 0 } d ? d.Milliseconds : null;
        Line($"| all producers gone from `/nodes` after disconnect | {Med(DisconnectMs, "0.#")} ms | ≤ 100 ms | {Verdict(DisconnectMs, v => v <= 100)} |");
        double? Dropped(RunResult r) => r.DroppedBefore is { } d ? d.Values.Sum() : r.Disconnect?.PeersDropped;
        Line($"| producer connections dropped by nsqd's 1 s deadline (PING or REGISTER) during the HTTP and mixed scenarios | {Med(Dropped, "0")} | 0 | {Verdict(Dropped, v => v == 0)} |");
        Line($"| memory per producer entry | {Med(r => r.Registration?.BytesPerEntry, "0")} B | ≤ 100 B | {Verdict(r => r.Registration?.BytesPerEntry, v => v <= 100)} |");
        Line();
        Line("Details (medians):");
        Line();
        md.Append("- Validity: " + (validity.Count == 0
            ? "every run kept all its producers registered through every scenario."
            : "left out of the medians (\"n/a\" where no run is left): " + string.Join("; ", validity) + ".")).Append('\n');
        Line($"- registration load: {Med(r => r.Registration?.RegistersPerSecond, "0")} REGISTER/s; round trip p50 {Med(r => r.Registration?.RoundTrip.P50Ms, "0.###")} ms, " +
             $"p99 {Med(r => r.Registration?.RoundTrip.P99Ms, "0.###")} ms, max {Med(r => r.Registration?.RoundTrip.MaxMs, "0.###")} ms; " +
             $"server CPU {Med(r => r.Registration?.ServerCpuMicrosPerRegister, "0.#")} µs per REGISTER; " +
             $"cores busy while loading: load tool {Med(r => r.Registration?.ToolCores, "0.00")}, server {Med(r => r.Registration?.ServerCores, "0.00")}; errors {Med(r => r.Registration?.Errors, "0")}; " +
             $"after loading, /lookup showed {Med(r => r.Registration?.TopicsFullyRegistered, "0")} of {c.Topics} topics with every producer and channel, /nodes {Med(r => r.Registration?.NodesVisible, "0")} producers");
        Line($"- server RSS: idle {Med(r => r.Registration?.RssIdleBytes / 1048576.0, "0.#")} MiB, {c.Producers} producers identified {Med(r => r.Registration?.RssConnectedBytes / 1048576.0, "0.#")} MiB, " +
             $"loaded {Med(r => r.Registration?.RssLoadedBytes / 1048576.0, "0.#")} MiB; bytes per entry = (loaded − idle) / {c.Entries:N0} entries " +
             $"(connection buffers included; from the identified baseline: {Med(r => (r.Registration?.RssLoadedBytes - r.Registration?.RssConnectedBytes) / (double)c.Entries, "0")} B)");
        Line($"- mixed: {Med(r => r.Mixed?.Register.Count, "0")} REGISTERs from {c.MixedProducers} fresh producers, p50 {Med(r => r.Mixed?.Register.P50Ms, "0.###")} ms, " +
             $"max {Med(r => r.Mixed?.Register.MaxMs, "0.###")} ms; {Med(r => r.Mixed?.RegisterTimeouts, "0")} missed nsqd's 1 s deadline (counted as 1 s, a lower bound), " +
             $"{Med(r => r.Mixed?.IdentifyFailures, "0")} connect/IDENTIFY attempts failed or missed it, other errors {Med(r => r.Mixed?.RegisterErrors, "0")} (nsqd drops the connection on each and reconnects; so does the tool); meanwhile `/nodes` ran at {Med(r => r.Mixed?.Nodes.RequestsPerSecond, "0")} req/s, " +
             $"p99 {Med(r => r.Mixed?.Nodes.Latency.P99Ms, "0.##")} ms");
        if (measured.Any(r => r.DroppedBefore is not null || r.Disconnect is not null))
        {
            Line("- producer connections that failed (a missed 1 s nsqd deadline) and were reconnected and replayed before each scenario, per run: " +
             string.Join("; ", measured.Select(r => r.DroppedBefore is { } d
                 ? string.Join(", ", d.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} before {kv.Key}")) is { Length: > 0 } text ? text : "none"
                 : $"{r.Disconnect?.PeersDropped} before the disconnect (older tool: not restored before the other scenarios)")));
        }

        Line($"- disconnect: {Med(r => r.Disconnect?.ProducersBefore, "0")} producers before; `/nodes` polled back to back ({Med(r => r.Disconnect?.Polls, "0")} polls); " +
             $"the figure is when the first empty answer arrived, an upper bound; the last non-empty answer arrived at {Med(r => r.Disconnect?.LastNonEmptyMilliseconds, "0.#")} ms (0 = none)");
        return md.ToString();
    }

    /// <summary>
    /// The run with every figure removed that was not measured with all producers registered: a producer whose PING
    /// or REGISTER missed nsqd's 1 s deadline is dropped by the simulated nsqd (and by the daemon), which empties
    /// /nodes and makes /nodes and the mixed scenario meaningless until it is replayed.
    /// </summary>
    private static RunResult Valid(RunResult r, int run, List<string> notes)
    {
        if (r.Registration is { Errors: > 0 } reg)
        {
            notes.Add($"run {run}: everything, loading included ({reg.Errors} of {r.Config.Producers} producers were dropped by a missed 1 s deadline " +
                      $"while loading, after {reg.Registers:N0} of {r.Config.Producers * (long)r.Config.Topics * (1 + r.Config.Channels):N0} REGISTERs)");
            return r with { Registration = null, Http = [], Mixed = null, Disconnect = null };
        }

        var invalid = new HashSet<string>();
        if (r.DroppedBefore is { } dropped)
        {
            // Drops counted before a scenario happened during the one before it.
            var order = r.Http.Select(h => h.Name).Append("mixed").Append("disconnect").ToList();
            for (var i = 1; i < order.Count; i++)
            {
                if (dropped.TryGetValue(order[i], out var n) && n > 0)
                {
                    invalid.Add(order[i - 1]);
                }
            }
        }
        else if (r.Disconnect is { PeersDropped: > 0 })
        {
            // Older tool: producers were not restored between scenarios; they dropped during /nodes load.
            invalid.UnionWith(["nodes", "nodes-single", "mixed"]);
        }

        if (r.Disconnect is { ProducersBefore: 0 })
        {
            invalid.Add("disconnect");
        }

        if (invalid.Count == 0)
        {
            return r;
        }

        notes.Add($"run {run}: {string.Join(", ", invalid.Order())} (producers dropped by a missed 1 s deadline)");
        return r with
        {
            Http = r.Http.Where(h => !invalid.Contains(h.Name)).ToList(),
            Mixed = invalid.Contains("mixed") ? null : r.Mixed,
            Disconnect = invalid.Contains("disconnect") ? null : r.Disconnect,
        };
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
