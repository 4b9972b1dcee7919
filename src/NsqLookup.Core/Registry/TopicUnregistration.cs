namespace NsqLookup.Registry;

/// <summary>What a topic-form UNREGISTER removed: the channel entries (each logged as unexpected) and whether
/// the topic entry existed.</summary>
internal sealed record TopicUnregistration(IReadOnlyList<Registration> RemovedChannels, bool RemovedTopic);
