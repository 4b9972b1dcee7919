namespace NsqLookup.IntegrationTests.Infrastructure;

/// <summary>Locates the repository (the folder holding NsqLookup.sln) from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file of <c>tests/fixtures</c>, which the csproj copies next to the test assembly.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

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
