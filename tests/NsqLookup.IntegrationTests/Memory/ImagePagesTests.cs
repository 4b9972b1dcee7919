using NsqLookup.Memory;

namespace NsqLookup.IntegrationTests.Memory;

/// <summary>Which mappings the trim may unmap (<see cref="ImagePages"/>): private, non-writable mappings of a file with
/// resident pages and not one page the process wrote. Anything else must be left alone, or written bytes are lost.</summary>
public sealed class ImagePagesTests
{
    private static string Mapping(string header, long rssKb, long anonymousKb = 0, long privateDirtyKb = 0, long sharedDirtyKb = 0) => $"""
        {header}
        Size:               1024 kB
        KernelPageSize:        4 kB
        Rss:                {rssKb} kB
        Pss:                {rssKb} kB
        Shared_Clean:          0 kB
        Shared_Dirty:       {sharedDirtyKb} kB
        Private_Clean:      {rssKb} kB
        Private_Dirty:      {privateDirtyKb} kB
        Anonymous:          {anonymousKb} kB
        AnonHugePages:         0 kB
        Swap:                  0 kB
        VmFlags: rd ex mr mw me dw sd

        """;

    [Fact]
    public void OnlyCleanPrivateReadOnlyFileMappingsWithResidentPages_AreDropped()
    {
        var smaps = string.Concat(
            Mapping("55ae183e6000-55ae18918000 r-xp 00011000 08:01 1234                       /usr/local/bin/nsqlookupd", 4360),
            Mapping("55ae18918000-55ae18b10000 r--p 00543000 08:01 1234                       /usr/local/bin/nsqlookupd", 2016),
            Mapping("55ae18b10000-55ae18b11000 r--p 0073b000 08:01 1234                       /usr/local/bin/nsqlookupd", 4, anonymousKb: 4),
            Mapping("55ae18b11000-55ae18b12000 r--p 0073c000 08:01 1234                       /usr/local/bin/nsqlookupd", 4, privateDirtyKb: 4),
            Mapping("55ae18ce6000-55ae18d05000 rw-p 00911000 08:01 1234                       /usr/local/bin/nsqlookupd", 124),
            Mapping("55ae18d05000-55ae18f48000 rw-p 00000000 00:00 0 ", 2268, anonymousKb: 2268),
            Mapping("55ae490d7000-55ae4913a000 rw-p 00000000 00:00 0                          [heap]", 348, anonymousKb: 348),
            Mapping("7f09c3109000-7f09c325f000 r-xp 00028000 08:01 777                        /usr/lib/x86_64-linux-gnu/libc.so.6", 1048),
            Mapping("7f09c3300000-7f09c3301000 r-xp 00000000 00:00 0                          [vdso]", 4),
            Mapping("7f09c3400000-7f09c3500000 r-xs 00000000 00:01 99                         /memfd:doublemapper (deleted)", 64),
            Mapping("7f09c3600000-7f09c3700000 r--s 00000000 08:01 555                        /var/lib/shared.bin", 16, sharedDirtyKb: 16),
            Mapping("7f09c3800000-7f09c3900000 r--p 00000000 08:01 888                        /usr/lib/locale/C.utf8/LC_CTYPE", 0),
            Mapping("7f09c3a00000-7f09c3b00000 r--p 00000000 08:01 999                        /opt/old/nsqlookupd (deleted)", 8));

        ImagePages.CleanMappings(smaps).Should().Equal(
            new ImagePages.Mapping(0x55ae183e6000, 0x55ae18918000 - 0x55ae183e6000, 4360 * 1024),
            new ImagePages.Mapping(0x55ae18918000, 0x55ae18b10000 - 0x55ae18918000, 2016 * 1024),
            new ImagePages.Mapping(0x7f09c3109000, 0x7f09c325f000 - 0x7f09c3109000, 1048 * 1024),
            new ImagePages.Mapping(0x7f09c3a00000, 0x100000, 8 * 1024));
    }

    [Fact]
    public void ATruncatedOrForeignText_GivesNothingToDrop()
    {
        ImagePages.CleanMappings("").Should().BeEmpty();
        ImagePages.CleanMappings("not smaps at all\nRss: 12 kB\n").Should().BeEmpty();
        // A header whose fields stop short, then a mapping cut off before its Rss line.
        ImagePages.CleanMappings("55ae183e6000-55ae18918000 r-x\n55ae18918000-55ae18b10000 r--p 0 08:01 1 /bin/x\n").Should().BeEmpty();
    }

    [Fact]
    public void InAJitProcess_NothingIsDropped()
    {
        // The test runner is a JIT process: images are still being loaded and relocated, so Release must not touch them.
        ImagePages.Release().Should().Be(0);
    }
}
