using System.Text;
using NsqLookup.Logging;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace NsqLookup.Cli;

/// <summary>
/// <c>--config=&lt;path&gt;</c> (apps/nsqlookupd/main.go, options.go and go-options' <c>Resolve</c>): a TOML file whose
/// keys are the flag names with <c>-</c> → <c>_</c>. A flag given on the command line beats the file, the file beats
/// the default (docs/protocol.md, "Command line and config file"). Unknown keys (and <c>config</c>, <c>version</c>,
/// <c>verbose</c>) are ignored.
/// </summary>
internal static partial class ConfigFile
{
    // go-options walks nsqlookupd.Options in field order and stops at the first failure; our additions come last.
    private static readonly (string Flag, string GoField)[] Fields =
    [
        ("log-level", "LogLevel"),
        ("log-prefix", "LogPrefix"),
        ("tcp-address", "TCPAddress"),
        ("http-address", "HTTPAddress"),
        ("broadcast-address", "BroadcastAddress"),
        ("inactive-producer-timeout", "InactiveProducerTimeout"),
        ("tombstone-lifetime", "TombstoneLifetime"),
        ("log-format", "LogFormat"),
        ("quiet-pings", "QuietPings"),
        ("prune-empty-keys-after", "PruneEmptyKeysAfter"),
        ("shutdown-timeout", "ShutdownTimeout"),
        ("tcp-allow", "TCPAllow"),
        ("http-admin-allow", "HTTPAdminAllow"),
        ("http-admin-token-file", "HTTPAdminTokenFile"),
        ("https-address", "HTTPSAddress"),
        ("tls-cert", "TLSCert"),
        ("tls-key", "TLSKey"),
        ("tls-client-ca", "TLSClientCA"),
        ("data-path", "DataPath"),
        ("http-max-connections", "HTTPMaxConnections"),
    ];

    /// <summary>
    /// Merges the config file (if any) into the command line's options. Returns 1 after printing the original's
    /// error line when the file cannot be loaded or a value is unusable, or null with <paramref name="options"/> set.
    /// </summary>
    public static int? TryResolve(CommandLineResult parsed, TextWriter stderr, out NsqLookupOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(stderr);
        options = parsed.Options;
        if (parsed.ConfigPath is not { } path)
            return null;

        if (!TryLoad(path, out var table, out var loadError))
        {
            GoLog.Fatal(stderr, $"failed to load config file {path} - {loadError}", time);
            return 1;
        }

        // config.Validate(): log_level is checked even when --log-level is given (any non-string fails, as "%v" of it
        // names no level). log_format, our addition, is checked the same way.
        if (table.TryGetValue("log_level", out var level) && !(level is string l && GoLogLevel.TryParse(l, out _)))
        {
            GoLog.Fatal(stderr, $"failed parsing log_level {GoValue.Format(level)}", time);
            return 1;
        }

        if (table.TryGetValue("log_format", out var format) && !(format is string f && LogFormats.TryParse(f, out _)))
        {
            GoLog.Fatal(stderr, $"failed parsing log_format {GoValue.Format(format)}", time);
            return 1;
        }

        foreach (var (flag, goField) in Fields)
        {
            var key = flag.Replace('-', '_');
            if (parsed.ExplicitFlags.Contains(flag) || !table.TryGetValue(key, out var value))
                continue;

            switch (Apply(flag, value, ref options))
            {
                case { IsTypeError: true } typeError:
                    // Unlike the original, which turns e.g. 4160 into "%!s(int64=4160)" and carries on
                    // (docs/protocol.md, "Deliberate differences" item 7).
                    GoLog.Fatal(stderr, $"failed parsing {key} {GoValue.Format(value)} - {typeError.Message}", time);
                    return 1;
                case { } coerceError:
                    // go-options: log.Fatalf on Go's default logger (no prefix, no microseconds), exit 1.
                    GoLog.WriteStandardLoggerLine(
                        stderr,
                        $"ERROR: Resolve failed to coerce value {GoValue.Format(value)} ({Current(flag, options)}) for field {goField} - {coerceError.Message}",
                        time);
                    return 1;
            }
        }

        return null;
    }

    /// <summary>Reads and parses the file; <paramref name="error"/> is worded like Go's where the cause is the same.</summary>
    internal static bool TryLoad(string path, out TomlTable table, out string error)
    {
        table = [];
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"open {path}: no such file or directory";
            return false;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            error = $"read {path}: is a directory";
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            error = $"open {path}: permission denied";
            return false;
        }
        catch (DecoderFallbackException)
        {
            error = "toml: invalid UTF-8 byte sequence";
            return false;
        }
        catch (IOException ex)
        {
            error = $"open {path}: {ex.Message}";
            return false;
        }

