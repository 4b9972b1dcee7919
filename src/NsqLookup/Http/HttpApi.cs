namespace NsqLookup.Http;

// Placeholder until the HTTP API lands.
internal sealed class HttpApi
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }
}
