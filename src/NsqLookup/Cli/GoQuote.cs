using System.Globalization;
using System.Text;

namespace NsqLookup.Cli;

/// <summary>Go's <c>strconv.Quote</c> / <c>%q</c>, as used in flag error messages.</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            var v = rune.Value;
            switch (v)
            {
                case '"' or '\\':
                    b.Append('\\').Append((char)v);
                    break;
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\v': b.Append("\\v"); break;
                default:
                    if (v < ' ' || v == 0x7f)
                        b.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
                    else if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format)
                        b.Append(v > 0xffff ? "\\U" + v.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + v.ToString("x4", CultureInfo.InvariantCulture));
                    else
                        b.Append(rune.ToString());
                    break;
            }
        }

        return b.Append('"').ToString();
    }
}
