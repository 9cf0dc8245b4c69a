using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace SmimeAdmin.Core.Tests.Validation;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port for serving CRLs to the validator: each path answers with
/// fixed bytes, after a delay, or 404. It counts requests per path, so tests can prove what was (not) fetched.
/// </summary>
public sealed class CrlServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Task _accepting;

    public CrlServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>A URL on 127.0.0.1 with a port nothing listens on: connections are refused at once.</summary>
    public static Uri DeadUrl(string path)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri("http://127.0.0.1:" + port + path);
    }

    public Uri Url(string path) => new("http://127.0.0.1:" + Port + path);

    /// <summary>
    /// Answers <paramref name="path"/> with <paramref name="body"/>, after <paramref name="delay"/> if given; without
    /// a Content-Length header when <paramref name="declareLength"/> is false (the body then ends with the connection).
    /// </summary>
    public Uri Serve(string path, byte[] body, TimeSpan delay = default, bool declareLength = true)
    {
        _routes[path] = new Route(body, delay, declareLength);
        return Url(path);
    }

    /// <summary>A path that never answers in time: the server waits <paramref name="delay"/> first.</summary>
    public Uri Slow(string path, TimeSpan delay) => Serve(path, Array.Empty<byte>(), delay);

    public int Requests(string path) => _requests.TryGetValue(path, out int count) ? count : 0;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's exception; nothing to report.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string? path = await ReadRequestPathAsync(stream);
                if (path is null)
                {
                    return;
                }

                _requests.AddOrUpdate(path, 1, (_, count) => count + 1);
                if (!_routes.TryGetValue(path, out Route? route))
                {
                    await WriteAsync(stream, "404 Not Found", Array.Empty<byte>(), declareLength: true);
                    return;
                }

                if (route.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(route.Delay, _stop.Token);
                }

                await WriteAsync(stream, "200 OK", route.Body, route.DeclareLength);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (a timed-out fetch) or the server is stopping.
            }
        }
    }

    private async Task<string?> ReadRequestPathAsync(NetworkStream stream)
    {
        var header = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!header.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0 || header.Length > 16 * 1024)
            {
                return null;
            }

            header.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        // "GET /path HTTP/1.1"
        string[] requestLine = header.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length == 3 ? requestLine[1] : null;
    }

    private async Task WriteAsync(NetworkStream stream, string status, byte[] body, bool declareLength)
    {
        string length = declareLength ? "Content-Length: " + body.Length + "\r\n" : string.Empty;
        string head = "HTTP/1.1 " + status + "\r\nContent-Type: application/pkix-crl\r\n" + length + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
    }

    private sealed record Route(byte[] Body, TimeSpan Delay, bool DeclareLength);
}
