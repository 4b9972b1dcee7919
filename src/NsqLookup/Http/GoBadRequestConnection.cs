using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace NsqLookup.Http;

/// <summary>
/// Gives requests that Kestrel rejects before any handler runs Go's answers (<see cref="GoBadRequestAnswers"/>).
/// Kestrel has no hook to shape those answers, but it reports each rejection on the host's DiagnosticListener
/// (event <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c>) synchronously, on the connection's own async flow,
/// just before it writes its answer. A connection middleware wraps the transport (<see cref="GoBadRequestPipe"/>)
/// and names it in an AsyncLocal; the event handler finds it there and has it swap the answer.
/// Cost on a served request: one pass-through virtual call per write, and the hosting layer asking our
/// IsEnabled predicate about its own events (always no); per connection, one wrapper object.
/// </summary>
internal sealed class GoBadRequestConnection : IObserver<KeyValuePair<string, object?>>
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private static readonly AsyncLocal<GoBadRequestPipe?> Current = new();

    private static readonly Predicate<string> IsBadRequestEvent = name => name == BadRequestEvent;

    private readonly ConnectionDelegate _next;

    private GoBadRequestConnection(ConnectionDelegate next, DiagnosticListener? listener)
    {
        _next = next;

        // The listener is the host's singleton, disposed (and this subscription with it) when the host is.
        listener?.Subscribe(this, IsBadRequestEvent);
    }

    /// <summary>Adds the middleware to an HTTP/1.1 endpoint.</summary>
    public static void Install(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => new GoBadRequestConnection(next, listen.ApplicationServices.GetService<DiagnosticListener>()).OnConnectionAsync);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is IFeatureCollection features
            && features.Get<IHttpResponseFeature>() is { HasStarted: false }
            && features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException error
            && GoBadRequestAnswers.For(error) is { } answer)
        {
            Current.Value?.Replace(answer);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private async Task OnConnectionAsync(ConnectionContext connection)
    {
        var transport = connection.Transport;
        var pipe = new GoBadRequestPipe(transport);
        connection.Transport = pipe;
        Current.Value = pipe;
        try
        {
            await _next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
        }
    }
}
