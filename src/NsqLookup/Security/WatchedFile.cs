namespace NsqLookup.Security;

/// <summary>
/// How the token file and the TLS pair are watched: by what they hold, read through every link. A file is opened
/// by its path, so the kernel follows the whole chain of symbolic links (a Kubernetes Secret volume is
/// <c>token -&gt; ..data/token</c>, <c>..data -&gt; ..2026_12_08_…</c>, and an update swaps only <c>..data</c>), and
/// its bytes are compared with the bytes last taken. Size and modification time are not consulted: on a link they
/// describe the link, and a rewrite can keep both (<c>cp -p</c>, <c>rsync -t</c>, <c>tar x</c>). These files are
/// small and looked at no more than once a second, so reading them whole costs less than a request does.
/// </summary>
internal static class WatchedFile
{
    /// <summary>Files larger than this are not a token or a PEM pair; reading stops there.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The file's bytes, or false and why not (the error wording is the operator's: "no such file").</summary>
    public static bool TryRead(string path, out byte[] content, out string error)
    {
        content = [];
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = file.Read(chunk)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    error = $"the file is larger than {MaxBytes} bytes";
                    return false;
                }

                buffer.Write(chunk, 0, read);
            }

            content = buffer.ToArray();
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            return false;
        }
    }

    /// <summary>Where <paramref name="path"/> leads once every link in it is followed (for log lines: a rotation
    /// names the directory it now reads from); the path itself when that cannot be worked out.</summary>
    public static string Resolve(string path)
    {
        try
        {
            var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
            var resolved = "/";
            for (var hops = 0; pending.Count > 0;)
            {
                var part = pending.Pop();
                if (part == ".")
                {
                    continue;
                }

                if (part == "..")
                {
                    resolved = Path.GetDirectoryName(resolved) ?? "/";
                    continue;
                }

                var next = Path.Join(resolved, part);
                var target = new FileInfo(next).LinkTarget;
                if (target is null)
                {
                    resolved = next;
                    continue;
                }

                if (++hops > 40)
                {
                    return path;
                }

                // The target is read relative to the link's directory, or from the root when absolute.
                if (target.StartsWith('/'))
                {
                    resolved = "/";
                }

                foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(piece);
                }
            }

            return resolved;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return path;
        }
    }
}
