using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Validation;

public sealed class HttpCrlSourceTests : IClassFixture<CrlServer>, IDisposable
{
    private static readonly TimeSpan s_ample = TimeSpan.FromSeconds(10);

    private readonly CrlServer _server;
    private readonly HttpCrlSource _source = new(maxResponseLength: 1000);

    public HttpCrlSourceTests(CrlServer server)
    {
        _server = server;
    }

    public void Dispose() => _source.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_body_is_returned(bool declareLength)
    {
        byte[] body = ValidationPki.Intermediate.Crl(ValidationPki.Now, TimeSpan.FromDays(1));
        Uri uri = _server.Serve("/body-" + declareLength + ".crl", body, declareLength: declareLength);

        Assert.Equal(body, await _source.FetchAsync(uri, s_ample, CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_refused(bool declareLength)
    {
        Uri uri = _server.Serve("/large-" + declareLength + ".crl", new byte[1001], declareLength: declareLength);

        CrlFetchException ex = await Assert.ThrowsAsync<CrlFetchException>(() => _source.FetchAsync(uri, s_ample, CancellationToken.None));

        Assert.False(ex.IsTimeout);
        Assert.Equal(uri, ex.Uri);
        Assert.Contains("1000 bytes", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(1000, _source.MaxResponseLength);
    }

    [Fact]
    public async Task A_body_at_the_limit_is_accepted()
    {
        Uri uri = _server.Serve("/at-limit.crl", new byte[1000], declareLength: false);

        Assert.Equal(1000, (await _source.FetchAsync(uri, s_ample, CancellationToken.None)).Length);
    }

    [Fact]
    public async Task An_error_status_is_reported()
    {
        CrlFetchException ex = await Assert.ThrowsAsync<CrlFetchException>(() => _source.FetchAsync(_server.Url("/absent.crl"), s_ample, CancellationToken.None));

        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTimeout);
    }

    [Fact]
    public async Task A_refused_connection_is_reported()
    {
        CrlFetchException ex = await Assert.ThrowsAsync<CrlFetchException>(() => _source.FetchAsync(CrlServer.DeadUrl("/dead.crl"), s_ample, CancellationToken.None));

        Assert.False(ex.IsTimeout);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task A_slow_server_runs_into_the_timeout()
    {
        Uri uri = _server.Slow("/slow.crl", TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();

        CrlFetchException ex = await Assert.ThrowsAsync<CrlFetchException>(() => _source.FetchAsync(uri, TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.True(ex.IsTimeout);
        Assert.Contains("200 ms", ex.Reason, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < s_ample, "returned after " + watch.Elapsed);
    }

    [Fact]
    public async Task Cancellation_is_not_a_timeout()
    {
        Uri uri = _server.Slow("/cancel.crl", TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _source.FetchAsync(uri, Timeout.InfiniteTimeSpan, cancel.Token));
    }

    [Theory]
    [InlineData("ldap://ldap.contoso.test/cn=crl")]
    [InlineData("file:///etc/passwd")]
    public async Task Only_http_and_https_are_fetched(string uri)
    {
        CrlFetchException ex = await Assert.ThrowsAsync<CrlFetchException>(() => _source.FetchAsync(new Uri(uri), s_ample, CancellationToken.None));

        Assert.Contains("http and https", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        Assert.Equal("uri", (await Assert.ThrowsAsync<ArgumentNullException>(() => _source.FetchAsync(null!, s_ample, CancellationToken.None))).ParamName);
        Assert.Equal("timeout", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _source.FetchAsync(_server.Url("/x"), TimeSpan.FromSeconds(-2), CancellationToken.None))).ParamName);
        Assert.Equal("maxResponseLength", Assert.Throws<ArgumentOutOfRangeException>(() => new HttpCrlSource(0)).ParamName);
    }
}
