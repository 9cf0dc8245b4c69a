using System;
using System.Threading;
using System.Threading.Tasks;

namespace SmimeAdmin.Core.Validation;

/// <summary>Retrieves certificate revocation lists for <see cref="SmimeCertificateValidator"/>.</summary>
/// <remarks>
/// <see cref="HttpCrlSource"/> is the implementation for real use; tests and hosts with their own transport supply
/// another. The validator enforces its time limits itself as well, so an implementation that overruns is abandoned,
/// not waited for.
/// </remarks>
public interface ICrlSource
{
    /// <summary>Retrieves the encoded CRL published at <paramref name="uri"/>.</summary>
    /// <param name="uri">The CRL distribution point, an absolute <c>http</c> or <c>https</c> URI.</param>
    /// <param name="timeout">
    /// The most time the retrieval may take, or <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </param>
    /// <param name="cancellationToken">Cancels the retrieval.</param>
    /// <returns>The response body: a DER (or PEM) encoded CRL, not yet checked.</returns>
    /// <exception cref="CrlFetchException">
    /// The CRL could not be retrieved; <see cref="CrlFetchException.IsTimeout"/> tells whether time ran out.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken);
}
