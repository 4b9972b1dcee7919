using System.Buffers;

namespace NsqLookup.Http;

/// <summary>
/// What a handler produced (internal/http_api <c>APIHandler</c>'s <c>(interface{}, error)</c>): a JSON document,
/// an empty success, or an error whose <see cref="Message"/> becomes <c>{"message":"..."}</c>.
/// </summary>
internal readonly record struct ApiResult(int Status, string? Message, JsonBody? Json)
{
    public static ApiResult Empty { get; } = new(200, null, null);

    public bool IsEmpty => Status == 200 && Json is null;

    public static ApiResult Ok(ArrayBufferWriter<byte> json) => new(200, null, JsonBody.Of(json));

    public static ApiResult Ok(JsonBody json) => new(200, null, json);

    public static ApiResult Fail(int status, string message) => new(status, message, null);
}
