using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Validation;

/// <summary>Builds validators over test collections and checks their results.</summary>
internal static class TestValidators
{
    public static SmimeSettings CrlOff => new() { OWADisableCRLCheck = true };

    public static SmimeSettings CrlOn(bool checkOnSend = false, uint connectionTimeout = 5000, uint retrievalTimeout = 10000) => new()
    {
        OWACheckCRLOnSend = checkOnSend,
        OWACRLConnectionTimeout = connectionTimeout,
        OWACRLRetrievalTimeout = retrievalTimeout,
    };

    public static SmimeCertificateValidator Create(IEnumerable<byte[]> collection, SmimeSettings settings, ICrlSource? source = null, CrlCache? cache = null, TestClock? clock = null)
    {
        clock ??= new TestClock();
        return new SmimeCertificateValidator(
            SmimeCertificateCollection.From(collection.Select(SmimeCaCertificate.Parse)),
            settings,
            source ?? new UnusedCrlSource(),
            cache ?? new CrlCache(clock.UtcNow),
            clock.UtcNow);
    }

    /// <summary>The single failure of the result, which must have <paramref name="code"/>.</summary>
    public static SmimeValidationFailure SingleFailure(SmimeValidationResult result, SmimeValidationReason code)
    {
        SmimeValidationFailure failure = Assert.Single(result.Failures);
        Assert.Equal(code, failure.Code);
        return failure;
    }

    /// <summary>The codes of every failure, in order.</summary>
    public static SmimeValidationReason[] Codes(SmimeValidationResult result) => result.Failures.Select(failure => failure.Code).ToArray();

    /// <summary>A CRL source for validations that must not fetch: every call fails the test.</summary>
    private sealed class UnusedCrlSource : ICrlSource
    {
        public Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new Xunit.Sdk.XunitException("No CRL should be fetched, but " + uri + " was.");
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock
{
    public DateTime Now { get; set; } = ValidationPki.Now;

    public DateTime UtcNow() => Now;
}
