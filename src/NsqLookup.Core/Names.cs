namespace NsqLookup;

/// <summary>
/// Topic and channel name rules (internal/protocol/names.go): 1–64 bytes matching
/// <c>^[.a-zA-Z0-9_-]+(#ephemeral)?$</c>; the suffix counts toward the 64.
/// </summary>
internal static class Names
{
    public const int MaxLength = 64;
    public const string EphemeralSuffix = "#ephemeral";

    public static bool IsValid(string name) => IsValid(name.AsSpan());

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.Length is < 1 or > MaxLength)
        {
            return false;
        }

        if (name.EndsWith(EphemeralSuffix, StringComparison.Ordinal))
        {
            name = name[..^EphemeralSuffix.Length];
            if (name.IsEmpty)
            {
                return false;
            }
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValid(ReadOnlySpan<byte> name)
    {
        if (name.Length is < 1 or > MaxLength)
        {
            return false;
        }

        if (name.EndsWith("#ephemeral"u8))
        {
            name = name[..^EphemeralSuffix.Length];
            if (name.IsEmpty)
            {
                return false;
            }
        }

        foreach (var b in name)
        {
            if (!IsNameChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsEphemeral(string name) => name.EndsWith(EphemeralSuffix, StringComparison.Ordinal);

    private static bool IsNameChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
