using System.Globalization;
using System.Text;

namespace NsqLookup.Prometheus;

/// <summary>The tag values of one measurement, compared without allocating: up to three inline, more in an array.</summary>
internal readonly struct SeriesKey : IEquatable<SeriesKey>
{
    private readonly int _count;
    private readonly KeyValuePair<string, object?> _a;
    private readonly KeyValuePair<string, object?> _b;
    private readonly KeyValuePair<string, object?> _c;
    private readonly KeyValuePair<string, object?>[]? _more;

    public SeriesKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        if (tags.Length > 3)
        {
            _more = tags.ToArray();
            return;
        }

        if (tags.Length > 0) _a = tags[0];
        if (tags.Length > 1) _b = tags[1];
        if (tags.Length > 2) _c = tags[2];
    }

    private SeriesKey(int count, KeyValuePair<string, object?> a, KeyValuePair<string, object?> b, KeyValuePair<string, object?> c, KeyValuePair<string, object?>[]? more)
    {
        _count = count;
        _a = a;
        _b = b;
        _c = c;
        _more = more;
    }

    /// <summary>A copy whose values are strings, so a later change to a tag object cannot change the key.</summary>
    public SeriesKey Detach() => new(_count, Text(_a), Text(_b), Text(_c), _more?.Select(Text).ToArray());

    /// <summary>The label block (<c>route="/ping",status="200"</c>), without braces.</summary>
    public string Labels()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _count; i++)
        {
            var tag = At(i);
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(PrometheusNames.Label(tag.Key)).Append("=\"");
            PrometheusNames.AppendEscaped(text, Format(tag.Value));
            text.Append('"');
        }

        return text.ToString();
    }

    public bool Equals(SeriesKey other)
    {
        if (_count != other._count)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            KeyValuePair<string, object?> x = At(i), y = other.At(i);
            if (!string.Equals(x.Key, y.Key, StringComparison.Ordinal) || !string.Equals(Format(x.Value), Format(y.Value), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _count; i++)
        {
            var tag = At(i);
            hash.Add(tag.Key, StringComparer.Ordinal);
            hash.Add(Format(tag.Value), StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static KeyValuePair<string, object?> Text(KeyValuePair<string, object?> tag) => new(tag.Key, Format(tag.Value));

    // Tag values are strings here (routes, statuses, commands, GC generations); anything else by its invariant text.
    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private KeyValuePair<string, object?> At(int i) => _more is { } more ? more[i] : i switch { 0 => _a, 1 => _b, _ => _c };
}
