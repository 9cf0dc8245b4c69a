using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Validation;

/// <summary>
/// The CRL checks of one validation: retrieval through the cache within the organization's time limits, then the
/// CRL's issuer, scope and signature, then the serial number.
/// </summary>
internal sealed class RevocationChecker
{
    private readonly ICrlSource _source;
    private readonly CrlCache _cache;
    private readonly Func<DateTime> _utcNow;
    private readonly CancellationToken _cancellationToken;
    private readonly uint _connectionTimeout;
    private readonly uint _retrievalTimeout;
    private readonly SmimeValidationSeverity _unknownSeverity;
    private readonly Stopwatch _retrieving = new();
    private bool _budgetSpent;

    public RevocationChecker(ICrlSource source, CrlCache cache, SmimeSettings settings, Func<DateTime> utcNow, CancellationToken cancellationToken)
    {
        _source = source;
        _cache = cache;
        _utcNow = utcNow;
        _cancellationToken = cancellationToken;
        _connectionTimeout = settings.OWACRLConnectionTimeout;
        _retrievalTimeout = settings.OWACRLRetrievalTimeout;
        _unknownSeverity = settings.OWACheckCRLOnSend ? SmimeValidationSeverity.Error : SmimeValidationSeverity.Warning;
    }

    /// <summary>Checks one certificate of the chain against its issuer's CRL and adds what it finds.</summary>
    /// <param name="subject">The certificate checked.</param>
    /// <param name="distributionPoints">Its CRL distribution points, every scheme.</param>
    /// <param name="issuer">The next certificate of the chain, whose key must have signed the CRL.</param>
    /// <param name="isEndEntity">Whether <paramref name="subject"/> is the user certificate.</param>
    /// <param name="atUtc">The validation time: a certificate revoked after it was still good then.</param>
    /// <param name="failures">Receives the findings.</param>
    public async Task CheckAsync(
        CertificateNode subject,
        IReadOnlyList<Uri> distributionPoints,
        CertificateNode issuer,
        bool isEndEntity,
        DateTime atUtc,
        List<SmimeValidationFailure> failures)
    {
        var attempts = new List<SmimeValidationFailure>();
        foreach (Uri uri in distributionPoints)
        {
            if (!HttpCrlSource.IsHttp(uri))
            {
                continue;
            }

            // Distribution points of one certificate are alternatives for the same CRL: the first usable one decides.
            (CachedCrl? crl, SmimeValidationFailure? problem) = await ObtainAsync(uri, subject, issuer, isEndEntity).ConfigureAwait(false);
            if (crl is null)
            {
                attempts.Add(problem!);
                continue;
            }

            RevokedCertificate? entry = crl.Find(subject.Serial);
            if (entry is not null && entry.RevocationDate <= atUtc)
            {
                failures.Add(new SmimeValidationFailure(
                    isEndEntity ? SmimeValidationReason.Revoked : SmimeValidationReason.IssuerRevoked,
                    SmimeValidationSeverity.Error,
                    ValidationText.About(isEndEntity ? Strings.ValidationRevoked : Strings.ValidationIssuerRevoked, subject, entry.RevocationDate, entry.Reason, uri),
                    subject.Element,
                    uri));
                return;
            }

            if (crl.NextUpdate is DateTime next && next <= Now())
            {
                attempts.Add(Unknown(SmimeValidationReason.RevocationUnknown, ValidationText.About(Strings.ValidationCrlExpired, subject, uri, next), subject, uri));
                continue;
            }

            return;
        }

        if (attempts.Count == 0)
        {
            attempts.Add(Unknown(SmimeValidationReason.RevocationUnknown, ValidationText.About(Strings.ValidationNoDistributionPoint, subject), subject, null));
        }

        failures.AddRange(attempts);
    }

    private SmimeValidationFailure Unknown(SmimeValidationReason code, string message, CertificateNode subject, Uri? uri) =>
        new(code, _unknownSeverity, message, subject.Element, uri);

    private DateTime Now() => CertificateNode.ToUtc(_utcNow());

    private async Task<(CachedCrl? Crl, SmimeValidationFailure? Problem)> ObtainAsync(Uri uri, CertificateNode subject, CertificateNode issuer, bool isEndEntity)
    {
        CachedCrl? cached = _cache.Find(uri);
        if (cached is not null)
        {
            string? cachedProblem = Check(cached, subject, issuer, isEndEntity, uri);
            return cachedProblem is null
                ? (cached, null)
                : (null, Unknown(SmimeValidationReason.CrlInvalid, cachedProblem, subject, uri));
        }

        (byte[]? data, SmimeValidationFailure? fetchProblem) = await FetchAsync(uri, subject).ConfigureAwait(false);
        if (data is null)
        {
            return (null, fetchProblem);
        }

        CachedCrl crl;
        try
        {
            crl = CachedCrl.Parse(data);
        }
        catch (FormatException ex)
        {
            return (null, Unknown(SmimeValidationReason.CrlInvalid, ValidationText.About(Strings.ValidationCrlNotCrl, subject, uri, ex.Message), subject, uri));
        }

        string? problem = Check(crl, subject, issuer, isEndEntity, uri);
        if (problem is not null)
        {
            return (null, Unknown(SmimeValidationReason.CrlInvalid, problem, subject, uri));
        }

        _cache.Add(uri, crl);
        return (crl, null);
    }

