namespace NsqLookup.Registry;

/// <summary>One directory key: nsqlookupd/registration_db.go <c>Registration</c>.</summary>
internal readonly record struct Registration(string Category, string Key, string SubKey)
{
    public const string ClientCategory = "client";
    public const string TopicCategory = "topic";
    public const string ChannelCategory = "channel";

    /// <summary>The one key every identified connection is a producer of; what <c>/nodes</c> lists.</summary>
    public static Registration Client { get; } = new(ClientCategory, "", "");

    public static Registration Topic(string topic) => new(TopicCategory, topic, "");

    public static Registration Channel(string topic, string channel) => new(ChannelCategory, topic, channel);

    public bool IsTopic => Category == TopicCategory;

    /// <summary>The member name <c>/debug</c> uses: <c>category:key:subkey</c>.</summary>
    public override string ToString() => $"{Category}:{Key}:{SubKey}";
}
