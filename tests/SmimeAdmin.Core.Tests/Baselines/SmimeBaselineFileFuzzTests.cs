using System;
using System.Collections.Generic;
using System.Text;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;
using static SmimeAdmin.Core.Tests.Baselines.BaselineStore;

namespace SmimeAdmin.Core.Tests.Baselines;

/// <summary>
/// A configuration file comes from outside: whatever its bytes, reading, comparing and preparing an import fail only
/// with the baseline exceptions, never with a parser's own exception or by hanging.
/// </summary>
public sealed class SmimeBaselineFileFuzzTests : IDisposable
{
    private static readonly DateTime s_now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private readonly BaselineStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Mutated_exports_fail_only_with_baseline_errors()
    {
        _store.Set(Contoso, ("OWAAlwaysSign", true), ("OWASigningAlgorithms", "800E;800C"));
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate);
        _store.Publish(Contoso, "alice@contoso.com", new[] { Users.AliceSigning }, CertificateFile.WritePkcs7(new[] { Users.AliceSigning }));
        SmimeBaseline live = _store.Export(Contoso, includeUsers: true);
        byte[] seed = SmimeBaselineFile.Write(live);
        var mutator = new Mutator(20261128);
        int read = 0;

        for (int i = 0; i < 3000; i++)
        {
            byte[] input = mutator.Mutate(seed, Array.Empty<int>(), Array.Empty<int>(), Array.Empty<int>(), out string kinds);
            if (Survives(input, live, kinds))
            {
                read++;
            }
        }

        // Mutations that land in base64, names or values still parse (145 with this seed); those went on through
        // comparison, import and writing.
        Assert.InRange(read, 100, 3000);
    }

    [Theory]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "OWADLExpansionTimeout": 1e400 } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "OWADLExpansionTimeout": 99999999999999999999999 } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "OWAAlwaysSign": [[[true]]] } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "": null } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "certificateCollection": { "certificates": [ { "thumbprint": "", "pem": [] } ] } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "certificateCollection": { "certificates": [ { "thumbprint": "00", "pem": "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----" } ] } }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "recipients": [ { "address": "" } ] }""")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 2147483648 }""")]
    [InlineData("""[ { "format": "SmimeAdmin.Config", "schemaVersion": 1 } ]""")]
    public void Hostile_values_fail_only_with_baseline_errors(string text) =>
        Survives(Encoding.UTF8.GetBytes(text), _store.Export(Contoso, includeUsers: true), text);

    [Fact]
    public void Deep_nesting_is_refused_without_recursing_further()
    {
        string text = "{ \"format\": \"SmimeAdmin.Config\", \"schemaVersion\": 1, \"settings\": { \"OWAAlwaysSign\": "
            + new string('[', 100000) + new string(']', 100000) + " } }";

        Assert.Throws<SmimeBaselineFormatException>(() => SmimeBaselineFile.Read(Encoding.UTF8.GetBytes(text), "deep.json"));
    }

    // Reads, compares and prepares; true when the input was read as a configuration.
    private static bool Survives(byte[] input, SmimeBaseline live, string what)
    {
        SmimeBaseline baseline;
        try
        {
            baseline = SmimeBaselineFile.Read(input, "fuzz.json");
        }
        catch (SmimeBaselineFormatException)
        {
            return false;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException("Read threw " + ex.GetType().Name + " after " + what, ex);
        }

        Expect(() => SmimeBaselineComparer.Compare(baseline, live, "fuzz.json"), what);
        Expect(() => SmimeBaselineImport.Prepare(baseline, "fuzz.json", s_now), what);
        Expect(() => SmimeBaselineFile.Write(baseline), what);
        return true;
    }

    private static void Expect(Func<object> action, string what)
    {
        try
        {
            action();
        }
        catch (SmimeBaselineInvalidException)
        {
        }
        catch (ArgumentException ex) when (ex.Message.Contains("a configuration file holds", StringComparison.Ordinal))
        {
            // Write refuses a value it cannot represent; a value read from JSON never is one.
            throw new InvalidOperationException("Write refused a value read from a file after " + what, ex);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(ex.GetType().Name + " after " + what, ex);
        }
    }
}
