namespace NsqLookup.Registry;

/// <summary>The directory's sizes for the metrics gauges (<see cref="RegistrationDB.Counts"/>): peers with at least
/// one entry, topic and channel keys, and producer entries per category.</summary>
internal readonly record struct RegistryCounts(int Producers, int Topics, int Channels, int ClientEntries, int TopicEntries, int ChannelEntries);
