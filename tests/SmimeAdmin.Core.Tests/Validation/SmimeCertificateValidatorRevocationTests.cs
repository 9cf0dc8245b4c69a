using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Validation;

/// <summary>Revocation checks against CRLs served over HTTP from 127.0.0.1.</summary>
public sealed class SmimeCertificateValidatorRevocationTests : IClassFixture<CrlServer>, IDisposable
{
    // Longer than any test may take: a fetch that waits for it can only end by a time limit.
    private static readonly TimeSpan s_never = TimeSpan.FromSeconds(60);

    // Generous: the limits under test are well below a second, and the server would answer only after a minute.
    private static readonly TimeSpan s_returnsWithin = TimeSpan.FromSeconds(15);

    private readonly CrlServer _server;
    private readonly HttpCrlSource _http = new();

    public SmimeCertificateValidatorRevocationTests(CrlServer server)
    {
        _server = server;
    }

    private static TestAuthority Root => ValidationPki.Root;

    private static TestAuthority Intermediate => ValidationPki.Intermediate;

    private static DateTime Now => ValidationPki.Now;

    [Fact]
    public void A_certificate_on_a_current_crl_without_its_serial_is_valid()
    {
        Uri crl = _server.Serve("/good.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7)));

        SmimeValidationResult result = Validate(UserWithCrl(crl), TestValidators.CrlOn(checkOnSend: true));

        Assert.True(result.IsValid);
        Assert.Empty(result.Failures);
        Assert.Equal(1, _server.Requests("/good.crl"));
        Assert.Equal(new[] { crl }, result.Certificate!.CrlDistributionPoints);
    }

    [Fact]
    public void A_revoked_certificate_is_invalid_whatever_the_settings()
    {
        byte[] alice = UserWithCrl(_server.Url("/revoked.crl"));
        Uri crl = _server.Serve("/revoked.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7), revoked: new[] { alice }));

        SmimeValidationResult result = Validate(alice, TestValidators.CrlOn(checkOnSend: false));

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.Revoked);
        Assert.Equal(SmimeValidationSeverity.Error, failure.Severity);
        Assert.Equal(crl, failure.CrlDistributionPoint);
        Assert.Contains("keyCompromise", failure.Message, StringComparison.Ordinal);
        Assert.Contains(crl.AbsoluteUri, failure.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_certificate_revoked_after_the_validation_time_was_good_then()
    {
        byte[] alice = UserWithCrl(_server.Url("/revoked-later.crl"));
        _server.Serve("/revoked-later.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7), revoked: new[] { alice }));

        SmimeValidationResult result = Validate(alice, TestValidators.CrlOn(), at: Now.AddDays(-3));

        Assert.Empty(result.Failures);
    }

    [Fact]
    public void A_revoked_intermediate_is_reported()
    {
        TestAuthority intermediate = Root.Subordinate("O=Contoso,CN=Revoked Intermediate CA", ValidationKeys.Intermediate, options => options with { CrlUris = new[] { _server.Url("/root.crl") } });
        _server.Serve("/root.crl", Root.Crl(Now, TimeSpan.FromDays(7), revoked: new[] { intermediate.Certificate }));
        _server.Serve("/revoked-intermediate.crl", intermediate.Crl(Now, TimeSpan.FromDays(7)));
        byte[] alice = UserWithCrl(intermediate, _server.Url("/revoked-intermediate.crl"));

        SmimeValidationResult result = Validate(alice, TestValidators.CrlOn(), extras: new[] { intermediate.Certificate }, collection: new[] { Root.Certificate });

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.IssuerRevoked);
        Assert.Equal("CN=Revoked Intermediate CA, O=Contoso", failure.Certificate!.Subject);
        Assert.Equal(1, _server.Requests("/revoked-intermediate.crl"));
    }

    [Fact]
    public void With_crl_checking_off_nothing_is_fetched()
    {
        byte[] alice = UserWithCrl(_server.Url("/never-fetched.crl"));
        _server.Serve("/never-fetched.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7), revoked: new[] { alice }));

        SmimeValidationResult result = Validate(alice, new SmimeSettings { OWADisableCRLCheck = true, OWACheckCRLOnSend = true });

        Assert.Empty(result.Failures);
        Assert.Equal(0, _server.Requests("/never-fetched.crl"));
    }

    [Theory]
    [InlineData(true, SmimeValidationSeverity.Error)]
    [InlineData(false, SmimeValidationSeverity.Warning)]
    public void An_unreachable_distribution_point_is_an_error_only_when_checking_on_send(bool checkOnSend, SmimeValidationSeverity severity)
    {
        Uri dead = CrlServer.DeadUrl("/dead.crl");

        SmimeValidationResult result = Validate(UserWithCrl(dead), TestValidators.CrlOn(checkOnSend));

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.RevocationUnknown);
        Assert.Equal(severity, failure.Severity);
        Assert.Equal(!checkOnSend, result.IsValid);
        Assert.Equal(dead, failure.CrlDistributionPoint);
        Assert.Contains(dead.AbsoluteUri, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_a_distribution_point_has_an_unknown_status()
    {
        SmimeValidationFailure failure = TestValidators.SingleFailure(Validate(Intermediate.Issue(new CertificateOptions()), TestValidators.CrlOn()), SmimeValidationReason.RevocationUnknown);

        Assert.Equal(SmimeValidationSeverity.Warning, failure.Severity);
        Assert.Null(failure.CrlDistributionPoint);
        Assert.Contains("no http or https", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_next_distribution_point_is_tried_when_one_fails()
    {
        Uri good = _server.Serve("/second-choice.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7)));

        SmimeValidationResult result = Validate(UserWithCrl(CrlServer.DeadUrl("/first-choice.crl"), _server.Url("/missing.crl"), good), TestValidators.CrlOn(checkOnSend: true));

        Assert.Empty(result.Failures);
        Assert.Equal(1, _server.Requests("/missing.crl"));
        Assert.Equal(1, _server.Requests("/second-choice.crl"));
    }

    [Fact]
    public void An_http_error_is_reported_with_its_status()
    {
        Uri missing = _server.Url("/not-there.crl");

        SmimeValidationFailure failure = TestValidators.SingleFailure(Validate(UserWithCrl(missing), TestValidators.CrlOn()), SmimeValidationReason.RevocationUnknown);

        Assert.Contains("404", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slow_distribution_point_is_abandoned_after_the_connection_timeout()
    {
        Uri slow = _server.Slow("/slow.crl", s_never);
        var watch = Stopwatch.StartNew();

        SmimeValidationResult result = Validate(UserWithCrl(slow), TestValidators.CrlOn(checkOnSend: true, connectionTimeout: 300, retrievalTimeout: 30000));

        Assert.True(watch.Elapsed < s_returnsWithin, "returned after " + watch.Elapsed);
        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.RevocationTimeout);
        Assert.Equal(SmimeValidationSeverity.Error, failure.Severity);
        Assert.Contains("OWACRLConnectionTimeout (300 ms)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_retrievals_of_a_validation_share_the_retrieval_timeout()
    {
        // Each retrieval may take 300 ms, all together 700 ms: the first is cut by its own limit, and by the third at
        // the latest the shared time has run out, so the intermediate's distribution point is never asked.
        TestAuthority intermediate = Root.Subordinate("O=Contoso,CN=Slow Intermediate CA", ValidationKeys.Intermediate, options => options with { CrlUris = new[] { _server.Slow("/slow-root.crl", s_never) } });
        byte[] alice = UserWithCrl(intermediate, _server.Slow("/slow-1.crl", s_never), _server.Slow("/slow-2.crl", s_never), _server.Slow("/slow-3.crl", s_never));
        var watch = Stopwatch.StartNew();

        SmimeValidationResult result = Validate(alice, TestValidators.CrlOn(connectionTimeout: 300, retrievalTimeout: 700), extras: new[] { intermediate.Certificate }, collection: new[] { Root.Certificate });

        Assert.True(watch.Elapsed < s_returnsWithin, "returned after " + watch.Elapsed);
        Assert.Equal(4, result.Failures.Count);
        Assert.All(result.Failures, failure => Assert.Equal(SmimeValidationReason.RevocationTimeout, failure.Code));
        Assert.All(result.Failures, failure => Assert.Equal(SmimeValidationSeverity.Warning, failure.Severity));
        Assert.Contains("OWACRLConnectionTimeout (300 ms)", result.Failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("OWACRLRetrievalTimeout (700 ms)", result.Failures[3].Message, StringComparison.Ordinal);
        Assert.Equal("CN=Slow Intermediate CA, O=Contoso", result.Failures[3].Certificate!.Subject);
        Assert.Equal(0, _server.Requests("/slow-root.crl"));
    }

    [Fact]
    public void A_retrieval_timeout_below_the_connection_timeout_cuts_the_first_retrieval()
    {
        Uri slow = _server.Slow("/slow-budget.crl", s_never);
        var watch = Stopwatch.StartNew();

        SmimeValidationResult result = Validate(UserWithCrl(slow), TestValidators.CrlOn(connectionTimeout: 30000, retrievalTimeout: 300));

        Assert.True(watch.Elapsed < s_returnsWithin, "returned after " + watch.Elapsed);
        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.RevocationTimeout);
        Assert.Contains("OWACRLRetrievalTimeout (300 ms)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_timeout_of_zero_allows_no_retrieval()
    {
        Uri crl = _server.Serve("/zero-timeout.crl", Intermediate.Crl(Now, TimeSpan.FromDays(7)));

        SmimeValidationResult result = Validate(UserWithCrl(crl), TestValidators.CrlOn(connectionTimeout: 0));

        TestValidators.SingleFailure(result, SmimeValidationReason.RevocationTimeout);
        Assert.Equal(0, _server.Requests("/zero-timeout.crl"));
    }

    [Fact]
    public void A_source_that_ignores_its_time_limit_is_abandoned()
    {
        var source = new HangingCrlSource();
        var watch = Stopwatch.StartNew();

        SmimeValidationResult result = Validate(UserWithCrl(new Uri("http://crl.invalid/hang.crl")), TestValidators.CrlOn(connectionTimeout: 200), source: source);

        Assert.True(watch.Elapsed < s_returnsWithin, "returned after " + watch.Elapsed);
        TestValidators.SingleFailure(result, SmimeValidationReason.RevocationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), source.Timeout);
    }

    [Fact]
    public void Cancellation_stops_a_retrieval()
    {
        Uri slow = _server.Slow("/cancelled.crl", s_never);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        SmimeCertificateValidator validator = Validator(TestValidators.CrlOn(connectionTimeout: 30000, retrievalTimeout: 30000));

        Assert.ThrowsAny<OperationCanceledException>(() => validator.Validate(UserWithCrl(slow), null, null, SmimeCertificateUsage.Both, Now, cancel.Token));
    }

    [Fact]
    public void A_crl_is_fetched_again_only_after_its_next_update()
    {
        var clock = new TestClock();
        var cache = new CrlCache(clock.UtcNow);
        SmimeCertificateValidator validator = Validator(TestValidators.CrlOn(), cache: cache, clock: clock);
        byte[] alice = UserWithCrl(_server.Serve("/cached.crl", Intermediate.Crl(Now, TimeSpan.FromHours(1))));

        Assert.Empty(ValidateWith(validator, alice, clock.Now).Failures);
        Assert.Empty(ValidateWith(validator, alice, clock.Now).Failures);
        Assert.Equal(1, _server.Requests("/cached.crl"));
        Assert.Equal(1, cache.Count);

        clock.Now = Now.AddHours(2);
        _server.Serve("/cached.crl", Intermediate.Crl(clock.Now, TimeSpan.FromHours(1)));

        Assert.Empty(ValidateWith(validator, alice, clock.Now).Failures);
        Assert.Equal(2, _server.Requests("/cached.crl"));
    }

    [Fact]
    public void An_out_of_date_crl_leaves_the_status_unknown()
    {
        Uri crl = _server.Serve("/stale.crl", Intermediate.Crl(Now.AddDays(-10), TimeSpan.FromDays(7)));

        SmimeValidationFailure failure = TestValidators.SingleFailure(Validate(UserWithCrl(crl), TestValidators.CrlOn()), SmimeValidationReason.RevocationUnknown);

        Assert.Contains("out of date", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wrong-key.crl", "signature")]
    [InlineData("/wrong-issuer.crl", "CN=Validation Root CA")]
    [InlineData("/not-a.crl", "not a CRL")]
    public void A_crl_that_cannot_vouch_for_the_certificate_is_invalid(string path, string detail)
    {
        byte[] body = path switch
        {
            "/wrong-key.crl" => Intermediate.Crl(Now, TimeSpan.FromDays(7), signWith: ValidationKeys.Other),
            "/wrong-issuer.crl" => Intermediate.Crl(Now, TimeSpan.FromDays(7), issuerName: ValidationPki.RootName),
            _ => new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 },
        };
        var cache = new CrlCache(new TestClock().UtcNow);

        SmimeValidationResult result = Validate(UserWithCrl(_server.Serve(path, body)), TestValidators.CrlOn(checkOnSend: true), cache: cache);

        SmimeValidationFailure failure = TestValidators.SingleFailure(result, SmimeValidationReason.CrlInvalid);
        Assert.Equal(SmimeValidationSeverity.Error, failure.Severity);
        Assert.Contains(detail, failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Count);
    }

    public void Dispose() => _http.Dispose();

    private static byte[] UserWithCrl(params Uri[] crls) => UserWithCrl(Intermediate, crls);

    private static byte[] UserWithCrl(TestAuthority issuer, params Uri[] crls) => issuer.Issue(new CertificateOptions { CrlUris = crls });

    private SmimeCertificateValidator Validator(SmimeSettings settings, ICrlSource? source = null, CrlCache? cache = null, TestClock? clock = null, byte[][]? collection = null) =>
        TestValidators.Create(collection ?? new[] { Root.Certificate, Intermediate.Certificate }, settings, source ?? _http, cache, clock);

    private static SmimeValidationResult ValidateWith(SmimeCertificateValidator validator, byte[] certificate, DateTime at, byte[][]? extras = null) =>
        validator.Validate(certificate, extras, null, SmimeCertificateUsage.Both, at, CancellationToken.None);

    private SmimeValidationResult Validate(
        byte[] certificate,
        SmimeSettings settings,
        ICrlSource? source = null,
        CrlCache? cache = null,
        DateTime? at = null,
        byte[][]? extras = null,
        byte[][]? collection = null) =>
        ValidateWith(Validator(settings, source, cache, collection: collection), certificate, at ?? Now, extras);

    /// <summary>A source whose retrievals never end, even when cancelled.</summary>
    private sealed class HangingCrlSource : ICrlSource
    {
        public TimeSpan Timeout { get; private set; }

        public Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Timeout = timeout;
            return new TaskCompletionSource<byte[]>().Task;
        }
    }
}
