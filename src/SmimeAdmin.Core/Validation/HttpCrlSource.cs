using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace SmimeAdmin.Core.Validation;

/// <summary>Retrieves CRLs over HTTP and HTTPS with <see cref="HttpClient"/>.</summary>
/// <remarks>
/// <para>
/// The time limit covers the whole retrieval: name resolution, connecting, and reading the body. Responses are read
/// as they arrive and abandoned as soon as they pass <see cref="MaxResponseLength"/>, so a hostile server costs at
/// most that much memory. Up to five redirects are followed; content encodings are not negotiated, so a compressed
/// body cannot expand past the limit. The system proxy settings apply, as for other HTTP clients of the process.
/// </para>
/// <para>One instance may serve any number of concurrent retrievals. Dispose it to close its connections.</para>
/// </remarks>
public sealed class HttpCrlSource : ICrlSource, IDisposable
{
    /// <summary>The default limit on a response body: 10 MB (10,485,760 bytes).</summary>
    public const long DefaultMaxResponseLength = 10L * 1024 * 1024;

    private const int MaxRedirects = 5;
    private const int ReadBufferSize = 81920;
    private const int InitialBufferSize = 64 * 1024;

    private readonly HttpClient _client;

    /// <summary>Creates a source that accepts responses up to <see cref="DefaultMaxResponseLength"/>.</summary>
    public HttpCrlSource()
        : this(DefaultMaxResponseLength)
    {
    }

    /// <summary>Creates a source with a limit on the response size.</summary>
    /// <param name="maxResponseLength">The largest response body accepted, in bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxResponseLength"/> is less than 1.</exception>
    public HttpCrlSource(long maxResponseLength)
    {
        if (maxResponseLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxResponseLength));
        }

        MaxResponseLength = maxResponseLength;
#pragma warning disable CA2000 // The client owns the handler and disposes it.
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
#pragma warning restore CA2000
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The largest response body accepted, in bytes.</summary>
    public long MaxResponseLength { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="timeout"/> is negative and not <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </exception>
    /// <exception cref="CrlFetchException">
    /// The URI is not an absolute <c>http</c> or <c>https</c> URI, the connection failed, the server answered with an
    /// error status, the body is larger than <see cref="MaxResponseLength"/>, or time ran out (with
    /// <see cref="CrlFetchException.IsTimeout"/> set).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
    public async Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (uri is null)
        {
            throw new ArgumentNullException(nameof(uri));
        }

        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout));
        }

        if (!IsHttp(uri))
        {
            throw new CrlFetchException(uri, string.Format(CultureInfo.CurrentCulture, Strings.CrlFetchUnsupportedScheme, uri.IsAbsoluteUri ? uri.Scheme : string.Empty));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (timeout == TimeSpan.Zero)
        {
            throw TimedOut(uri, timeout);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan && timeout.TotalMilliseconds <= int.MaxValue)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CrlFetchException(uri, string.Format(CultureInfo.CurrentCulture, Strings.CrlFetchHttpStatus, (int)response.StatusCode, response.ReasonPhrase));
            }

            long? declared = response.Content.Headers.ContentLength;
            if (declared > MaxResponseLength)
            {
                throw TooLarge(uri);
            }

            // Not every platform's response stream observes the token while reading; closing the response does.
            using CancellationTokenRegistration abort = limit.Token.Register(response.Dispose);
            using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return await ReadBodyAsync(uri, body, declared, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CrlFetchException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is not CrlFetchException && limit.IsCancellationRequested)
        {
            throw TimedOut(uri, timeout, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or WebException or InvalidOperationException)
        {
            throw new CrlFetchException(uri, Describe(ex), isTimeout: false, ex);
        }
    }

    /// <summary>Closes the connections.</summary>
    public void Dispose() => _client.Dispose();

    internal static bool IsHttp(Uri uri) =>
        uri.IsAbsoluteUri
        && (string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
            || string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase));

    private static CrlFetchException TimedOut(Uri uri, TimeSpan timeout, Exception? cause = null) =>
        new(uri, string.Format(CultureInfo.CurrentCulture, Strings.CrlFetchTimedOut, (long)timeout.TotalMilliseconds), isTimeout: true, cause);

    private static string Describe(Exception exception)
    {
        // HttpRequestException often says only "An error occurred while sending the request"; the socket error inside
        // says what happened ("Connection refused").
        string message = exception.Message;
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }

    private async Task<byte[]> ReadBodyAsync(Uri uri, Stream body, long? declared, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream((int)Math.Min(declared ?? InitialBufferSize, Math.Min(MaxResponseLength, int.MaxValue)));
        byte[] buffer = new byte[ReadBufferSize];
        while (true)
        {
            int read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return content.ToArray();
            }

            if (content.Length + read > MaxResponseLength)
            {
                throw TooLarge(uri);
            }

            content.Write(buffer, 0, read);
        }
    }

    private CrlFetchException TooLarge(Uri uri) =>
        new(uri, string.Format(CultureInfo.CurrentCulture, Strings.CrlFetchTooLarge, MaxResponseLength));
}