        return TryParse(text, out table, out error);
    }

    internal static bool TryParse(string text, out TomlTable table, out string error)
    {
        table = [];

        // Parse and validate (duplicate keys, redefined tables, …) first: its diagnostics carry a clean message and
        // position, where the deserializer wraps them in converter noise. BurntSushi/toml's wording ("toml: line 3
        // (last key "x"): …") cannot be reproduced; the shape "toml: line N: <what>" is kept.
        var document = SyntaxParser.Parse(text, sourceName: null, validate: true);
        foreach (var diagnostic in document.Diagnostics)
        {
            if (diagnostic.Kind == DiagnosticMessageKind.Error)
            {
                error = $"toml: line {diagnostic.Span.Start.Line + 1}: {diagnostic.Message}";
                return false;
            }
        }

        try
        {
            table = TomlSerializer.Deserialize(text, ConfigTomlContext.Default.TomlTable) ?? [];
            error = "";
            return true;
        }
        catch (TomlException ex)
        {
            error = ex.Line is { } line ? $"toml: line {line}: {ex.Message}" : $"toml: {ex.Message}";
            return false;
        }
    }

    private sealed record ApplyError(string Message, bool IsTypeError = false);

    private static ApplyError? Apply(string flag, object value, ref NsqLookupOptions options)
    {
        switch (flag)
        {
            case "log-level":
                // Already validated above.
                GoLogLevel.TryParse((string)value, out var level);
                options = options with { LogLevel = level };
                return null;
            case "log-format":
                LogFormats.TryParse((string)value, out var format);
                options = options with { LogFormat = format };
                return null;
            case "log-prefix" or "tcp-address" or "http-address" or "broadcast-address" or "data-path":
                if (value is not string s)
                    return new ApplyError("expected a string", IsTypeError: true);
                options = flag switch
                {
                    "log-prefix" => options with { LogPrefix = s },
                    "tcp-address" => options with { TcpAddress = s },
                    "http-address" => options with { HttpAddress = s },
                    "data-path" => options with { DataPath = s.Length == 0 ? null : s },
                    _ => options with { BroadcastAddress = s },
                };
                return null;
            case "inactive-producer-timeout" or "tombstone-lifetime" or "prune-empty-keys-after" or "shutdown-timeout":
                if (CoerceDuration(value, out var d) is { } durationError)
                    return new ApplyError(durationError);
                options = flag switch
                {
                    "tombstone-lifetime" => options with { TombstoneLifetime = d },
                    "prune-empty-keys-after" => options with { PruneEmptyKeysAfter = d },
                    "shutdown-timeout" => options with { ShutdownTimeout = d },
                    _ => options with { InactiveProducerTimeout = d },
                };
                return null;
            case "quiet-pings":
                switch (value)
                {
                    case bool b:
                        options = options with { QuietPings = b };
                        return null;
                    case string text when GoFlagParser.TryParseBool(text, out var parsed):
                        options = options with { QuietPings = parsed };
                        return null;
                    case string text:
                        return new ApplyError($"strconv.ParseBool: parsing {GoQuote.Quote(text)}: invalid syntax");
                    default:
                        return new ApplyError("invalid value type");
                }

            case "http-max-connections":
                if (CoerceCount(value, out var count) is { } countError)
                    return new ApplyError(countError);
                options = options with { HttpMaxConnections = count };
                return null;
            default:
                return ApplySecurity(flag, value, ref options);
        }
    }

    /// <summary>
    /// go-options' <c>coerceDuration</c> for a field without an <c>arg</c> tag: a TOML integer is milliseconds, a string
    /// is Go duration syntax, except that an all-digit string ("1000", even "0") fails with
    /// <c>time: invalid duration ""</c> (the unit it would multiply by is the empty tag). Anything else is
    /// "invalid value type" (floats included).
    /// </summary>
    internal static string? CoerceDuration(object value, out TimeSpan duration)
    {
        duration = default;
        switch (value)
        {
            case long ms:
                // Go's int64 nanoseconds would wrap silently here; we refuse instead.
                if (ms is > long.MaxValue / 1_000_000 or < long.MinValue / 1_000_000)
                    return "duration out of range";
                duration = TimeSpan.FromMilliseconds(ms);
                return null;
            case string s when s.Length > 0 && s.All(char.IsAsciiDigit):
                return long.TryParse(s, out _)
                    ? "time: invalid duration \"\""
                    : $"strconv.Atoi: parsing {GoQuote.Quote(s)}: value out of range";
            case string s:
                return GoDuration.TryParse(s, out duration, out var error) ? null : error;
            default:
                return "invalid value type";
        }
    }

    /// <summary>A count (our addition, so no go-options precedent to match beyond its int coercion): a TOML integer or
    /// a string in Go's integer syntax, from 0 to <see cref="int.MaxValue"/>.</summary>
    private static string? CoerceCount(object value, out int count)
    {
        count = 0;
        long n;
        switch (value)
        {
            case long l:
                n = l;
                break;
            case string s:
                if (GoInt.TryParse(s, out n) is { } parseError)
                    return $"strconv.ParseInt: parsing {GoQuote.Quote(s)}: {parseError}";
                break;
            default:
                return "invalid value type";
        }

        if (n is < 0 or > int.MaxValue)
            return $"must be between 0 and {int.MaxValue}";
        count = (int)n;
        return null;
    }

    // "(%+v)" of the field's current value, which is still the default (a flag given on the command line wins
    // before coercion is attempted).
    private static string Current(string flag, NsqLookupOptions options) => flag switch
    {
        "inactive-producer-timeout" => GoDuration.Format(options.InactiveProducerTimeout),
        "tombstone-lifetime" => GoDuration.Format(options.TombstoneLifetime),
        "prune-empty-keys-after" => GoDuration.Format(options.PruneEmptyKeysAfter),
        "shutdown-timeout" => GoDuration.Format(options.ShutdownTimeout),
        "quiet-pings" => options.QuietPings ? "true" : "false",
        "http-max-connections" => options.HttpMaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };
}
