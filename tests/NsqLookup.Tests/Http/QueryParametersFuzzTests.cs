using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using NsqLookup.Http;

namespace NsqLookup.Tests.Http;

/// <summary>
/// Property-based tests of Go's <c>url.ParseQuery</c> semantics (docs/protocol.md, "Query strings"): any query string
/// parses without an exception and fails exactly when it holds a <c>;</c> or a malformed escape; encoded pairs
/// round-trip, first value wins.
/// </summary>
public sealed partial class QueryParametersFuzzTests
{
    // Letters, escapes-to-be, separators, multi-byte UTF-8 and an astral character (a surrogate pair).
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abz09 +&=%;#/?é€\u00a0"], 0, 12]
        .Select(Gen.Bool, (s, emoji) => emoji ? s + "\U0001F600" : s);

    [Fact]
    public void AnyQuery_ParsesOrFailsExactlyLikeGo()
    {
        Gen.OneOf(Gen.String, Gen.String[Gen.Char["%+&=;aZ09fF#/?é€ \u0000\uD800"], 0, 60]).Sample(query =>
        {
            var ok = QueryParameters.TryParse(query, out var parameters);
            ok.Should().Be(!query.Contains(';', StringComparison.Ordinal) && !BadEscape().IsMatch(query));
            if (ok)
            {
                parameters!.TryGet("topic", out _);
            }
        }, iter: 5000, threads: 1);
    }

    [Fact]
    public void EncodedPairs_RoundTripAndTheFirstValueWins()
    {
        var pair = Gen.Select(Text.Where(k => k.Length > 0), Text, Gen.Bool);
        pair.Array[0, 8].Sample(pairs =>
        {
            var query = string.Join("&", pairs.Select(p =>
                p.Item3 && p.Item2.Length == 0 ? Encode(p.Item1, p.Item3) : Encode(p.Item1, p.Item3) + "=" + Encode(p.Item2, !p.Item3)));
            QueryParameters.TryParse(query, out var parameters).Should().BeTrue(query);
            foreach (var (key, _, _) in pairs)
            {
                parameters!.TryGet(key, out var value).Should().BeTrue(query);
                value.Should().Be(pairs.First(p => p.Item1 == key).Item2, query);
            }

            parameters!.TryGet("\u0001absent", out _).Should().BeFalse();
        }, iter: 3000, threads: 1);
    }

    [Fact] // found by the property above: a lone high surrogate used to swallow the '%' after it
    public void ALoneSurrogate_DoesNotHideAMalformedEscape() =>
        QueryParameters.TryParse("topic=\uD800%zz", out _).Should().BeFalse();

    /// <summary>A reference encoder: unreserved ASCII as is, space as <c>+</c> or <c>%20</c>, everything else as UTF-8 <c>%XX</c>.</summary>
    private static string Encode(string s, bool plusForSpace)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else if (b == ' ' && plusForSpace)
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex("%(?![0-9A-Fa-f]{2})")]
    private static partial Regex BadEscape();
}
