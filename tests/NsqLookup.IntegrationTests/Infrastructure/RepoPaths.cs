namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>Locates the repository (the folder holding NsqLookup.sln) from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Spec(params string[] parts) =>
        Path.GetFullPath(Path.Combine([Root, "..", "shared", "spec", .. parts]));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NsqLookup.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"NsqLookup.sln not found above {AppContext.BaseDirectory}");
    }
}
