using System.Security.Cryptography;
using System.Text;
using NsqLookup.IntegrationTests.Infrastructure;

namespace NsqLookup.IntegrationTests.Deploy;

/// <summary>
/// Builds the repository's <c>Dockerfile</c> once for <see cref="ContainerImageTests"/>, as the README says: the native
/// binary from <c>dotnet publish -c Release -r linux-x64</c>, then <c>podman build</c>. No registry is reachable here, so
/// the base image, <c>debian:bookworm-slim</c>, is made from Debian's packages (<c>mmdebstrap</c>, slimmed as the
/// official image is, with libssl3 and ca-certificates) and <c>podman import</c>ed under that name; its tarball is cached
/// between runs. A <c>debian:bookworm-slim</c> that did not come from here (a pulled one) is used as it is.
/// </summary>
public sealed class ContainerImageFixture : IAsyncLifetime
{
    /// <summary>The mmdebstrap command line after the tool's name, less the output path. Part of the cache key.</summary>
    internal static readonly string[] BaseImageArgs =
    [
        "--variant=minbase", "--include=libssl3,ca-certificates",
        // merged /usr without the usrmerge package (which pulls in perl), as the official image has it
        "--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr",
        // the official slim image's dpkg filters: no documentation, manual pages or translations
        "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-include=/usr/share/doc/*/copyright",
        "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/info/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*", "--dpkgopt=path-include=/usr/share/locale/locale.alias",
        "--dpkgopt=path-exclude=/usr/share/lintian/*",
        "bookworm",
    ];

    public const string BaseImage = "debian:bookworm-slim";

    /// <summary>The label <c>podman import</c> puts on a base made here: the cache key it was made with.</summary>
    private const string BaseLabel = "org.nsqlookup.test-base";

    private static readonly TimeSpan CacheMaxAge = TimeSpan.FromDays(14);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nsqlookupd-image-" + Guid.NewGuid().ToString("N"));

    internal Podman Podman { get; private set; } = null!;

    /// <summary>The published native binary (also run outside the container by the tests).</summary>
    public string Binary { get; private set; } = "";

    /// <summary>The tag the image was built under (unique to this run, removed at the end).</summary>
    public string Image { get; } = "localhost/nsqlookup:test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Whether the base image was made here (then it holds exactly what <see cref="BaseImageArgs"/> installs).</summary>
    public bool BaseMadeHere { get; private set; }

    public string Log => _log.ToString();

    private readonly StringBuilder _log = new();

    public async Task InitializeAsync()
    {
        Podman = new Podman();
        Directory.CreateDirectory(_dir);

        // The README's publish command, into a context laid out as the Dockerfile expects (out/nsqlookupd). Its own
        // artifacts folder: NativeAotTests publishes the same project at the same time into the default obj/.
        var context = Path.Combine(_dir, "context");
        var project = Path.Combine(RepoPaths.Root, "src", "NsqLookup", "NsqLookup.csproj");
        var publish = await ProcessRunner.RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(context, "out"),
             "--artifacts-path", Path.Combine(_dir, "artifacts"), "-nologo"],
            RepoPaths.Root, TimeSpan.FromMinutes(8));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish failed: " + publish.StdOut + publish.StdErr);
        }

        Binary = Path.Combine(context, "out", "nsqlookupd");
        await EnsureBaseImageAsync();

        var build = await Podman.RunAsync(TimeSpan.FromMinutes(5),
            "build", "-f", Path.Combine(RepoPaths.Root, "Dockerfile"), "-t", Image, context);
        _log.AppendLine(build.StdOut).AppendLine(build.StdErr);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("podman build failed: " + build.StdErr + build.StdOut);
        }
    }

    public async Task DisposeAsync()
    {
        if (Podman is not null)
        {
            await Podman.RunAsync(TimeSpan.FromMinutes(1), "rmi", "--force", Image);
            Podman.Dispose();
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task EnsureBaseImageAsync()
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', BaseImageArgs))))[..16];
        var present = await Podman.RunAsync(TimeSpan.FromMinutes(1),
            "image", "inspect", "--format", "{{index .Labels \"" + BaseLabel + "\"}}", BaseImage);
        var label = present.ExitCode == 0 ? present.StdOut.Trim() : null;
        if (label is not null && (label == key || label.Length == 0 || label == "<no value>"))
        {
            // Made here with these arguments, or not made here at all (a pulled image): used as it is.
            BaseMadeHere = label == key;
            _log.AppendLine($"{BaseImage}: present ({(BaseMadeHere ? "made here" : "not made here")})");
            return;
        }

        var tarball = Path.Combine(CacheDirectory(), $"debian-bookworm-slim-{key}.tar");
        if (!File.Exists(tarball) || DateTime.UtcNow - File.GetLastWriteTimeUtc(tarball) > CacheMaxAge)
        {
            if (Podman.Find("mmdebstrap") is null)
            {
                throw new InvalidOperationException(
                    $"{BaseImage} is not in podman's storage and mmdebstrap is not installed to make it (apt-get install mmdebstrap; .ci/run does)");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(tarball)!);
            var partial = tarball + "." + Guid.NewGuid().ToString("N") + ".partial.tar";
            var made = await ProcessRunner.RunAsync("mmdebstrap", [.. BaseImageArgs, partial], null, TimeSpan.FromMinutes(8));
            _log.AppendLine(made.StdErr);
            if (made.ExitCode != 0)
            {
                File.Delete(partial);
                throw new InvalidOperationException("mmdebstrap failed: " + made.StdErr);
            }

            File.Move(partial, tarball, overwrite: true);
        }

        await Podman.CheckAsync(TimeSpan.FromMinutes(3), "import", "--change", $"LABEL {BaseLabel}={key}", tarball, BaseImage);
        BaseMadeHere = true;
        _log.AppendLine($"{BaseImage}: imported from {tarball}");
    }

    /// <summary>$XDG_CACHE_HOME/nsqlookup-tests, else /var/cache/nsqlookup-tests for root, else ~/.cache/nsqlookup-tests.</summary>
    private static string CacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            return Path.Combine(xdg, "nsqlookup-tests");
        }

        return Environment.UserName == "root"
            ? "/var/cache/nsqlookup-tests"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nsqlookup-tests");
    }
}
