using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NsqLookup.Security;

/// <summary>
/// <c>--tcp-allow</c> and <c>--http-admin-allow</c>: the CIDR blocks a source address must fall in. Each configured
/// value may hold several entries separated by commas; the flags may also be repeated.
/// </summary>
internal sealed class CidrAllowList
{
    private readonly CidrBlock[] _blocks;

    private CidrAllowList(CidrBlock[] blocks) => _blocks = blocks;

    public IReadOnlyList<CidrBlock> Blocks => _blocks;

    /// <summary>Parses every entry of every value; fails on the first bad (or empty) entry.</summary>
    public static bool TryParse(IEnumerable<string> values, [NotNullWhen(true)] out CidrAllowList? list, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        list = null;
        var blocks = new List<CidrBlock>();
        foreach (var value in values)
        {
            foreach (var entry in value.Split(','))
            {
                if (string.IsNullOrWhiteSpace(entry))
                {
                    error = $"empty entry in \"{value}\" (expected CIDR[,CIDR...])";
                    return false;
                }

                if (!CidrBlock.TryParse(entry, out var block, out error))
                {
                    return false;
                }

                blocks.Add(block);
            }
        }

        list = new CidrAllowList([.. blocks]);
        error = null;
        return true;
    }

    /// <summary>Null when nothing is configured (the feature is off), else the parsed list; throws on a bad entry
    /// (the command line and config file have already reported those with their own wording).</summary>
    public static CidrAllowList? FromOptions(IReadOnlyList<string> values, string flag)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        return TryParse(values, out var list, out var error)
            ? list
            : throw new ArgumentException($"--{flag}: {error}", nameof(values));
    }

    /// <summary>True when <paramref name="address"/> falls in any block; an unknown address (null) never does.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        foreach (var block in _blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
