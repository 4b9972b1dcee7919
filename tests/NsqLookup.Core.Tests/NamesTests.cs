using System.Text;

namespace NsqLookup.Core.Tests;

/// <summary>Names (docs/protocol.md, "Commands (client → server)"): 1–64 bytes matching
/// <c>^[.a-zA-Z0-9_-]+(#ephemeral)?$</c>; checked through every overload.</summary>
public sealed class NamesTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        // T44: 64 is the limit, and the #ephemeral suffix counts toward it.
        { new string('a', 64), true },
        { new string('a', 65), false },
        { new string('a', 54) + "#ephemeral", true },
        { new string('a', 55) + "#ephemeral", false },
        { "a", true },
        { "", false },

        // T45
        { "#ephemeral", false },
        { "a#ephemeral#ephemeral", false },
        { "a#ephemeral", true },
        { "a.b-c_D9", true },
        { ".", true },
        { "..", true },
        { "é", false },
        { "aé", false },

        // Case-sensitive: the suffix must be lowercase; letters of either case are fine.
        { "ABC", true },
        { "a#EPHEMERAL", false },
        { "a#Ephemeral", false },

        // Anything outside the class, including Go's $ not matching before a trailing newline.
        { "bad$", false },
        { "a b", false },
        { "a:b", false },
        { "a/b", false },
        { "*", false },
        { "a\n", false },
        { "a#", false },
        { "a#ephemeralx", false },
        { "#a", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsValid_String(string name, bool valid) => Names.IsValid(name).Should().Be(valid);

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsValid_CharSpan(string name, bool valid) => Names.IsValid(name.AsSpan()).Should().Be(valid);

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsValid_Utf8Bytes(string name, bool valid) =>
        Names.IsValid(Encoding.UTF8.GetBytes(name).AsSpan()).Should().Be(valid);

    [Fact]
    public void T126_RawInvalidUtf8Bytes_AreInvalid()
    {
        Names.IsValid([0xFF, 0xFE]).Should().BeFalse();
        Names.IsValid([(byte)'a', 0xE9]).Should().BeFalse();
    }

    [Fact]
    public void BytesAboveAscii_NeverPassAsLetters()
    {
        // (char)0xC0 is 'À' and (char)0xB2 is '²': neither may count as a letter or digit.
        for (var b = 0x80; b <= 0xFF; b++)
        {
            Names.IsValid([(byte)'a', (byte)b]).Should().BeFalse($"byte 0x{b:X2}");
        }
    }

    [Fact]
    public void EveryAsciiByte_IsJudgedAlikeByBothOverloads()
    {
        for (var b = 0; b < 0x80; b++)
        {
            var s = "a" + (char)b;
            Names.IsValid(Encoding.ASCII.GetBytes(s).AsSpan()).Should().Be(Names.IsValid(s), $"byte 0x{b:X2}");
            var expected = char.IsAsciiLetterOrDigit((char)b) || b is '.' or '_' or '-';
            Names.IsValid(s).Should().Be(expected, $"byte 0x{b:X2}");
        }
    }

    [Theory]
    [InlineData("c#ephemeral", true)]
    [InlineData("c", false)]
    [InlineData("c#Ephemeral", false)]
    [InlineData("c#ephemeral.x", false)]
    public void IsEphemeral_MeansEndsWithTheSuffix(string name, bool ephemeral) =>
        Names.IsEphemeral(name).Should().Be(ephemeral);
}