    /// <summary>Why the CRL cannot vouch for <paramref name="subject"/>, or <see langword="null"/> when it can.</summary>
    private static string? Check(CachedCrl crl, CertificateNode subject, CertificateNode issuer, bool isEndEntity, Uri uri)
    {
        if (!string.Equals(crl.Issuer, subject.Issuer, StringComparison.OrdinalIgnoreCase))
        {
            return ValidationText.About(Strings.ValidationCrlWrongIssuer, subject, uri, crl.Issuer, subject.Issuer);
        }

        if (issuer.GetKeyUsage() is X509KeyUsageFlags usage && (usage & X509KeyUsageFlags.CrlSign) == 0)
        {
            return ValidationText.About(Strings.ValidationCrlIssuerNotCrlSigner, subject, uri, issuer.Subject);
        }

        if (crl.UnsupportedCriticalExtension is string oid)
        {
            return ValidationText.About(Strings.ValidationCrlUnsupportedExtension, subject, uri, oid);
        }

        if (crl.IsDelta)
        {
            return ValidationText.About(Strings.ValidationCrlDelta, subject, uri);
        }

        if (crl.Scope is { } scope
            && ((scope.OnlyContainsUserCerts && !isEndEntity)
                || (scope.OnlyContainsCACerts && isEndEntity)
                || scope.OnlyContainsAttributeCerts
                || scope.IsIndirectCrl
                || scope.OnlySomeReasons is not null))
        {
            return ValidationText.About(Strings.ValidationCrlOutOfScope, subject, uri);
        }

        if (issuer.PublicKey is not { } key || !crl.IsSignedBy(key, issuer.KeyId))
        {
            return ValidationText.About(Strings.ValidationCrlBadSignature, subject, uri, issuer.Subject, issuer.Thumbprint);
        }

        return null;
    }

    private async Task<(byte[]? Data, SmimeValidationFailure? Problem)> FetchAsync(Uri uri, CertificateNode subject)
    {
        TimeSpan perFetch = TimeSpan.FromMilliseconds(_connectionTimeout);
        TimeSpan remaining = TimeSpan.FromMilliseconds(_retrievalTimeout) - _retrieving.Elapsed;
        if (_budgetSpent || remaining <= TimeSpan.Zero)
        {
            _budgetSpent = true;
            return (null, Unknown(SmimeValidationReason.RevocationTimeout, ValidationText.About(Strings.ValidationCrlRetrievalTimeoutNotTried, subject, uri, _retrievalTimeout), subject, uri));
        }

        // Whichever limit comes first applies; the message names it. A per-fetch limit of 0 allows no retrieval.
        bool budgetLimits = remaining < perFetch;
        TimeSpan limit = budgetLimits ? remaining : perFetch;
        SmimeValidationFailure TimedOut() => budgetLimits
            ? Unknown(SmimeValidationReason.RevocationTimeout, ValidationText.About(Strings.ValidationCrlRetrievalTimeout, subject, uri, _retrievalTimeout), subject, uri)
            : Unknown(SmimeValidationReason.RevocationTimeout, ValidationText.About(Strings.ValidationCrlConnectionTimeout, subject, uri, _connectionTimeout), subject, uri);
        if (limit <= TimeSpan.Zero)
        {
            return (null, TimedOut());
        }

        // The stopwatch runs before the timer is armed, so the time charged is never less than the time allowed.
        _retrieving.Start();
        bool bounded = limit.TotalMilliseconds <= int.MaxValue;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        if (bounded)
        {
            stop.CancelAfter(limit);
        }

        try
        {
            Task<byte[]> fetch = StartFetch(uri, bounded ? limit : Timeout.InfiniteTimeSpan, stop.Token);

            // The limit is enforced here too, so a source that ignores its token is abandoned rather than awaited.
            Task stopped = Task.Delay(Timeout.Infinite, stop.Token);
            if (await Task.WhenAny(fetch, stopped).ConfigureAwait(false) != fetch)
            {
                Observe(fetch);
                _cancellationToken.ThrowIfCancellationRequested();
                _budgetSpent |= budgetLimits;
                return (null, TimedOut());
            }

            return (await fetch.ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when ((ex is CrlFetchException { IsTimeout: true } or OperationCanceledException) || stop.IsCancellationRequested)
        {
            _budgetSpent |= budgetLimits;
            return (null, TimedOut());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // CrlFetchException is the contract, but whatever a source throws means the same to the user: no CRL.
            return (null, Unknown(SmimeValidationReason.RevocationUnknown, ValidationText.About(Strings.ValidationCrlUnavailable, subject, uri, Describe(ex)), subject, uri));
        }
        finally
        {
            _retrieving.Stop();

            // Completes the delay task; the fetch, if still running, sees its token cancelled.
            stop.Cancel();
        }
    }

    private static string Describe(Exception exception) =>
        exception is CrlFetchException fetch ? fetch.Reason : exception.Message;

    private Task<byte[]> StartFetch(Uri uri, TimeSpan limit, CancellationToken token)
    {
        try
        {
            return _source.FetchAsync(uri, limit, token) ?? Task.FromException<byte[]>(new InvalidOperationException());
        }
        catch (Exception ex)
        {
            // A source that throws before it returns a task is treated like one whose task failed.
            return Task.FromException<byte[]>(ex);
        }
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
