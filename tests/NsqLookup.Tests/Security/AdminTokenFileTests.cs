using System.Text;
using NsqLookup.Security;

namespace NsqLookup.Tests.Security;

/// <summary>What a token file's bytes make of the secret (issue 34 item 12), and the comparison of a presented token.</summary>
public sealed class AdminTokenFileTests
{
    [Theory]
    [InlineData("tok", "tok", false)]
    [InlineData("tok\n", "tok", false)]
    [InlineData("tok\r\n", "tok", false)]
    [InlineData("tok \n", "tok", true)]
    [InlineData("tok\t", "tok", true)]
    [InlineData("  tok\n", "tok", true)]
    [InlineData("tok\n\n", "tok", true)]
    [InlineData("a b\tc\n", "a b\tc", false)]
    public void WhitespaceAroundTheToken_IsNotPartOfItAndMoreThanAFinalNewlineIsReported(string file, string secret, bool trimmed)
    {
        AdminTokenFile.TryParse(Encoding.UTF8.GetBytes(file), out var parsed, out var error, out var wasTrimmed).Should().BeTrue(error);
        Encoding.UTF8.GetString(parsed).Should().Be(secret);
        wasTrimmed.Should().Be(trimmed);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData(" \n\n", "the file holds only whitespace")]
    [InlineData("tok\nsecond\n", "the token spans more than one line, and an Authorization header carries one line (put only the token in the file)")]
    [InlineData("tok\rsecond", "the token spans more than one line, and an Authorization header carries one line (put only the token in the file)")]
    [InlineData("to\u0000k", "the token holds control character 0x00 at byte 2, which an Authorization header cannot carry")]
    [InlineData("tok\u007f", "the token holds control character 0x7F at byte 3, which an Authorization header cannot carry")]
    public void ATokenNoHeaderCanCarry_IsRefusedSayingWhy(string file, string expected)
    {
        AdminTokenFile.TryParse(Encoding.UTF8.GetBytes(file), out _, out var error, out _).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Theory]
    [InlineData("secret", "secret", true)]
    [InlineData("secreT", "secret", false)]
    [InlineData("secre", "secret", false)]
    [InlineData("secretsecret", "secret", false)]
    [InlineData("secrets", "secret", false)]
    [InlineData("", "secret", false)]
    [InlineData("s", "s", true)]
    [InlineData("ss", "s", false)]
    public void APresentedToken_MatchesOnlyTheSecretItself(string presented, string secret, bool matches)
    {
        AdminTokenFile.FixedTimeMatch(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(secret)).Should().Be(matches);
    }
}
