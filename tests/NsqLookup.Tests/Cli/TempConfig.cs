namespace NsqLookup.Tests.Cli;

/// <summary>A TOML file under the temp directory, deleted on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig(string toml)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nsqlookupd-test-{Guid.NewGuid():N}.toml");
        File.WriteAllText(Path, toml);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
