using System.Text;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>A raw HTTP/1.1 answer: status, header lines exactly as sent (name casing kept), body bytes.</summary>
internal sealed record RawReply(int Status, IReadOnlyList<(string Name, string Value)> HeaderLines, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        HeaderLines.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public static RawReply Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        end.Should().BePositive("the answer must have a header section");
        var head = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new List<(string, string)>();
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon], line[(colon + 1)..].Trim()));
        }

        return new RawReply(status, headers, bytes[(end + 4)..]);
    }
}
