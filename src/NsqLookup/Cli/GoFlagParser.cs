namespace NsqLookup.Cli;

/// <summary>
/// Go's <c>flag.FlagSet.Parse</c> (flag.go parseOne), hand-rolled: System.CommandLine cannot reproduce Go's syntax
/// (<c>-name</c> ≡ <c>--name</c>, <c>-bool=false</c>, stop at the first non-flag) nor its error texts, and
/// deployment scripts depend on both.
/// </summary>
internal sealed class GoFlagParser
{
    private readonly Dictionary<string, GoFlag> _flags;
    private readonly Action<TextWriter> _usage;
    private readonly HashSet<string> _actual = new(StringComparer.Ordinal);

    public GoFlagParser(IEnumerable<GoFlag> flags, Action<TextWriter> usage)
    {
        _flags = flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _usage = usage;
    }

    /// <summary>Names (without dashes) of the flags given on the command line, like Go's <c>FlagSet.Visit</c>.</summary>
    public IReadOnlySet<string> Actual => _actual;

    /// <summary>Arguments left after the flags (Go's <c>FlagSet.Args()</c>); nsqlookupd ignores them.</summary>
    public IReadOnlyList<string> Remaining { get; private set; } = [];

    public GoFlagParseOutcome Parse(IReadOnlyList<string> args, TextWriter stderr)
    {
        var i = 0;
        while (i < args.Count)
        {
            var s = args[i];
            if (s.Length < 2 || s[0] != '-')
                break; // first non-flag (a lone "-" included) ends the flags

            var dashes = 1;
            if (s[1] == '-')
            {
                dashes = 2;
                if (s.Length == 2)
                {
                    i++; // "--" terminates the flags and is consumed
                    break;
                }
            }

            var name = s[dashes..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
                return Fail(stderr, $"bad flag syntax: {s}");

            i++;
            string? value = null;
            var eq = name.IndexOf('=', 1);
            if (eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!_flags.TryGetValue(name, out var flag))
            {
                if (name is "help" or "h")
                {
                    _usage(stderr);
                    return GoFlagParseOutcome.Help;
                }

                return Fail(stderr, $"flag provided but not defined: -{name}");
            }

            if (flag.IsBool)
            {
                if (flag.Set(value ?? "true") is { } boolError)
                {
                    return Fail(stderr, value is null
                        ? $"invalid boolean flag {name}: {boolError}"
                        : $"invalid boolean value {GoQuote.Quote(value)} for -{name}: {boolError}");
                }
            }
            else
            {
                if (value is null && i < args.Count)
                    value = args[i++];
                if (value is null)
                    return Fail(stderr, $"flag needs an argument: -{name}");
                if (flag.Set(value) is { } error)
                    return Fail(stderr, $"invalid value {GoQuote.Quote(value)} for flag -{name}: {error}");
            }

            _actual.Add(name);
        }

        Remaining = args.Skip(i).ToArray();
        return GoFlagParseOutcome.Ok;
    }

    private GoFlagParseOutcome Fail(TextWriter stderr, string message)
    {
        stderr.Write(message + "\n");
        _usage(stderr);
        return GoFlagParseOutcome.Error;
    }

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
