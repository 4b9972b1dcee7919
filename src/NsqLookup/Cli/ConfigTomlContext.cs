using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace NsqLookup.Cli;

/// <summary>Source-generated TOML metadata for the untyped model (no reflection: AOT-safe).</summary>
[TomlSourceGenerationOptions(DuplicateKeyHandling = TomlDuplicateKeyHandling.Error)]
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
