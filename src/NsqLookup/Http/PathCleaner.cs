namespace NsqLookup.Http;

/// <summary>httprouter v1.3.0 <c>CleanPath</c>: one leading slash, no empty, <c>.</c> or <c>..</c> segments,
/// and a trailing slash kept if the input had one (or ended in <c>/.</c>).</summary>
internal static class PathCleaner
{
    public static string Clean(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "/";
        }

        var trailing = path.Length > 1 && path[^1] == '/';
        var segments = new List<string>();
        var rest = path.AsSpan();
        while (!rest.IsEmpty)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            var last = slash < 0;
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (segment is ".")
            {
                trailing |= last;
            }
            else if (segment is "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else
            {
                segments.Add(segment.ToString());
            }
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        var cleaned = "/" + string.Join('/', segments);
        return trailing ? cleaned + "/" : cleaned;
    }
}
