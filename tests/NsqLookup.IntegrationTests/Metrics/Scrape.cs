using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NsqLookup.IntegrationTests.Infrastructure;
using NsqLookup.Prometheus;

namespace NsqLookup.IntegrationTests.Metrics;

/// <summary>One parsed <c>/metrics</c> answer (Prometheus text format 0.0.4): samples by name and label set.</summary>
internal sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"'{line}' is a sample line");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = label.Groups[2].Value;
            }

            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            _samples.Add((match.Groups["name"].Value, labels, value));
        }
    }

    public string Text { get; }

    public static Scrape Parse(string text) => new(text);

    /// <summary>The daemon's metrics as <c>GET /metrics</c> answers them, read in-process (some tests hold every HTTP
    /// connection the daemon allows).</summary>
    public static Scrape Of(TestDaemon daemon) =>
        new(daemon.App.Services.GetRequiredService<MetricsCollector>().Scrape(openMetrics: false));

    /// <summary>The value of the sample with exactly these labels, or null when there is none.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        foreach (var sample in _samples)
        {
            if (sample.Name == name && sample.Labels.Count == labels.Length
                && labels.All(l => sample.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                return sample.Value;
            }
        }

        return null;
    }

    /// <summary>The <c>le</c> labels of a histogram's buckets for one route, in order.</summary>
    public string[] Buckets(string name, string route) =>
        [.. _samples.Where(s => s.Name == name + "_bucket" && s.Labels.GetValueOrDefault("route") == route).Select(s => s.Labels["le"])];

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)(?: \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();
}
