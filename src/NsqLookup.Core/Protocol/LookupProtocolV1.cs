using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using NsqLookup.Metrics;
using NsqLookup.Registry;

namespace NsqLookup.Protocol;

/// <summary>
/// The V1 lookup protocol spoken by nsqd (nsqlookupd/lookup_protocol_v1.go), run after the host has consumed the
/// <c>"  V1"</c> magic. This file is the Go original's <c>IOLoop</c>: one whole command at a time from the pure
/// <see cref="LookupCommandReader"/>, executed (<c>LookupProtocolV1.Exec.cs</c>, the original's <c>Exec</c>), one
/// frame written and flushed, repeat. Every error is fatal: the error frame is sent and the loop ends. Whatever
/// ends the loop, the connection's registrations are removed (docs/protocol.md, "Registration model").
/// </summary>
internal sealed partial class LookupProtocolV1
{
    private readonly RegistrationDB _db;
    private readonly IPeerRelease _release;
    private readonly ServerIdentity _identity;
    private readonly ILogger _logger;
    private readonly LookupProtocolLimits _limits;
    private readonly LogLevel _pingLevel;
    private readonly NsqLookupMetrics? _metrics;

    public LookupProtocolV1(
        RegistrationDB db,
        ServerIdentity identity,
        ILogger<LookupProtocolV1> logger,
        LookupProtocolLimits? limits = null,
        LookupProtocolLogging? logging = null,
        NsqLookupMetrics? metrics = null,
        IPeerRelease? release = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(logger);
        _db = db;
        _release = release ?? new InlinePeerRelease(db);
        _identity = identity;
        _logger = logger;
        _limits = limits ?? new LookupProtocolLimits();
        _pingLevel = (logging ?? new LookupProtocolLogging()).PingLevel;
        _metrics = metrics;
    }

    /// <summary>
    /// Serves one connection until EOF, a protocol error, an I/O error or cancellation; never throws for those.
    /// Does not complete <paramref name="input"/> or <paramref name="output"/>: the host owns the transport.
    /// </summary>
    public async Task RunAsync(PipeReader input, PipeWriter output, ClientV1 client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(client);

        var reader = new LookupCommandReader(_limits);
        string? exitError = null;
        var cleanClose = false;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;

                // A read cut short by CancelPendingRead is the host stopping, never the end of the client's input.
                var ended = result.IsCompleted && !result.IsCanceled;
                var status = reader.TryRead(ref buffer, ended, client.IsIdentified, out var command, out var error);
                if (status == ReadStatus.Incomplete)
                {
                    input.AdvanceTo(buffer.Start, result.Buffer.End);
                    if (result.IsCanceled)
                    {
                        break;
                    }

                    if (ended)
                    {
                        // A partial last line is dropped without an answer, as the Go original does (T14). At exit the
                        // host shuts every client socket down, which ends the read here too: that is the server
                        // closing the connection, and the Go original reports it as a read error.
                        if (_release.IsExiting)
                        {
                            exitError = client.ClosedByServer;
                        }
                        else
                        {
                            exitError = "EOF";
                            cleanClose = true;
                        }

                        break;
                    }

                    continue;
                }

                Count(command.Verb);
                var reply = status == ReadStatus.Command ? Exec(client, command) : Reply.Fail(error!);

                // Only now: the command's line and body point into this buffer.
                input.AdvanceTo(buffer.Start);
                if (reply.Error is { } fatal)
                {
                    await SendErrorAsync(output, client, fatal, cancellationToken).ConfigureAwait(false);
                    exitError = fatal.ToString();
                    break;
                }

                FrameWriter.Write(output, reply.Payload.Span);
                var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    exitError = "write: connection closed";
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server shutdown: not the client's fault, nothing to report beyond the exit line.
        }
        catch (IOException ex)
        {
            exitError = ex.Message;
        }
        finally
        {
            Log.ExitingIoLoop(_logger, client.Id);
            await RemoveRegistrationsAsync(client).ConfigureAwait(false);
            if (exitError is not null)
            {
                if (cleanClose)
                {
                    Log.ClientClosed(_logger, client.Id, exitError);
                }
                else
                {
                    Log.ClientError(_logger, client.Id, exitError);
                }
            }
        }
    }

    /// <summary>Counts a command once it is whole, or once its IDENTIFY framing failed; not an unknown verb.</summary>
    private void Count(LookupVerb verb)
    {
        if (_metrics is null)
        {
            return;
        }

        var name = verb switch
        {
            LookupVerb.Ping => "PING",
            LookupVerb.Identify => "IDENTIFY",
            LookupVerb.Register => Register,
            LookupVerb.Unregister => Unregister,
            _ => null,
        };
        if (name is not null)
        {
            _metrics.Command(name);
        }
    }

    private async ValueTask SendErrorAsync(PipeWriter output, ClientV1 client, ProtocolError error, CancellationToken cancellationToken)
    {
        _metrics?.ProtocolError(error);
        var text = error.ToString();
        if (error.Detail is { } cause)
        {
            Log.ProtocolErrorWithCause(_logger, client.Id, text, cause);
        }
        else
        {
            Log.ProtocolError(_logger, client.Id, text);
        }

        try
        {
            FrameWriter.Write(output, error.Payload);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The peer may already be gone (e.g. it half-closed mid-IDENTIFY); the connection ends either way.
            Log.ProtocolError(_logger, client.Id, ex.Message);
        }
    }

    /// <summary>The peer is gone from every answer when <see cref="IPeerRelease.RemovePeerAsync"/> returns the task
    /// (an O(1) detach on this thread); its entries are released by the daemon's worker, and logged once they are.</summary>
    private async Task RemoveRegistrationsAsync(ClientV1 client)
    {
        if (!client.IsIdentified)
        {
            return;
        }

        foreach (var r in await _release.RemovePeerAsync(client.Id).ConfigureAwait(false))
        {
            Log.Unregister(_logger, client.Id, r.Category, r.Key, r.SubKey);
        }
    }

    /// <summary>Releases a departed peer's entries on the caller's thread, and never exits: for a protocol run with no
    /// daemon around it (tools, replays). The daemon hands the release to its worker instead.</summary>
    private sealed class InlinePeerRelease(RegistrationDB db) : IPeerRelease
    {
        public bool IsExiting => false;

        public Task<IReadOnlyList<Registration>> RemovePeerAsync(string peerId) =>
            Task.FromResult(db.DetachPeer(peerId) is { } departure ? db.ReleasePeer(departure) : (IReadOnlyList<Registration>)[]);
    }
}
