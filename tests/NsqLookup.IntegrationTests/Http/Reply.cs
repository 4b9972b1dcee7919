using System.Text;

namespace NsqLookup.IntegrationTests.Http;

/// <summary>An HttpClient answer, read completely: status, all headers (content headers included), body bytes.</summary>
internal sealed record Reply(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public static async Task<Reply> FromAsync(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        return new Reply((int)response.StatusCode, headers, body);
    }
}
