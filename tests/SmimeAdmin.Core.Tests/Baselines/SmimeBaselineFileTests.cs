using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using Xunit;
using static SmimeAdmin.Core.Tests.Baselines.BaselineStore;

namespace SmimeAdmin.Core.Tests.Baselines;

public sealed class SmimeBaselineFileTests : IDisposable
{
    private readonly BaselineStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void An_export_reads_back_as_the_same_state_with_the_certificates_themselves()
    {
        Configure();
        SmimeBaseline exported = _store.Export(Contoso, includeUsers: true);

        SmimeBaseline read = SmimeBaselineFile.Read(SmimeBaselineFile.Write(exported), "contoso.json");

        Assert.Equal(Contoso, read.Organization);
        Assert.Equal(SmimeSetting.All.Count, read.Settings.Count);
        Assert.Empty(SmimeBaselineComparer.Compare(read, exported, "contoso.json"));
        Assert.Equal(new[] { Ca.Root, Ca.Intermediate }, read.CertificateCollection!.Select(entry => entry.GetRawData()));
        SmimeBaselineRecipient alice = Assert.Single(read.Recipients!);
        Assert.Equal("alice@contoso.com", alice.Address);
        Assert.Equal(new[] { Thumbprint(Users.AliceSigning) }, alice.UserCertificateThumbprints);
        Assert.Equal(new[] { Thumbprint(Users.AliceSigning), Thumbprint(Users.AliceEncryption) }, alice.UserSmimeCertificateThumbprints);
    }

    [Fact]
    public void Keys_are_sorted_at_every_level_and_each_setting_has_its_own_line()
    {
        Configure();
        string text = Encoding.UTF8.GetString(SmimeBaselineFile.Write(_store.Export(Contoso, includeUsers: true)));

        using JsonDocument document = JsonDocument.Parse(text);
        AssertSorted(document.RootElement);
        string[] lines = text.Split('\n');
        foreach (SmimeSetting setting in SmimeSetting.All)
        {
            Assert.Single(lines, line => line.TrimStart().StartsWith("\"" + setting.Name + "\":", StringComparison.Ordinal));
        }

        Assert.Contains("    \"OWASigningAlgorithms\": \"800E;800C\",", lines);
        Assert.Contains("    \"OWAAlwaysSign\": true,", lines);
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("\"-----BEGIN CERTIFICATE-----\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_exports_of_the_same_state_are_identical_byte_for_byte()
    {
        Configure();

        Assert.Equal(
            SmimeBaselineFile.Write(_store.Export(Contoso, includeUsers: true)),
            SmimeBaselineFile.Write(_store.Export(Contoso, includeUsers: true)));
    }

    [Fact]
    public void A_hand_written_partial_baseline_with_comments_reads()
    {
        const string text = """
            {
              // Only what the security team cares about.
              "format": "SmimeAdmin.Config",
              "schemaVersion": 1,
              "settings": { "OWADisableCRLCheck": false, "owaSigningAlgorithms": "800e", "OWABCCEncryptedEmailForking": 1, },
            }
            """;

        SmimeBaseline baseline = SmimeBaselineFile.Read(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), "team.json");

        Assert.Null(baseline.CertificateCollection);
        Assert.Null(baseline.Recipients);
        Assert.Equal(
            new KeyValuePair<string, object?>[] { new("OWADisableCRLCheck", false), new("owaSigningAlgorithms", "800e"), new("OWABCCEncryptedEmailForking", 1L) },
            baseline.Settings);
    }

    [Theory]
    [InlineData("not json", "'bad.json' is not a SmimeAdmin configuration file")]
    [InlineData("""{ "format": "Other", "schemaVersion": 1 }""", "\"format\": \"SmimeAdmin.Config\"")]
    [InlineData("""{ "format": "SmimeAdmin.Config" }""", "no schemaVersion")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 2 }""", "schemaVersion 2, and this version of SmimeAdmin reads up to 1")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "setting": {} }""", "a section 'setting'")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": [] }""", "'settings' must be a JSON Object, not Array")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "certificateCollection": { "certificates": [ {} ] } }""", "'thumbprint' is missing")]
    [InlineData("""{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "recipients": [ { "address": 5 } ] }""", "'address' must be a JSON String, not Number")]
    public void A_file_that_is_not_a_configuration_is_refused_with_the_reason(string text, string reason)
    {
        SmimeBaselineFormatException error = Assert.Throws<SmimeBaselineFormatException>(
            () => SmimeBaselineFile.Read(Encoding.UTF8.GetBytes(text), "bad.json"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal("bad.json", error.Origin);
    }

    [Fact]
    public void A_certificate_given_as_one_pem_string_or_only_a_thumbprint_reads()
    {
        string pem = Encoding.ASCII.GetString(CertificateFile.WritePem(new[] { Ca.Root })).Replace("\n", "\\n", StringComparison.Ordinal);
        string text = "{ \"format\": \"SmimeAdmin.Config\", \"schemaVersion\": 1, \"certificateCollection\": { \"certificates\": [ "
            + "{ \"thumbprint\": \"" + Thumbprint(Ca.Root).ToLowerInvariant() + "\", \"pem\": \"" + pem + "\" }, "
            + "{ \"thumbprint\": \"" + Thumbprint(Ca.Intermediate) + "\" } ] } }";

        SmimeBaseline baseline = SmimeBaselineFile.Read(Encoding.UTF8.GetBytes(text), "x.json");

        Assert.Equal(Ca.Root, baseline.CertificateCollection![0].GetRawData());
        Assert.Equal(Thumbprint(Ca.Root), baseline.CertificateCollection[0].Thumbprint);
        Assert.False(baseline.CertificateCollection[1].HasCertificate);
    }

    private void Configure()
    {
        _store.Set(Contoso, ("OWAAlwaysSign", true), ("OWASigningAlgorithms", "800E;800C"), ("OWADLExpansionTimeout", 30000));
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate);
        _store.Publish(Contoso, "alice@contoso.com", new[] { Users.AliceSigning }, CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Users.AliceEncryption }));
    }

    private static void AssertSorted(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            string[] names = element.EnumerateObject().Select(property => property.Name).ToArray();
            Assert.Equal(names.OrderBy(name => name, StringComparer.Ordinal), names);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                AssertSorted(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                AssertSorted(item);
            }
        }
    }
}
