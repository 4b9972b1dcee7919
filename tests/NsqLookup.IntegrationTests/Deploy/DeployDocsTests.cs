using System.Text.RegularExpressions;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Deploy;

/// <summary>The Kubernetes manifest names the image the README's build command tags, and the Dockerfile's own
/// instructions say the same.</summary>
public sealed partial class DeployDocsTests
{
    [Fact]
    public void KubernetesManifest_NamesTheImageTheReadmeBuilds()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var built = BuildTag().Matches(readme).Select(m => m.Groups["tag"].Value).Distinct().ToList();
        built.Should().ContainSingle("the README builds one image name");

        var manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "kubernetes", "nsqlookupd.yaml"));
        ImageLine().Matches(manifest).Select(m => m.Groups["image"].Value).Should().Equal(built);

        var dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));
        BuildTag().Matches(dockerfile).Select(m => m.Groups["tag"].Value).Distinct().Should().Equal(built);
    }

    [GeneratedRegex(@"(?:podman|docker) build -t (?<tag>\S+) \.")]
    private static partial Regex BuildTag();

    [GeneratedRegex(@"^\s+image: (?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}
